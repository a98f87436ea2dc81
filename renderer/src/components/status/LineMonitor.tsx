import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LineEvent } from '../../../../shared/api/drivers';
import { api } from '../../api';
import { formatDateTime } from '../../i18n';
import { useLineEventText } from '../../i18n/useLineEventText';

const KEEP = 50;

/** The instance's call events as they arrive: which line, what happened, the other party, the line's state. */
export function LineMonitor({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation();
  const eventText = useLineEventText();
  const [events, setEvents] = useState<LineEvent[]>([]);
  useEffect(() => api().on('line.event', (e) => e.instanceId === instanceId && setEvents((prev) => [e, ...prev].slice(0, KEEP))), [instanceId]);
  return (
    <section className="card" aria-label={t('monitor.title')}>
      <h2>{t('monitor.title')}</h2>
      {events.length === 0 ? (
        <p className="empty">{t('monitor.empty')}</p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th>{t('monitor.time')}</th>
              <th>{t('monitor.line')}</th>
              <th>{t('monitor.event')}</th>
              <th>{t('monitor.call')}</th>
              <th>{t('monitor.remote')}</th>
              <th>{t('monitor.lineState')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e, i) => (
              <tr key={`${e.time}-${i}`}>
                <td>{formatDateTime(e.time)}</td>
                <td>{e.line}</td>
                <td>{eventText(e)}</td>
                <td>{e.callState ? t(`monitor.callStates.${e.callState}`) : ''}</td>
                <td>{e.numbers.remote ?? ''}</td>
                <td>{t(`monitor.lineStates.${e.lineState}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
