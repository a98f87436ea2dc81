import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentProblem } from '../../../shared/api/instances';
import { api } from '../api';
import { formatDateTime } from '../i18n';
import { useInstances } from '../store/instances';
import { useAttempt } from '../util/useAttempt';
import { ErrorNote } from './ErrorNote';

/**
 * Instance documents that cannot be read, by the name they are known by, each with "restore from backup copy".
 * Restoring keeps the damaged file beside the restored one, so nothing is lost by the click.
 */
export function DamagedInstances() {
  const { t } = useTranslation();
  const id = useId();
  const problems = useInstances((s) => s.problems);
  const loaded = useInstances((s) => s.loaded);
  const load = useInstances((s) => s.load);
  const select = useInstances((s) => s.select);
  const { error, attempt } = useAttempt();

  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);

  async function restore(p: DocumentProblem) {
    const name = p.name ?? p.document;
    if (!window.confirm(t('damaged.confirm', { name, savedAt: formatDateTime(p.backupSavedAt!), document: p.document }))) return;
    await attempt(async () => {
      // Opening the restored instance is the confirmation; the card goes once nothing is damaged.
      const restored = await api().call('instances.restoreBackup', { document: p.document });
      await load();
      await select(restored.id);
    });
  }

  if (problems.length === 0) return null;
  return (
    <section className="card damaged-instances" aria-labelledby={`${id}-title`} data-testid="damaged-instances">
      <h2 id={`${id}-title`}>{t('damaged.title')}</h2>
      <ul>
        {problems.map((p) => (
          <li key={p.document} data-document={p.document}>
            <p>{p.name ? t('damaged.item', { name: p.name }) : t('damaged.itemUnnamed', { document: p.document })}</p>
            {p.backupFile && p.backupSavedAt ? (
              <p>
                {t('damaged.backup', { savedAt: formatDateTime(p.backupSavedAt) })}{' '}
                <button type="button" onClick={() => void restore(p)}>
                  {t('damaged.restore')}
                </button>
              </p>
            ) : (
              <p className="hint">{t('damaged.noBackup')}</p>
            )}
          </li>
        ))}
      </ul>
      <ErrorNote error={error} />
    </section>
  );
}
