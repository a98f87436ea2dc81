import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { download } from '../util/files';
import { useAttempt } from '../util/useAttempt';
import { useInstances } from '../store/instances';
import { ErrorNote } from './ErrorNote';

/** The whole configuration (without passwords) as a download, and restoring it from such a file. */
export function BackupCard() {
  const { t } = useTranslation();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState('');
  const { error, attempt } = useAttempt();
  const reloadInstances = useInstances((s) => s.load);

  async function restore(file: File | undefined) {
    if (!file) return;
    if (window.confirm(t('backup.confirm', { file: file.name }))) {
      await attempt(async () => {
        const backup: unknown = JSON.parse(await file.text());
        const r = await api().call('config.restore', { backup });
        const kept = r.kept.length ? ` ${t('backup.kept', { list: r.kept.join(', ') })}` : '';
        setMessage(t('backup.restored', { count: r.restored.length, file: r.safetyFile }) + kept);
        await reloadInstances();
      });
    }
    if (input.current) input.current.value = '';
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('backup.title')}</h2>
      <p className="hint">{t('backup.intro')}</p>
      <div className="toolbar">
        <button
          type="button"
          className="secondary"
          onClick={() =>
            attempt(async () => {
              const r = await api().call('config.backup', {});
              download(`linekeeper-backup-${r.backup.createdAt.slice(0, 10)}.json`, { text: JSON.stringify(r.backup, null, 2) });
              setMessage(r.skipped.length ? t('backup.skipped', { list: r.skipped.map((s) => `${s.document} (${s.cause})`).join(', ') }) : t('backup.downloaded'));
            })
          }
        >
          {t('backup.download')}
        </button>
        <label htmlFor={`${id}-file`} className="file-button secondary">
          {t('backup.restore')}
        </label>
        <input id={`${id}-file`} ref={input} type="file" accept=".json,application/json" className="visually-hidden-file" onChange={(e) => void restore(e.target.files?.[0])} />
      </div>
      <p role="status" className="hint">
        {message}
      </p>
      <ErrorNote error={error} />
    </section>
  );
}
