import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallInfo, LineAddress, LineStatus } from '../../../../shared/api/drivers';
import { FORWARDING_CALLERS, FORWARDING_KINDS, type CallControlRequest, type ForwardingKey, type LineFeatures } from '../../../../shared/api/call-control';
import type { CallControlOp } from '../../../../shared/families';
import { api } from '../../api';
import { useAttempt } from '../../util/useAttempt';
import { ErrorNote } from '../ErrorNote';

type Action = { key: string; label: string; request: CallControlRequest; needsNumber?: boolean };

/**
 * The actions a softphone offers for one call in its state: answer or redirect a ringing call; hold, transfer,
 * consult or send digits on a connected one; take a held one back; and with one call held and one connected,
 * swap, complete the transfer or join both into a conference. Only what the family offers (`can`).
 */
function actionsFor(call: CallInfo, calls: CallInfo[], number: string, can: (op: CallControlOp) => boolean, t: (k: string) => string): Action[] {
  const to = number.trim();
  const out: Action[] = [];
  const add = (op: CallControlOp, label: string, request: CallControlRequest, needsNumber = false) => {
    if (can(op)) out.push({ key: op, label: t(`control.actions.${label}`), request, needsNumber });
  };
  const held = calls.find((c) => c.state === 'held' && c.callId !== call.callId);
  switch (call.state) {
    case 'alerting':
      if (call.direction !== 'outgoing') add('answer', 'answer', { op: 'answer', callId: call.callId });
      add('redirect', 'redirect', { op: 'redirect', callId: call.callId, to }, true);
      break;
    case 'connected':
      add('hold', 'hold', { op: 'hold', callId: call.callId });
      // A call we placed that meets a busy extension: ask to be called back, or join its call (the PBX refuses otherwise).
      if (call.direction === 'outgoing') {
        add('callBack', 'callBack', { op: 'callBack', callId: call.callId });
        add('intrude', 'intrude', { op: 'intrude', callId: call.callId });
      }
      if (held) {
        add('alternate', 'swap', { op: 'alternate', heldCallId: held.callId, activeCallId: call.callId });
        add('transfer', 'completeTransfer', { op: 'transfer', heldCallId: held.callId, activeCallId: call.callId });
        add('conference', 'conference', { op: 'conference', heldCallId: held.callId, activeCallId: call.callId });
      } else {
        add('blindTransfer', 'blindTransfer', { op: 'blindTransfer', callId: call.callId, to }, true);
        add('consult', 'consult', { op: 'consult', callId: call.callId, to }, true);
      }
      add('digits', 'digits', { op: 'digits', callId: call.callId, digits: to }, true);
      break;
    case 'held':
      if (!calls.some((c) => c.state === 'connected')) add('retrieve', 'retrieve', { op: 'retrieve', callId: call.callId });
      break;
    case 'initiated':
      // Dial tone (the handset is off-hook without a number): dial the number field on this call.
      add('dial', 'dial', { op: 'dial', callId: call.callId, to }, true);
      if (held) add('transfer', 'completeTransfer', { op: 'transfer', heldCallId: held.callId, activeCallId: call.callId });
      break;
    case 'failed':
      add('callBack', 'callBack', { op: 'callBack', callId: call.callId });
      break;
  }
  return out;
}

/** Call control on one line of a running driver: dial and hang up, the line's calls with their actions, DND and forwarding. */
export function LineControl({ instanceId, ops }: { instanceId: string; ops: readonly CallControlOp[] }) {
  const can = (op: CallControlOp) => ops.includes(op);
  const { t } = useTranslation();
  const id = useId();
  const [line, setLine] = useState('');
  const [number, setNumber] = useState('');
  const [forwardTo, setForwardTo] = useState('');
  const [which, setWhich] = useState<ForwardingKey>({ kind: 'immediate', callers: 'all' });
  const [status, setStatus] = useState<LineStatus | null>(null);
  /** The Super-Twin handset acts instead of the line when chosen (offered once the line has a Mobile address). */
  const [chosenAddress, setAddress] = useState<LineAddress>('line');
  const address: LineAddress = status?.mobile ? chosenAddress : 'line';
  const [features, setFeatures] = useState<LineFeatures | null>(null);
  const [message, setMessage] = useState('');
  const { error, attempt } = useAttempt();
  const refresh = async () => setStatus(await api().call('line.status', { instanceId, line }));
  const run = (action: () => Promise<unknown>) => attempt(async () => {
    setMessage('');
    await action();
    await refresh();
  });
  // The call list follows the line's events (a call rings, is answered, ends) without a click.
  const shown = status?.line;
  useEffect(() => {
    if (!shown) return;
    return api().on('line.event', (e) => {
      if (e.instanceId === instanceId && e.line === shown) api().call('line.status', { instanceId, line: shown }).then(setStatus, () => undefined);
    });
  }, [instanceId, shown]);
  const plainForwarding = which.kind === 'immediate' && which.callers === 'all';
  const setForwarding = (on: boolean) => api().call('line.setForwarding', { instanceId, line, on, ...(on ? { to: forwardTo.trim() } : {}), ...(plainForwarding ? {} : { which }) });
  const calls = status?.calls ?? [];
  return (
    <section className="card" aria-label={t('control.title')}>
      <h2>{t('control.title')}</h2>
      <div className="inline-fields">
        <label>
          <span>{t('control.line')}</span>
          <input id={`${id}-line`} value={line} onChange={(e) => setLine(e.target.value.trim())} onBlur={() => line && void attempt(refresh)} />
        </label>
        {status?.mobile && <label>
          <span>{t('control.address')}</span>
          <select value={address} onChange={(e) => setAddress(e.target.value as LineAddress)}>
            <option value="line">{t('control.addresses.line')}</option>
            <option value="mobile">{t('control.addresses.mobile', { mobile: status.mobile })}</option>
          </select>
        </label>}
        <label>
          <span>{t('control.number')}</span>
          <input value={number} onChange={(e) => setNumber(e.target.value)} />
        </label>
        {can('makeCall') && <button type="button" disabled={!line || !number.trim()} onClick={() => run(async () => setMessage(t('control.dialed', { number: (await api().call('line.makeCall', { instanceId, line, number, address })).dialed })))}>
          {t('control.call')}
        </button>}
        {can('clearCall') && <button type="button" className="secondary" disabled={!line} onClick={() => run(() => api().call('line.clearCall', { instanceId, line, address }))}>
          {t('control.hangUp')}
        </button>}
        {can('callBackTo') && <button type="button" className="secondary" disabled={!status || !number.trim()} title={t('control.usesNumber')} onClick={() => run(async () => {
          await api().call('line.callControl', { instanceId, line, request: { op: 'callBackTo', to: number.trim() }, address });
          setMessage(t('control.done', { action: t('control.actions.callBackTo') }));
        })}>
          {t('control.actions.callBackTo')}
        </button>}
        {can('pickup') && <button type="button" className="secondary" disabled={!status || !number.trim()} onClick={() => run(() => api().call('line.callControl', { instanceId, line, request: { op: 'pickup', from: number.trim() }, address }))}>
          {t('control.actions.pickup')}
        </button>}
      </div>
      {status && (
        <table className="compact" aria-label={t('control.calls', { line: status.line })}>
          <thead>
            <tr>
              <th>{t('monitor.call')}</th>
              <th>{t('control.callState')}</th>
              <th>{t('monitor.remote')}</th>
              <th>{t('control.actionsTitle')}</th>
            </tr>
          </thead>
          <tbody>
            {calls.length === 0 && (
              <tr>
                <td colSpan={4}>{t('control.noCalls')}</td>
              </tr>
            )}
            {calls.map((c) => (
              <tr key={c.callId} data-call-state={c.state}>
                <td>{c.callId}</td>
                <td>{t(`monitor.callStates.${c.state}`)}</td>
                <td title={c.remoteCanonical ?? c.remoteRaw}>{c.remote || c.remoteCanonical || c.remoteRaw || '–'}</td>
                <td className="actions">
                  {actionsFor(c, calls, number, can, t).map((a) => (
                    <button key={a.key} type="button" className="secondary" disabled={a.needsNumber && !number.trim()} title={a.needsNumber ? t('control.usesNumber') : undefined}
                      onClick={() => run(async () => {
                        const r = await api().call('line.callControl', { instanceId, line, request: a.request, address });
                        setMessage(t('control.done', { action: a.label }) + (r.callId && r.callId !== c.callId ? ` ${t('control.newCall', { callId: r.callId })}` : ''));
                      })}>
                      {a.label}
                    </button>
                  ))}
                  {can('clearCall') && <button type="button" className="secondary" onClick={() => run(() => api().call('line.clearCall', { instanceId, line, callId: c.callId, address }))}>{t('control.endCall')}</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="inline-fields">
        {can('setDoNotDisturb') && <label>
          <input type="checkbox" disabled={!status} checked={Boolean(status?.doNotDisturb)} onChange={(e) => void run(() => api().call('line.setDoNotDisturb', { instanceId, line, on: e.target.checked }))} />
          <span>{t('control.dnd')}</span>
        </label>}
        {can('setForwarding') && <>
        {(can('forwardBusy') || can('forwardNoAnswer')) && <label>
          <span>{t('control.forwardKind')}</span>
          <select value={which.kind} onChange={(e) => setWhich({ ...which, kind: e.target.value as ForwardingKey['kind'] })}>
            {FORWARDING_KINDS.filter((k) => k === 'immediate' || can(k === 'busy' ? 'forwardBusy' : 'forwardNoAnswer')).map((k) => <option key={k} value={k}>{t(`control.forwardKinds.${k}`)}</option>)}
          </select>
        </label>}
        {can('forwardByCaller') && <label>
          <span>{t('control.forwardCallers')}</span>
          <select value={which.callers} onChange={(e) => setWhich({ ...which, callers: e.target.value as ForwardingKey['callers'] })}>
            {FORWARDING_CALLERS.map((k) => <option key={k} value={k}>{t(`control.callers.${k}`)}</option>)}
          </select>
        </label>}
        <label>
          <span>{t('control.forwardTo')}</span>
          <input value={forwardTo} onChange={(e) => setForwardTo(e.target.value)} />
        </label>
        <button type="button" className="secondary" disabled={!status || !forwardTo.trim()} onClick={() => run(() => setForwarding(true))}>
          {t('control.forwardOn')}
        </button>
        <button type="button" className="secondary" disabled={!status || (plainForwarding && !status.forwarding?.on)} onClick={() => run(() => setForwarding(false))}>
          {t('control.forwardOff')}
        </button>
        </>}
        {can('readFeatures') && <button type="button" className="secondary" disabled={!status} onClick={() => run(async () => setFeatures(await api().call('line.features', { instanceId, line })))}>
          {t('control.readFeatures')}
        </button>}
      </div>
      {features && (
        <ul aria-label={t('control.featuresTitle')}>
          <li>{t('control.dnd')}: {t(features.doNotDisturb ? 'control.on' : 'control.off')}</li>
          {features.forwarding.filter((f) => f.on).map((f) => (
            <li key={`${f.kind}-${f.callers}`}>{t('control.forwardingEntry', { kind: t(`control.forwardKinds.${f.kind}`), callers: t(`control.callers.${f.callers}`), to: f.to ?? '' })}</li>
          ))}
        </ul>
      )}
      <p role="status" className="hint">
        {message}
        {status && ` ${t('control.state', { line: status.display ?? status.line, state: t(`monitor.lineStates.${status.inService === false ? 'outOfService' : status.state}`), calls: status.calls.length })}`}
        {status?.forwarding?.on && ` ${t('control.forwarded', { to: status.forwarding.to ?? '' })}`}
      </p>
      <ErrorNote error={error} />
    </section>
  );
}
