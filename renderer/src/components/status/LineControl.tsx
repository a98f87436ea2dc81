import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LineAddress, LineStatus } from '../../../../shared/api/drivers';
import { FORWARDING_CALLERS, FORWARDING_KINDS, type ForwardingKey, type LineFeatures, type RemoteOffice } from '../../../../shared/api/call-control';
import type { CallControlOp } from '../../../../shared/families';
import { api } from '../../api';
import { useAttempt } from '../../util/useAttempt';
import { ErrorNote } from '../ErrorNote';
import { actionsFor } from './call-actions';

/** Call control on one line of a running driver: dial and hang up, the line's calls with their actions, DND, forwarding, Remote Office. */
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
  /** Remote Office as the platform has it (read when the line is shown, and back after each change). */
  const [remoteOffice, setRemoteOffice] = useState<RemoteOffice | null>(null);
  const [remoteNumber, setRemoteNumber] = useState('');
  const showRemoteOffice = (r: RemoteOffice) => {
    setRemoteOffice(r);
    if (r.number) setRemoteNumber(r.number);
  };
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
  const withRemoteOffice = can('remoteOffice');
  useEffect(() => {
    setRemoteOffice(null);
    if (!shown || !withRemoteOffice) return;
    // A line chosen meanwhile wins over the answer for the one before.
    let current = true;
    api().call('line.features', { instanceId, line: shown }).then((f) => current && f.remoteOffice && showRemoteOffice(f.remoteOffice), () => undefined);
    return () => {
      current = false;
    };
  }, [instanceId, shown, withRemoteOffice]);
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
        {withRemoteOffice && <>
        <label>
          <input type="checkbox" disabled={!status || !remoteOffice || (!remoteOffice.active && !remoteNumber.trim())} checked={Boolean(remoteOffice?.active)}
            onChange={(e) => void run(async () => showRemoteOffice(await api().call('line.setRemoteOffice', { instanceId, line, active: e.target.checked, ...(remoteNumber.trim() ? { number: remoteNumber.trim() } : {}) })))} />
          <span>{t('control.remoteOffice')}</span>
        </label>
        <label>
          <span>{t('control.remoteOfficeNumber')}</span>
          <input value={remoteNumber} onChange={(e) => setRemoteNumber(e.target.value)} />
        </label>
        </>}
        {can('readFeatures') && <button type="button" className="secondary" disabled={!status} onClick={() => run(async () => {
          const f = await api().call('line.features', { instanceId, line });
          setFeatures(f);
          if (f.remoteOffice) showRemoteOffice(f.remoteOffice);
        })}>
          {t('control.readFeatures')}
        </button>}
      </div>
      {features && (
        <ul aria-label={t('control.featuresTitle')}>
          <li>{t('control.dnd')}: {t(features.doNotDisturb ? 'control.on' : 'control.off')}</li>
          {features.forwarding.filter((f) => f.on).map((f) => (
            <li key={`${f.kind}-${f.callers}`}>{t('control.forwardingEntry', { kind: t(`control.forwardKinds.${f.kind}`), callers: t(`control.callers.${f.callers}`), to: f.to ?? '' })}</li>
          ))}
          {features.remoteOffice && <li>{t('control.remoteOfficeEntry', { state: t(features.remoteOffice.active ? 'control.on' : 'control.off'), number: features.remoteOffice.number ?? '–' })}</li>}
        </ul>
      )}
      <p role="status" className="hint">
        {message}
        {status && ` ${t('control.state', { line: status.display ?? status.line, state: t(`monitor.lineStates.${status.inService === false ? 'outOfService' : status.state}`), calls: status.calls.length })}`}
        {status?.forwarding?.on && ` ${t('control.forwarded', { to: status.forwarding.to ?? '' })}`}
        {status && remoteOffice?.active && ` ${t('control.remoteOfficeOn', { number: remoteOffice.number ?? '' })}`}
      </p>
      <ErrorNote error={error} />
    </section>
  );
}
