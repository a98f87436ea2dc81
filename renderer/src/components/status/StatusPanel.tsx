import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstanceDetails } from '../../../../shared/api/instances';
import type { DriverStatus } from '../../../../shared/api/drivers';
import { FAMILY_SPECS } from '../../../../shared/families';
import { api } from '../../api';
import { formatDateTime, formatNumber } from '../../i18n';
import { useAttempt } from '../../util/useAttempt';
import { ErrorNote } from '../ErrorNote';
import { LogList } from '../LogList';
import { EventsChart } from './EventsChart';
import { LinkTimeline } from './LinkTimeline';
import { ReconnectCountdown } from './ReconnectCountdown';
import { LineMonitor } from './LineMonitor';
import { LineControl } from './LineControl';
import { useLog } from '../../store/log';
import { useCauseText } from '../../i18n/useCauseText';
import { useFactsText } from '../../i18n/useFactsText';
import { useProblemText } from '../../i18n/useProblemText';
import { usePasswordPrompt } from '../../store/password-prompt';

const SAMPLES = 60;

/** Live connection state of the instance's driver: since when, last error, reconnects, events per second, log. */
export function StatusPanel({ details }: { details: InstanceDetails }) {
  const { t } = useTranslation();
  const cause = useCauseText();
  const facts = useFactsText();
  const say = useProblemText();
  const [status, setStatus] = useState<DriverStatus | null>(null);
  const [samples, setSamples] = useState<number[]>([]);
  const { error, attempt } = useAttempt();
  const loadLog = useLog((s) => s.load);
  const askPassword = usePasswordPrompt((s) => s.dismiss);
  const id = details.id;

  useEffect(() => {
    void loadLog();
    let alive = true;
    const poll = async () => {
      try {
        const s = await api().call('driver.status', { instanceId: id });
        if (!alive) return;
        setStatus(s);
        setSamples((prev) => [...prev.slice(-(SAMPLES - 1)), s.connection.eventsPerSecond]);
      } catch {
        // A poll that fails (the instance was just deleted) is retried by the next tick.
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), 1000);
    const off = api().on('connection.status', (c) => {
      if (c.instanceId === id) setStatus((s) => (s ? { ...s, connection: c } : s));
    });
    return () => {
      alive = false;
      clearInterval(timer);
      off();
    };
  }, [id, loadLog]);

  const c = status?.connection;
  return (
    <div className="status-panel">
      <div className="toolbar">
        <button type="button" disabled={!status || status.running || !FAMILY_SPECS[details.family].capabilities.runtime} onClick={() => attempt(async () => setStatus(await api().call('driver.start', { instanceId: id })))}>
          {t('status.start')}
        </button>
        <button type="button" className="secondary" disabled={!status?.running} onClick={() => attempt(async () => setStatus(await api().call('driver.stop', { instanceId: id })))}>
          {t('status.stop')}
        </button>
      </div>
      <ErrorNote error={error} />
      {c && status && (
        <section className="card" aria-label={t('status.title')}>
          <p className="state-line">
            {/* Green only when every line is open: a link whose lines are refused (licences, monitors) is amber. */}
            <span className={`state-dot state-${c.state === 'connected' && status.lines.open < status.lines.total ? 'partial' : c.state}`} aria-hidden="true" />{' '}
            <strong data-testid="connection-state">{t(`states.${c.state}`)}</strong>{' '}
            <span className="hint">{t('status.since', { time: formatDateTime(c.since) })}</span>
          </p>
          {/* The open-lines summary has its own line below; other steps are said in the chosen language. */}
          {c.stepCode !== 'open' && <p className="hint">{t(`status.steps.${c.stepCode}`, c.stepParams)}</p>}
          {c.target && (
            <p data-testid="connection-target">{c.target.via === 'srv' ? t('status.targetSrv', { host: c.target.host, port: c.target.port, record: c.target.record ?? '' }) : t('status.target', { host: c.target.host, port: c.target.port })}</p>
          )}
          {c.lastError && (
            <div className="problem" role="alert" data-code={c.lastError.code}>
              <p>{t('status.lastError', { cause: cause(c.lastError.code) })}</p>
              <p className="facts">{facts(c.lastError)}</p>
            </div>
          )}
          {c.stepCode === 'passwordNeeded' && (
            <p>
              <button type="button" onClick={() => askPassword(id, false)}>
                {t('passwordPrompt.open')}
              </button>
            </p>
          )}
          {c.attempts > 0 && <p>{t('status.attempts', { count: c.attempts })}</p>}
          {c.nextAttemptAt && status.running && <ReconnectCountdown instanceId={id} nextAttemptAt={c.nextAttemptAt} onStatus={setStatus} attempt={attempt} />}
          {c.warnings.map((w) => (
            <p key={w.message} className="hint warn">
              {say(w)}
            </p>
          ))}
          <p>
            {t('status.lines', {
              open: formatNumber(status.lines.open),
              total: formatNumber(status.lines.total),
              retrying: formatNumber(status.lines.retrying),
              noLicence: formatNumber(status.lines.noLicence),
            })}
          </p>
          {status.lines.noLicence > 0 && (
            <p className="problem" role="alert">
              {t('errors.LICENCE_POOL_EMPTY')}
            </p>
          )}
          <div className="chart-row">
            <EventsChart samples={samples} />
            <LinkTimeline instanceId={id} connection={c} />
          </div>
        </section>
      )}
      {status?.running && <LineControl instanceId={id} ops={FAMILY_SPECS[details.family].capabilities.callControl} />}
      <LineMonitor instanceId={id} />
      <LogList />
    </div>
  );
}
