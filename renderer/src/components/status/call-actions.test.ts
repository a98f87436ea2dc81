import { describe, expect, it } from 'vitest';
import type { CallInfo } from '../../../../shared/api/drivers';
import { CALL_OPS } from '../../../../shared/api/call-control';
import type { CallControlOp } from '../../../../shared/families';
import { en } from '../../i18n/en';
import { de } from '../../i18n/de';
import { actionsFor } from './call-actions';

/** The catalogue's own texts with {{params}} filled in, so a missing key shows as the key. */
function tOf(catalogue: Record<string, unknown>) {
  return (key: string, params: Record<string, string> = {}) => {
    const text = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], catalogue);
    return typeof text === 'string' ? text.replace(/\{\{(\w+)\}\}/g, (_, p: string) => params[p] ?? '') : key;
  };
}
const call = (callId: string, state: CallInfo['state'], more: Partial<CallInfo> = {}): CallInfo => ({ callId, state, direction: 'incoming', remote: '', remoteRaw: '', since: '', ...more });
const all = (op: CallControlOp) => (CALL_OPS as readonly string[]).includes(op);
const labels = (c: CallInfo, calls: CallInfo[], can = all, t = tOf(en)) => actionsFor(c, calls, '102', can, t).map((a) => a.label);

describe('the call list offers the actions valid in each call state', () => {
  it('a ringing call: answer and redirect; an outgoing one rings elsewhere and offers no answer', () => {
    const ringing = call('1', 'alerting');
    expect(labels(ringing, [ringing])).toEqual(['Answer', 'Redirect']);
    expect(labels({ ...ringing, direction: 'outgoing' }, [ringing])).toEqual(['Redirect']);
  });

  it('a connected call alone: hold, blind transfer, consult, digits; with a held one: swap, complete transfer, conference', () => {
    const active = call('2', 'connected');
    expect(labels(active, [active])).toEqual(['Hold', 'Transfer', 'Consult', 'Send digits']);
    const held = call('1', 'held');
    expect(labels(active, [held, active])).toEqual(['Hold', 'Swap', 'Complete transfer', 'Conference', 'Send digits']);
    expect(actionsFor(active, [held, active], '', all, tOf(en)).find((a) => a.label === 'Swap')!.request).toEqual({ op: 'alternate', heldCallId: '1', activeCallId: '2' });
    // The held call cannot be retrieved while another is connected (swap does that).
    expect(labels(held, [held, active])).toEqual([]);
    expect(labels(held, [held])).toEqual(['Retrieve']);
  });

  it('a conference offers to remove each of its parties, by the number the PBX named', () => {
    const conference = call('1', 'connected', { parties: ['102', '103'] });
    const actions = actionsFor(conference, [conference], '', all, tOf(en));
    const remove = actions.filter((a) => a.request.op === 'removeParty');
    expect(remove.map((a) => a.label)).toEqual(['Remove 102', 'Remove 103']);
    expect(remove[1]!.request).toEqual({ op: 'removeParty', callId: '1', party: '103' });
    expect(remove.every((a) => !a.needsNumber)).toBe(true);
    // A family without the operation offers none.
    expect(actionsFor(conference, [conference], '', (op) => op !== 'removeParty' && all(op), tOf(en)).some((a) => a.request.op === 'removeParty')).toBe(false);
  });

  it('an outgoing call offers call back and intrude; a failed one call back; dial tone offers dial', () => {
    expect(labels(call('3', 'connected', { direction: 'outgoing' }), [])).toContain('Intrude');
    expect(labels(call('3', 'failed'), [])).toEqual(['Call back when free']);
    expect(labels(call('4', 'initiated'), [])).toEqual(['Dial']);
  });

  it('only what the family offers', () => {
    const active = call('2', 'connected');
    expect(labels(active, [active], (op) => op === 'hold')).toEqual(['Hold']);
  });

  it('German labels for every action', () => {
    const conference = call('1', 'connected', { parties: ['102', '103'] });
    const held = call('5', 'held');
    expect(labels(conference, [held, conference], all, tOf(de))).toEqual(['Halten', 'Makeln', 'Verbinden', 'Konferenz', '102 entfernen', '103 entfernen', 'Ziffern senden']);
    expect(labels(call('6', 'alerting'), [], all, tOf(de))).toEqual(['Annehmen', 'Umleiten']);
  });
});
