import { useTranslation } from 'react-i18next';
import type { UacstaStatus } from '../../../../shared/api/uacsta';
import { api } from '../../api';
import { formatDateTime } from '../../i18n';
import { useProblemText } from '../../i18n/useProblemText';
import { useAttempt } from '../../util/useAttempt';
import { ErrorNote } from '../ErrorNote';

/** Manual §3.7: whether the server runs, start and stop, and why the last start failed. */
export function StatusPage({ status, onStatus }: { status: UacstaStatus; onStatus(s: UacstaStatus): void }) {
  const { t } = useTranslation();
  const say = useProblemText();
  const { error, attempt } = useAttempt();
  const controllable = status.phones.filter((p) => p.status === 'controllable').length;
  return (
    <section className="card" aria-label={t('sipServer.pages.status')}>
      <p className="state-line">
        <span className={`state-dot state-${status.running ? 'connected' : 'stopped'}`} aria-hidden="true" /> <strong>{status.running && status.since ? t('sipServer.status.running', { since: formatDateTime(status.since) }) : t('sipServer.status.stopped')}</strong>
      </p>
      {status.listening.length > 0 && (
        <ul aria-label={t('sipServer.status.listeners')}>
          {status.listening.map((l) => (
            <li key={`${l.interface}-${l.transport}-${l.host}-${l.port}`}>
              {t('sipServer.status.listener', { iface: t(`sipServer.status.interfaces.${l.interface}`), transport: l.transport, host: l.host, port: l.port })}
              {l.advertised && ` ${t('sipServer.status.advertised', { address: l.advertised })}`}
            </li>
          ))}
        </ul>
      )}
      <p>{t('sipServer.status.counts', { phones: status.phones.length, controllable, lines: status.lines.length })}</p>
      {status.startProblem && (
        <p className="problem" role="alert">
          {t('sipServer.status.startFailed')} {say(status.startProblem)}
        </p>
      )}
      <ErrorNote error={error} />
      {status.running ? (
        <button type="button" className="secondary" onClick={() => attempt(async () => onStatus(await api().call('uacsta.stop', {})))}>
          {t('sipServer.status.stop')}
        </button>
      ) : (
        <button type="button" onClick={() => attempt(async () => onStatus(await api().call('uacsta.start', {})))}>
          {t('sipServer.status.start')}
        </button>
      )}
    </section>
  );
}
