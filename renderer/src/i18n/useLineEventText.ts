import { useTranslation } from 'react-i18next';
import type { LineEvent } from '../../../shared/api/drivers';
import { useCauseText } from './useCauseText';

/**
 * A line-monitor event in words ("Call ringing (new call)", German "Gespräch klingelt (neues Gespräch)"), never
 * the protocol's names: the CSTA event and cause by their translation keys, a line's state change with the
 * failure code's sentence. An unknown name is quoted inside a translated frame.
 */
export function useLineEventText(): (e: Pick<LineEvent, 'event' | 'cause'>) => string {
  const { t, i18n } = useTranslation();
  const causeText = useCauseText();
  const word = (group: 'events' | 'causes', name: string) => {
    const key = `monitor.${group}.${name}`;
    return i18n.exists(key) && typeof t(key, { returnObjects: true }) === 'string' ? t(key) : t(`monitor.${group}.other`, { name });
  };
  return (e) => {
    const what = word('events', e.event);
    if (!e.cause) return what;
    const why = e.event.startsWith('line.') ? causeText(e.cause) : word('causes', e.cause);
    return `${what} (${why})`;
  };
}
