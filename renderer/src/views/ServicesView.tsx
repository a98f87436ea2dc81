import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceName, ServiceProblem, ServiceState } from '../../../shared/api/services';
import type { Input } from '../../../shared/api/contract';
import { api } from '../api';
import { Page } from '../components/Page';
import { ErrorNote } from '../components/ErrorNote';
import { ServiceSettingsForm } from '../components/services/ServiceSettingsForm';
import { UacstaServiceSettingsForm } from '../components/services/UacstaServiceSettingsForm';
import { useAttempt } from '../util/useAttempt';

const DOT: Record<ServiceState['state'], string> = {
  running: 'connected',
  starting: 'connecting',
  stopping: 'connecting',
  failed: 'lost',
  stopped: 'idle',
  'not-installed': 'idle',
  unknown: 'idle',
};

/** The installed system services: their state from the OS, start and stop, and the settings they start with. */
export function ServicesView() {
  const { t } = useTranslation();
  const [list, setList] = useState<ServiceState[] | null>(null);
  // Which service's settings were saved last (the note shows in its card).
  const [saved, setSaved] = useState<ServiceName | null>(null);
  const { error, attempt } = useAttempt();
  const reload = useCallback(() => attempt(async () => setList(await api().call('services.list', {}))), [attempt]);
  useEffect(() => {
    void reload();
    // The service manager has no events for us: look again every few seconds while the page is open, quietly
    // (a failed look leaves the last state and any error shown).
    const timer = setInterval(() => void api().call('services.list', {}).then(setList, () => undefined), 5000);
    return () => clearInterval(timer);
  }, [reload]);
  const replace = (s: ServiceState) => setList((cur) => (cur ?? []).map((x) => (x.name === s.name ? s : x)));
  const problem = (p: ServiceProblem) => t(`services.problems.${p.code}`, p.params);
  const save = (input: Input<'services.setSettings'>) =>
    attempt(async () => {
      setSaved(null);
      replace(await api().call('services.setSettings', input));
      setSaved(input.name);
    });

  return (
    <Page title={t('services.title')} intro={t('services.intro')}>
      <ErrorNote error={error} />
      {list?.map((s) => (
        <section key={s.name} className="card" aria-label={t(`services.names.${s.name}`)} data-service={s.name} data-state={s.state}>
          <h2>{t(`services.names.${s.name}`)}</h2>
          <p className="state-line">
            <span className={`state-dot state-${DOT[s.state]}`} aria-hidden="true" /> <strong>{t(`services.states.${s.state}`)}</strong>{' '}
            <span className="hint">{t('services.manager', { manager: t(`services.managers.${s.manager}`) })}</span>
          </p>
          {s.problem && (
            <p className={s.state === 'failed' ? 'problem' : 'hint'} data-code={s.problem.code}>
              {problem(s.problem)}
            </p>
          )}
          {s.warning && (
            <p className="hint warn" data-code={s.warning.code}>
              {problem(s.warning)}
            </p>
          )}
          {s.dataDir && <p className="hint">{t('services.dataDir', { dir: s.dataDir })}</p>}
          <div className="actions">
            <button type="button" disabled={s.state === 'not-installed' || s.state === 'running'} onClick={() => attempt(async () => replace(await api().call('services.start', { name: s.name })))}>
              {t('services.start')}
            </button>{' '}
            <button type="button" className="secondary" disabled={s.state !== 'running' && s.state !== 'starting'} onClick={() => attempt(async () => replace(await api().call('services.stop', { name: s.name })))}>
              {t('services.stop')}
            </button>
          </div>
          {s.name === 'mux' ? (
            <ServiceSettingsForm saved={s.settings} hasLogin={s.hasLogin} onSave={(input) => save({ name: 'mux', ...input })} />
          ) : (
            <UacstaServiceSettingsForm saved={s.settings} hasPhonePassword={s.hasLogin} hasClientLogin={s.hasClientLogin} onSave={(input) => save({ name: 'uacsta', ...input })} />
          )}
          {saved === s.name && (
            <p role="status" className="hint">
              {t('services.savedRestarted')}
            </p>
          )}
        </section>
      ))}
    </Page>
  );
}
