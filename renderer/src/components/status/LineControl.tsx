import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LineStatus } from '../../../../shared/api/drivers';
import type { CallControlOp } from '../../../../shared/families';
import { api } from '../../api';
import { useAttempt } from '../../util/useAttempt';
import { ErrorNote } from '../ErrorNote';

/** Call control on one line of a running driver: the operations the family offers (dial, hang up, DND, forwarding). */
export function LineControl({ instanceId, ops }: { instanceId: string; ops: readonly CallControlOp[] }) {
  const can = (op: CallControlOp) => ops.includes(op);
  const { t } = useTranslation();
  const id = useId();
  const [line, setLine] = useState('');
  const [number, setNumber] = useState('');
  const [forwardTo, setForwardTo] = useState('');
  const [status, setStatus] = useState<LineStatus | null>(null);
  const [message, setMessage] = useState('');
  const { error, attempt } = useAttempt();
  const refresh = async () => setStatus(await api().call('line.status', { instanceId, line }));
  const run = (action: () => Promise<unknown>) => attempt(async () => {
    setMessage('');
    await action();
    await refresh();
  });
  return (
    <section className="card" aria-label={t('control.title')}>
      <h2>{t('control.title')}</h2>
      <div className="inline-fields">
        <label>
          <span>{t('control.line')}</span>
          <input id={`${id}-line`} value={line} onChange={(e) => setLine(e.target.value.trim())} onBlur={() => line && void attempt(refresh)} />
        </label>
        <label>
          <span>{t('control.number')}</span>
          <input value={number} onChange={(e) => setNumber(e.target.value)} />
        </label>
        {can('makeCall') && <button type="button" disabled={!line || !number.trim()} onClick={() => run(async () => setMessage(t('control.dialed', { number: (await api().call('line.makeCall', { instanceId, line, number })).dialed })))}>
          {t('control.call')}
        </button>}
        {can('clearCall') && <button type="button" className="secondary" disabled={!line} onClick={() => run(() => api().call('line.clearCall', { instanceId, line }))}>
          {t('control.hangUp')}
        </button>}
      </div>
      <div className="inline-fields">
        {can('setDoNotDisturb') && <label>
          <input type="checkbox" disabled={!status} checked={Boolean(status?.doNotDisturb)} onChange={(e) => void run(() => api().call('line.setDoNotDisturb', { instanceId, line, on: e.target.checked }))} />
          <span>{t('control.dnd')}</span>
        </label>}
        {can('setForwarding') && <>
        <label>
          <span>{t('control.forwardTo')}</span>
          <input value={forwardTo} onChange={(e) => setForwardTo(e.target.value)} />
        </label>
        <button type="button" className="secondary" disabled={!status || !forwardTo.trim()} onClick={() => run(() => api().call('line.setForwarding', { instanceId, line, on: true, to: forwardTo.trim() }))}>
          {t('control.forwardOn')}
        </button>
        <button type="button" className="secondary" disabled={!status?.forwarding?.on} onClick={() => run(() => api().call('line.setForwarding', { instanceId, line, on: false }))}>
          {t('control.forwardOff')}
        </button>
        </>}
      </div>
      <p role="status" className="hint">
        {message}
        {status && ` ${t('control.state', { line: status.line, state: t(`monitor.lineStates.${status.state}`), calls: status.calls.length })}`}
        {status?.forwarding?.on && ` ${t('control.forwarded', { to: status.forwarding.to ?? '' })}`}
      </p>
      <ErrorNote error={error} />
    </section>
  );
}
