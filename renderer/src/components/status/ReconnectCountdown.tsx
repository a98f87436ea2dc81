import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DriverStatus } from '../../../../shared/api/drivers';
import { api } from '../../api';
import { useDuration } from './LinkTimeline';

/** While the driver waits to reconnect: the seconds left, ticking, and "reconnect now". */
export function ReconnectCountdown({ instanceId, nextAttemptAt, onStatus, attempt }: { instanceId: string; nextAttemptAt: string; onStatus(s: DriverStatus): void; attempt(fn: () => Promise<void>): unknown }) {
  const { t } = useTranslation();
  const duration = useDuration();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [nextAttemptAt]);
  const seconds = Math.max(1, Math.ceil((Date.parse(nextAttemptAt) - now) / 1000));
  return (
    <p className="reconnect-countdown">
      <span role="timer" aria-live="off">
        {t('status.history.countdown', { duration: duration(seconds * 1000) })}
      </span>{' '}
      <button type="button" className="secondary" onClick={() => attempt(async () => onStatus(await api().call('driver.reconnectNow', { instanceId })))}>
        {t('status.history.reconnectNow')}
      </button>
    </p>
  );
}
