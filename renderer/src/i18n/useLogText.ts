import { useTranslation } from 'react-i18next';
import type { LogEntry } from '../../../shared/api/app';
import { logEntryText } from './log-text';

/**
 * A log entry in the admin's language: a coded entry by its code (the instance by name, a failure by its
 * cause's sentence); an entry main wrote only in English stays English. The source in words too.
 */
export function useLogText(): { text(e: LogEntry): string; source(e: LogEntry): string } {
  const { t, i18n } = useTranslation();
  return {
    text: (e) => logEntryText((key, params) => t(key, params ?? {}) as string, (key) => i18n.exists(key), e),
    source: (e) => (i18n.exists(`logSources.${e.source}`) ? t(`logSources.${e.source}`) : e.source),
  };
}
