import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MuxStatus } from '../../../shared/api/mux';
import { api } from '../api';
import { Page } from '../components/Page';
import { ErrorNote } from '../components/ErrorNote';
import { MuxStartForm } from '../components/mux/MuxStartForm';
import { MuxHolders } from '../components/mux/MuxHolders';
import { formatDateTime, formatNumber } from '../i18n';
import { useAttempt } from '../util/useAttempt';
import { useProblemText } from '../i18n/useProblemText';

/** The CSTA multiplexer: start it towards a PBX, watch its link, the applications and its counters. */
export function MultiplexerView() {
  const { t } = useTranslation();
  const say = useProblemText();
  const [status, setStatus] = useState<MuxStatus | null>(null);
  const { error, attempt } = useAttempt();
  useEffect(() => {
    void attempt(async () => setStatus(await api().call('mux.status', {})));
    return api().on('mux.status', setStatus);
  }, [attempt]);

  return (
    <Page title={t('multiplexer.title')} intro={t('multiplexer.intro')}>
      <ErrorNote error={error} />
      {status && !status.running && <MuxStartForm onStart={(input) => attempt(async () => setStatus(await api().call('mux.start', input)))} />}
      {status?.running && (
        <>
          <section className="card" aria-label={t('mux.link')}>
            {status.pbx && (
              <p className="state-line">
                <span className={`state-dot state-${status.pbx.state === 'disconnected' ? 'lost' : status.pbx.state}`} aria-hidden="true" />{' '}
                <strong>{t(`mux.states.${status.pbx.state}`)}</strong> {status.pbx.host}:{status.pbx.port} <span className="hint">{t('status.since', { time: formatDateTime(status.pbx.since) })}</span>
              </p>
            )}
            {status.pbx?.lastError && <p className="problem">{say(status.pbx.lastProblem ?? status.pbx.lastError)}</p>}
            {status.listening && <p>{t('mux.listening', { bind: status.listening.bind, port: status.listening.tcpPort, tls: status.listening.tlsPort ?? '—' })}</p>}
            {status.warnings.map((w) => (
              <p key={w} className="hint warn">
                {t(`mux.warnings.${w}`)}
              </p>
            ))}
            <p>{t('mux.monitors', { count: status.pbxMonitors })}</p>
            <button type="button" className="secondary" onClick={() => attempt(async () => setStatus(await api().call('mux.stop', {})))}>
              {t('mux.stop')}
            </button>
          </section>
          <section className="card" aria-label={t('mux.applications')}>
            <h2>{t('mux.applications')}</h2>
            {status.applications.length === 0 ? (
              <p className="empty">{t('mux.noApplications')}</p>
            ) : (
              <table className="grid">
                <thead>
                  <tr>
                    <th>#</th>
                    <th>{t('mux.address')}</th>
                    <th>{t('fields.user')}</th>
                    <th>{t('mux.since')}</th>
                    <th>{t('mux.monitored')}</th>
                    <th>{t('mux.requests')}</th>
                    <th>{t('mux.events')}</th>
                  </tr>
                </thead>
                <tbody>
                  {status.applications.map((a) => (
                    <tr key={a.id}>
                      <td>{a.id}</td>
                      <td>
                        {a.address} ({a.transport.toUpperCase()})
                      </td>
                      <td>{a.user ?? '—'}</td>
                      <td>{formatDateTime(a.since)}</td>
                      <td>{formatNumber(a.monitors.length)}</td>
                      <td>{formatNumber(a.requests)}</td>
                      <td>{formatNumber(a.events)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <MuxHolders applications={status.applications} />
          {status.counters && (
            <section className="card" aria-label={t('mux.counters')}>
              <h2>{t('mux.counters')}</h2>
              <dl className="counters">
                {Object.entries(status.counters).map(([k, n]) => (
                  <div key={k}>
                    <dt>{t(`mux.counterNames.${k}`, { defaultValue: k })}</dt>
                    <dd>{formatNumber(n)}</dd>
                  </div>
                ))}
              </dl>
            </section>
          )}
        </>
      )}
    </Page>
  );
}
