// The manual's TAPI list for CME through the API (`line.callControl` and the line methods) against the simulator
// over HTTP and SIP/TCP: every operation reaches the simulated CME as CSTA XML in the session server's dialog,
// changes its calls, and comes back as the event sequence a monitor of each line sees.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCmeSim, type CmeSim } from '../../sim/cme';
import { call, startApi, until, type ApiHarness } from '../testing/api-harness';
import { freePort } from '../shared/free-port';

// Phones 1, 2 and 4 carry 2001, 2002, 2004 on their first button (phone 3 is unregistered).
const L1 = '2001|001122000001';
const L2 = '2002|001122000002';
const L4 = '2004|001122000004';

let harness: ApiHarness;
let sim: CmeSim;
let id: string;

async function control(path: string, body: unknown): Promise<any> {
  const r = await fetch(`${sim.controlUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
  const json = await r.json();
  if (!r.ok) throw new Error(`${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

const cc = (line: string, request: unknown) => call(harness.api, 'line.callControl', { instanceId: id, line, request });
/** The events of `line` (and call, when given) so far, as "event:state". */
const seen = (line: string, callId?: string) => harness.events.filter((e) => e.line === line && (!callId || e.callId === callId)).map((e) => `${e.event}:${e.callState ?? '-'}`);
/** Waits until `line` has seen `event` (in `callId`, when given); returns that event. */
async function saw(line: string, event: string, callId?: string) {
  await until(() => harness.events.some((e) => e.line === line && e.event === event && (!callId || e.callId === callId)), `${event} on ${line}${callId ? ` in call ${callId}` : ''}`);
  return harness.events.find((e) => e.line === line && e.event === event && (!callId || e.callId === callId))!;
}
const calls = () => sim.sip!.calls.model.activeCalls();

beforeEach(async () => {
  sim = await startCmeSim({ phones: 6, sip: { port: 0 } });
  harness = startApi();
  ({ id } = await call(harness.api, 'instances.create', { family: 'cme', name: 'CME' }));
  const connection = { host: '127.0.0.1', axlPort: sim.port, axlUser: 'cisco', sipInterface: '127.0.0.1', sipPort: await freePort(), cmeSipPort: sim.sip!.port };
  await call(harness.api, 'instances.update', { id, patch: { connection } });
  await call(harness.api, 'instances.setSecret', { id, field: 'axlPassword', value: 'cisco' });
  for (const [number, mac] of [['2001', '1'], ['2002', '2'], ['2004', '4']]) await call(harness.api, 'lines.add', { instanceId: id, line: { number, name: '', deviceId: `SEP00112200000${mac}` } });
  await call(harness.api, 'driver.start', { instanceId: id });
  await until(async () => (await call(harness.api, 'driver.status', { instanceId: id })).lines.open === 3, 'three lines open');
});
afterEach(async () => {
  await harness.dispose();
  await sim.close();
});

describe('CME call control through the API', () => {
  it('answer, hold, retrieve, setup transfer, swap hold and complete transfer', async () => {
    const { callId: c1 } = await control('/calls', { from: '0301234', to: '2001' });
    await saw(L1, 'delivered', c1);
    await cc(L1, { op: 'answer', callId: c1 });
    await saw(L1, 'established', c1);
    await cc(L1, { op: 'hold', callId: c1 });
    await saw(L1, 'held', c1);
    await cc(L1, { op: 'retrieve', callId: c1 });
    await saw(L1, 'retrieved', c1);
    expect(seen(L1, c1)).toEqual(['delivered:alerting', 'established:connected', 'held:held', 'retrieved:connected']);

    // Setup transfer: the call is held and 2002 is called; 2002's user answers.
    const { callId: c2 } = await cc(L1, { op: 'consult', callId: c1, to: '2002' });
    expect(c2).not.toBe(c1);
    await saw(L2, 'delivered', c2);
    await control(`/calls/${c2}/answer`, { device: '2002' });
    await saw(L1, 'established', c2);
    expect(seen(L1, c2)).toEqual(['serviceInitiated:initiated', 'originated:connected', 'delivered:connected', 'established:connected']);

    // Swap hold: back to the outside caller, then to 2002 again.
    await cc(L1, { op: 'alternate', heldCallId: c1, activeCallId: c2 });
    await saw(L1, 'held', c2);
    await until(() => seen(L1, c1).filter((s) => s === 'retrieved:connected').length === 2, 'c1 retrieved again');
    await cc(L1, { op: 'alternate', heldCallId: c2, activeCallId: c1 });
    await until(() => seen(L1, c1).filter((s) => s === 'held:held').length === 3, 'c1 held again (hold, setup transfer, swap)');

    // Complete transfer: 2001 leaves; the caller and 2002 talk in the first call.
    await cc(L1, { op: 'transfer', heldCallId: c1, activeCallId: c2 });
    const transferred = await saw(L1, 'transferred', c1);
    expect(transferred.callState).toBe('cleared');
    await saw(L2, 'transferred', c1);
    expect(calls()).toEqual([expect.objectContaining({ callID: c1, connections: [{ device: '0301234', state: 'connected' }, { device: '2002', state: 'connected' }] })]);
  });

  it('conference: create with a consultation, add, remove a party, then hang up', async () => {
    const { callId: c1 } = await control('/calls', { from: '0305555', to: '2002' });
    await saw(L2, 'delivered', c1);
    await cc(L2, { op: 'answer', callId: c1 });
    const { callId: c3 } = await cc(L2, { op: 'consult', callId: c1, to: '2004' });
    await saw(L4, 'delivered', c3);
    await control(`/calls/${c3}/answer`, { device: '2004' });
    await saw(L2, 'established', c3);
    const made = await cc(L2, { op: 'conference', heldCallId: c1, activeCallId: c3 });
    expect(made.callId).toBe(c1);
    expect((await saw(L2, 'conferenced', c1)).callState).toBe('connected');
    expect((await saw(L4, 'conferenced', c1)).callState).toBe('connected');
    expect(calls().map((c) => c.connections.map((x) => x.device).sort())).toEqual([['0305555', '2002', '2004']]);

    // Remove from conference: 2004 leaves, the caller and 2002 stay connected.
    await cc(L2, { op: 'removeParty', callId: c1, party: '2004' });
    expect((await saw(L4, 'connectionCleared', c1)).callState).toBe('cleared');
    expect(calls().map((c) => c.connections.map((x) => x.device).sort())).toEqual([['0305555', '2002']]);
    await call(harness.api, 'line.clearCall', { instanceId: id, line: L2, callId: c1 });
    await saw(L2, 'connectionCleared', c1);
    expect(calls()).toEqual([]);
  });

  it('redirect and blind transfer', async () => {
    const { callId: a } = await control('/calls', { from: '0301111', to: '2001' });
    await saw(L1, 'delivered', a);
    await cc(L1, { op: 'redirect', callId: a, to: '2004' });
    expect((await saw(L1, 'diverted', a)).callState).toBe('cleared');
    expect((await saw(L4, 'delivered', a)).callState).toBe('alerting');
    await control(`/calls/${a}/clear`, {});

    const { callId: b } = await control('/calls', { from: '0302222', to: '2001' });
    await saw(L1, 'delivered', b);
    await cc(L1, { op: 'answer', callId: b });
    await saw(L1, 'established', b);
    await cc(L1, { op: 'blindTransfer', callId: b, to: '2002' });
    expect((await saw(L1, 'transferred', b)).callState).toBe('cleared');
    // 2002 rings first in the transfer's consultation call, which the transfer then joins to the caller's.
    expect((await saw(L2, 'transferred', b)).callState).toBe('alerting');
    expect(calls()).toEqual([expect.objectContaining({ callID: b, connections: [{ device: '0302222', state: 'connected' }, { device: '2002', state: 'alerting' }] })]);
  });

  it('dial in dial-tone mode: digits into a call with dial tone are dialled', async () => {
    const { callId } = await control('/offhook', { device: '2004' });
    expect((await saw(L4, 'serviceInitiated', callId)).callState).toBe('initiated');
    await cc(L4, { op: 'digits', callId, digits: '2001' });
    await saw(L4, 'originated', callId);
    expect((await saw(L1, 'delivered', callId)).numbers).toMatchObject({ calling: '2004', called: '2001' });
    // In a connected call the same operation is DTMF: no new call.
    await control(`/calls/${callId}/answer`, { device: '2001' });
    await saw(L4, 'established', callId);
    await cc(L4, { op: 'digits', callId, digits: '12#' });
    expect(sim.sip!.calls.digitsSent.get(callId)).toBe('12#');
    expect(calls()).toHaveLength(1);
  });

  it('forwarding unconditional and do not disturb are set, reported and applied to calls; other forwardings are refused', async () => {
    await call(harness.api, 'line.setForwarding', { instanceId: id, line: L2, on: true, to: '2004' });
    await saw(L2, 'forwarding');
    expect(await call(harness.api, 'line.features', { instanceId: id, line: L2 })).toEqual({ doNotDisturb: false, forwarding: [{ kind: 'immediate', callers: 'all', on: true, to: '2004' }] });
    const { callId } = await control('/calls', { from: '0303333', to: '2002' });
    expect((await saw(L4, 'delivered', callId)).numbers).toMatchObject({ calling: '0303333' });
    expect(harness.events.some((e) => e.line === L2 && e.event === 'delivered')).toBe(false);
    await expect(call(harness.api, 'line.setForwarding', { instanceId: id, line: L2, on: true, to: '2004', which: { kind: 'busy', callers: 'all' } })).rejects.toThrow(/NOT_SUPPORTED/);

    await call(harness.api, 'line.setDoNotDisturb', { instanceId: id, line: L1, on: true });
    await saw(L1, 'doNotDisturb');
    expect((await call(harness.api, 'line.features', { instanceId: id, line: L1 })).doNotDisturb).toBe(true);
    const made = await call(harness.api, 'line.makeCall', { instanceId: id, line: L4, number: '2001' });
    expect(await saw(L4, 'failed', made.callId)).toMatchObject({ cause: 'doNotDisturb' });
  });
});
