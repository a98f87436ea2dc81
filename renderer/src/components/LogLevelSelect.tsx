import { useTranslation } from 'react-i18next';
import { LOG_LEVELS, type LogLevel } from '../../../shared/api/app';

/** A labelled choice of log level: the level written to the log, or the level a list shows. */
export function LogLevelSelect({ value, onChange }: { value: LogLevel; onChange: (level: LogLevel) => void }) {
  const { t } = useTranslation();
  return (
    <label>
      <span>{t('settings.logLevel')}</span>
      <select value={value} onChange={(e) => onChange(e.target.value as LogLevel)}>
        {LOG_LEVELS.map((l) => (
          <option key={l} value={l}>
            {t(`levels.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
