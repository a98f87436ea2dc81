import type { CallInfo } from '../../../../shared/api/drivers';
import type { CallControlRequest } from '../../../../shared/api/call-control';
import type { CallControlOp } from '../../../../shared/families';

export type Action = { key: string; label: string; request: CallControlRequest; needsNumber?: boolean };
type T = (key: string, params?: Record<string, string>) => string;

/**
 * The actions a softphone offers for one call in its state: answer or redirect a ringing call; hold, transfer,
 * consult or send digits on a connected one; take a held one back; and with one call held and one connected,
 * swap, complete the transfer or join both into a conference; a conference offers to remove each of its parties.
 * Only what the family offers (`can`).
 */
export function actionsFor(call: CallInfo, calls: CallInfo[], number: string, can: (op: CallControlOp) => boolean, t: T): Action[] {
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
      // One button per party the PBX named in the conference: the admin picks whom to drop, nothing to type.
      if (can('removeParty'))
        for (const party of call.parties ?? [])
          out.push({ key: `removeParty-${party}`, label: t('control.actions.removeParty', { party }), request: { op: 'removeParty', callId: call.callId, party } });
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
