import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionStatus, LinkHistoryEvent } from '../../../../shared/api/drivers';
import { api } from '../../api';
import { formatDateTime } from '../../i18n';
import { useCauseText } from '../../i18n/useCauseText';

/** "7 s", "3 min 5 s", "2 h 4 min": how long a link was down, or how long until the next attempt. */
export function useDuration(): (ms: number) => string {
  const { t } = useTranslation();
  return (ms) => {
    const s = Math.max(1, Math.round(ms / 1000));
    if (s < 60) return t('status.history.seconds', { s });
    if (s < 3600) return t('status.history.minutes', { m: Math.floor(s / 60), s: s % 60 });
    return t('status.history.hours', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
  };
}

/** Link drops (with their cause) and recoveries (with the time down) of the last 7 days, newest first; read again on every change of state. */
export function LinkTimeline({ instanceId, connection }: { instanceId: string; connection: Pick<ConnectionStatus, 'state' | 'since'> }) {
  const { t } = useTranslation();
  const cause = useCauseText();
  const duration = useDuration();
  const [events, setEvents] = useState<LinkHistoryEvent[]>([]);
  useEffect(() => {
    let alive = true;
    api()
      .call('driver.linkHistory', { instanceId })
      .then((r) => alive && setEvents(r.events))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [instanceId, connection.state, connection.since]);
  const shown = events.slice(-50).reverse();
  return (
    <section className="link-timeline" aria-label={t('status.history.title')}>
      <h3>{t('status.history.title')}</h3>
      {shown.length === 0 ? (
        <p className="empty">{t('status.history.empty')}</p>
      ) : (
        <ol>
          {shown.map((e, i) => (
            <li key={`${e.at}-${i}`} className={`link-${e.kind}`}>
              <time dateTime={e.at}>{formatDateTime(e.at)}</time>{' '}
              {e.kind === 'down'
                ? t('status.history.down', { cause: cause(e.code ?? '') })
                : e.kind === 'up'
                  ? e.downMs !== undefined
                    ? t('status.history.upAfter', { duration: duration(e.downMs) })
                    : t('status.history.up')
                  : t('status.history.stopped')}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
