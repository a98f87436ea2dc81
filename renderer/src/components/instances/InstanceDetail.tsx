import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemText } from '../../i18n/useProblemText';
import type { InstanceDetails } from '../../../../shared/api/instances';
import { INSTANCE_TABS, useInstances, type InstanceTab } from '../../store/instances';
import { ErrorNote } from '../ErrorNote';
import { DeleteDialog } from './DeleteDialog';
import { SettingsPanel } from './SettingsPanel';
import { NotesPanel } from './NotesPanel';
import { LinesPanel } from '../lines/LinesPanel';
import { RulesPanel } from '../rules/RulesPanel';
import { SipFilterPanel } from './SipFilterPanel';
import { LocationPanel } from './LocationPanel';
import { StatusPanel } from '../status/StatusPanel';

function Panel({ tab, details }: { tab: InstanceTab; details: InstanceDetails }) {
  switch (tab) {
    case 'connection':
    case 'advanced':
      return <SettingsPanel details={details} section={tab} />;
    case 'notes':
      return <NotesPanel details={details} />;
    case 'lines':
      return <LinesPanel details={details} />;
    case 'numberFormat':
      return <RulesPanel details={details} />;
    case 'sipFilter':
      return <SipFilterPanel details={details} />;
    case 'location':
      return <LocationPanel details={details} />;
    case 'status':
      return <StatusPanel details={details} />;
  }
}

/** One instance: its name and family, duplicate/delete, and a page per area of the manuals' dialogs. */
export function InstanceDetail({ details }: { details: InstanceDetails }) {
  const { t } = useTranslation();
  const say = useProblemText();
  const tab = useInstances((s) => s.tab);
  const setTab = useInstances((s) => s.setTab);
  const drafts = useInstances((s) => s.drafts);
  const duplicate = useInstances((s) => s.duplicate);
  const update = useInstances((s) => s.update);
  const [deleting, setDeleting] = useState(false);
  const [newName, setNewName] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <section className="instance-detail" aria-labelledby="instance-title">
      <div className="card-head">
        <div>
          <h2 id="instance-title" className="instance-title">
            {details.name}
          </h2>
          <span className="family-tag">{t(`families.${details.family}`)}</span>
        </div>
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setNewName(details.name)}>
            {t('instances.rename')}
          </button>
          <button type="button" className="secondary" onClick={() => duplicate(details.id).catch(setError)}>
            {t('instances.duplicate')}
          </button>
          <button type="button" className="secondary danger-outline" onClick={() => setDeleting(true)}>
            {t('instances.delete')}
          </button>
        </div>
      </div>
      {newName !== null && (
        <form
          aria-label={t('instances.rename')}
          className="rename"
          onSubmit={(e) => {
            e.preventDefault();
            setError(null);
            update(details.id, { name: newName }).then(() => setNewName(null), setError);
          }}
        >
          <label htmlFor="instance-new-name">{t('instances.newName')}</label>{' '}
          <input id="instance-new-name" value={newName} autoFocus onChange={(e) => setNewName(e.target.value)} />{' '}
          <button type="submit" disabled={!newName.trim() || newName.trim() === details.name}>
            {t('instances.rename')}
          </button>{' '}
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setNewName(null);
              setError(null);
            }}
          >
            {t('common.cancel')}
          </button>
        </form>
      )}
      {details.problems.length > 0 && <p className="hint warn">{t('instances.problems', { list: details.problems.map((p) => say(p)).join('; ') })}</p>}
      <ErrorNote error={error} />
      <div role="tablist" aria-label={t('instances.pagesLabel')} className="tabs">
        {INSTANCE_TABS.map((k) => (
          <button key={k} type="button" role="tab" id={`tab-${k}`} aria-selected={k === tab} aria-controls="instance-panel" onClick={() => setTab(k)}>
            {t(`tabs.${k}`)}
            {k in drafts && (
              <span className="dot" aria-hidden="true" title={t('common.unsaved')}>
                {' '}
                •
              </span>
            )}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="instance-panel" aria-labelledby={`tab-${tab}`} className="tab-panel">
        <Panel tab={tab} details={details} />
      </div>
      {deleting && <DeleteDialog details={details} onClose={() => setDeleting(false)} />}
    </section>
  );
}
