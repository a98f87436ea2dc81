import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useInstances, type Section } from '../../store/instances';
import { ErrorNote } from '../ErrorNote';

/**
 * A section's save bar: the unsaved-changes flag, Save (blocked while a field is invalid) and Discard. `afterSave`
 * may return a warning about what was saved (stored tests that fail), shown beside the bar until the next edit.
 */
export function SectionFrame({ section, valid, children, afterSave }: { section: Section; valid: boolean; children: ReactNode; afterSave?: () => Promise<string | null> }) {
  const { t } = useTranslation();
  const dirty = useInstances((s) => section in s.drafts);
  const save = useInstances((s) => s.save);
  const discard = useInstances((s) => s.discard);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [warning, setWarning] = useState<string | null>(null);

  async function onSave() {
    setBusy(true);
    setError(null);
    setWarning(null);
    try {
      await save(section);
      setSaved(true);
      if (afterSave) setWarning(await afterSave());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="section"
      onSubmit={(e) => {
        e.preventDefault();
        void onSave();
      }}
      onChange={() => {
        setSaved(false);
        setWarning(null);
      }}
    >
      {children}
      <ErrorNote error={error} />
      {warning && (
        <p role="alert" className="hint warn">
          {warning}
        </p>
      )}
      <div className="save-bar">
        <button type="submit" disabled={!dirty || !valid || busy}>
          {busy ? t('common.saving') : t('common.save')}
        </button>
        <button type="button" className="secondary" disabled={!dirty || busy} onClick={() => discard(section)}>
          {t('common.discard')}
        </button>
        <span role="status" className={dirty ? 'badge unsaved' : 'hint'}>
          {dirty ? t('common.unsaved') : saved ? t('common.saved') : ''}
        </span>
      </div>
    </form>
  );
}
