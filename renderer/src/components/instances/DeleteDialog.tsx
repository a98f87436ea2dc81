import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstanceDetails } from '../../../../shared/api/instances';
import { useInstances } from '../../store/instances';
import { ErrorNote } from '../ErrorNote';

/** Asks for the instance's name before deleting it with its lines and passwords. */
export function DeleteDialog({ details, onClose }: { details: InstanceDetails; onClose(): void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const remove = useInstances((s) => s.remove);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  const matches = name.trim().toLowerCase() === details.name.toLowerCase();
  return (
    <dialog ref={ref} aria-labelledby={`${id}-title`} onClose={onClose}>
      <form
        method="dialog"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await remove(details.id, name);
            onClose();
          } catch (err) {
            setError(err);
          }
        }}
      >
        <h2 id={`${id}-title`}>{t('instances.deleteTitle', { name: details.name })}</h2>
        <p>{t('instances.deleteText', { count: details.lineCount })}</p>
        <label>
          <span>{t('instances.confirmName')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </label>
        <ErrorNote error={error} />
        <div className="save-bar">
          <button type="submit" className="danger" disabled={!matches}>
            {t('common.delete')}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
