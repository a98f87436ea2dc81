import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Page } from '../components/Page';
import { ErrorNote } from '../components/ErrorNote';
import { AccessPage, AdvancedPage, ClientConnectionPage, DiagnosticsPage, PhoneConnectionPage } from '../components/sip-server/SettingsPages';
import { DemoPhones } from '../components/sip-server/DemoPhones';
import { LicencesPage } from '../components/sip-server/LicencesPage';
import { StatusPage } from '../components/sip-server/StatusPage';
import { TelephonesPage } from '../components/sip-server/TelephonesPage';
import { SipServerWizard } from '../components/sip-server/Wizard';
import { useSipServer } from '../components/sip-server/useSipServer';

const PAGES = ['phoneConnection', 'clientConnection', 'access', 'telephones', 'advanced', 'status', 'licences', 'diagnostics'] as const;
type SubPage = (typeof PAGES)[number];

/** The uaCSTA server's area: the manual's sections as pages, the first-configuration wizard the first time. */
export function SipServerView() {
  const { t } = useTranslation();
  const { view, setView, status, setStatus, loadError } = useSipServer();
  const [page, setPage] = useState<SubPage>('telephones');
  return (
    <Page title={t('sipServer.title')} intro={t('sipServer.intro')}>
      <ErrorNote error={loadError} />
      {view && status && !view.settings.configured && (
        <SipServerWizard
          view={view}
          onDone={(v, s) => {
            setView(v);
            if (s) setStatus(s);
            setPage(s?.running ? 'telephones' : 'status');
          }}
        />
      )}
      {view && status && view.settings.configured && (
        <>
          <div className="tabs" role="tablist" aria-label={t('sipServer.pagesLabel')}>
            {PAGES.map((p) => (
              <button key={p} type="button" role="tab" id={`sip-tab-${p}`} aria-selected={p === page} aria-controls="sip-panel" onClick={() => setPage(p)}>
                {t(`sipServer.pages.${p}`)}
              </button>
            ))}
          </div>
          <div className="tab-panel" role="tabpanel" id="sip-panel" aria-labelledby={`sip-tab-${page}`}>
            {page === 'phoneConnection' && <PhoneConnectionPage view={view} onSaved={setView} />}
            {page === 'clientConnection' && <ClientConnectionPage view={view} onSaved={setView} />}
            {page === 'access' && <AccessPage view={view} />}
            {page === 'telephones' && <TelephonesPage status={status} />}
            {page === 'advanced' && <AdvancedPage view={view} onSaved={setView} />}
            {page === 'status' && (
              <>
                <StatusPage status={status} onStatus={setStatus} />
                <DemoPhones status={status} />
              </>
            )}
            {page === 'licences' && <LicencesPage status={status} />}
            {page === 'diagnostics' && <DiagnosticsPage view={view} onSaved={setView} />}
          </div>
        </>
      )}
    </Page>
  );
}
