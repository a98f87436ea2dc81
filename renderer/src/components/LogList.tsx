import { useTranslation } from 'react-i18next';
import { LogLevelSelect } from './LogLevelSelect';
import { LOG_LEVELS } from '../../../shared/api/app';
import { formatDateTime } from '../i18n';
import { useLog } from '../store/log';
import { useLogText } from '../i18n/useLogText';

/** Recent log entries at or above the chosen level, newest first. */
export function LogList() {
  const { t } = useTranslation();
  const log = useLogText();
  const entries = useLog((s) => s.entries);
  const filter = useLog((s) => s.filter);
  const setFilter = useLog((s) => s.setFilter);
  const max = LOG_LEVELS.indexOf(filter);
  const shown = entries.filter((e) => LOG_LEVELS.indexOf(e.level) <= max).slice(-100).reverse();
  return (
    <section aria-labelledby="log-title" className="card">
      <div className="card-head">
        <h2 id="log-title">{t('settings.recentLog')}</h2>
        <LogLevelSelect value={filter} onChange={setFilter} />
      </div>
      {shown.length === 0 ? (
        <p className="empty">{t('settings.noEntries')}</p>
      ) : (
        <ol className="log-list">
          {shown.map((e, i) => (
            <li key={`${e.time}-${i}`} className={`log-${e.level}`}>
              <time dateTime={e.time}>{formatDateTime(e.time)}</time> <strong>{t(`levels.${e.level}`)}</strong> <span className="log-source">{log.source(e)}</span> {log.text(e)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
