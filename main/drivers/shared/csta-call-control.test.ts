import { afterEach, describe, expect, it } from 'vitest';
import { startPanasonicSim, type PanasonicSim } from '../../sim/panasonic';
import { PanasonicDriver } from '../panasonic/panasonic-driver';
import type { DriverLineEvent } from '../driver';
import { failureOf } from '../testing/failure-of';
import { callIdFromWire, callIdToWire } from '../../sim/panasonic/events';

// The call control of the shared CSTA line driver (every CSTA family), over BER against the Panasonic simulator,
// with the events the monitored lines see: what a CTI application gets after each operation.

const ref = (number: string) => ({ key: number, number });
let sim: PanasonicSim | undefined;
let d: PanasonicDriver | undefined;
afterEach(async () => {
  await d?.close();
  await sim?.close();
  d = sim = undefined;
});

/** A connected driver monitoring `lines`, and the events each line sees as "event:state" and as raw events. */
async function setUp(...lines: string[]) {
  sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-109' } });
  d = new PanasonicDriver({ host: '127.0.0.1', port: sim.tcpPort, tls: false, keepAliveMs: 0, connectTimeoutMs: 2000, answerTimeoutMs: 2000 });
  await d.connect();
  const events: DriverLineEvent[] = [];
  d.onEvent((e) => events.push(e));
  for (const l of lines) await d.monitorStart(ref(l));
  const seen = (line: string, from = 0) => events.slice(from).filter((e) => e.line === line).map((e) => `${e.event}:${e.callState}`);
  const until = (line: string, event: string, from = 0) => waitFor(() => events.slice(from).some((e) => e.line === line && e.event === event));
  return { driver: d, sim, events, seen, until };
}

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A call the simulator placed, by the ID the driver sees (the simulator sends its numbers as octets, in hex). */
const place = (s: PanasonicSim, from: string, to: string) => callIdToWire(s.placeCall(from, to));
const answer = (s: PanasonicSim, callId: string, device: string) => s.answerCall(callIdFromWire(callId), device);

/** The parties of each call in the simulator, with their states, e.g. ["100:connected", "102:alerting"]. */
const parties = (s: PanasonicSim) => s.calls().map((c) => c.connections.map((x) => `${x.device}:${x.state}`).sort());

describe('call control of the CSTA line driver against the Panasonic simulator', () => {
  it('answers, holds and retrieves a call, each with the event the line sees', async () => {
    const { driver, sim, seen, until } = await setUp('101');
    const callId = place(sim, '100', '101');
    await until('101', 'delivered');
    expect(await driver.callControl(ref('101'), { op: 'answer', callId })).toEqual({ callId });
    await until('101', 'established');
    await driver.callControl(ref('101'), { op: 'hold', callId });
    await until('101', 'held');
    await driver.callControl(ref('101'), { op: 'retrieve', callId });
    await until('101', 'retrieved');
    expect(seen('101')).toEqual(['delivered:alerting', 'established:connected', 'held:held', 'retrieved:connected']);
    expect(parties(sim)).toEqual([['100:connected', '101:connected']]);
    // Holding a call that is already held is the PBX's refusal, with the service named.
    await driver.callControl(ref('101'), { op: 'hold', callId });
    const again = await failureOf(driver.callControl(ref('101'), { op: 'hold', callId }));
    expect(again).toMatchObject({ code: 'REQUEST_REJECTED', params: { service: 'holdCall' } });
  });

  it('redirects a ringing call: the line sees it leave, the new destination sees it ring', async () => {
    const { driver, sim, seen, until, events } = await setUp('101', '102');
    const callId = place(sim, '100', '101');
    await until('101', 'delivered');
    await driver.callControl(ref('101'), { op: 'redirect', callId, to: '102' });
    await until('102', 'delivered');
    expect(seen('101')).toEqual(['delivered:alerting', 'diverted:cleared']);
    expect(events.find((e) => e.line === '102' && e.event === 'delivered')).toMatchObject({ callId, calling: '100', called: '102' });
    expect(parties(sim)).toEqual([['100:connected', '102:alerting']]);
  });

  it('transfers blind (single step): the line leaves, the caller rings at the destination', async () => {
    const { driver, sim, seen, until } = await setUp('101', '102');
    const callId = place(sim, '100', '101');
    answer(sim, callId, '101');
    await until('101', 'established');
    await driver.callControl(ref('101'), { op: 'blindTransfer', callId, to: '102' });
    await until('101', 'transferred');
    expect(seen('101').at(-1)).toBe('transferred:cleared');
    expect(seen('102')).toContain('delivered:alerting');
    expect(parties(sim)).toEqual([['100:connected', '102:alerting']]);
  });

  it('sets up a transfer, swaps between the two calls and completes the transfer', async () => {
    const { driver, sim, seen, until, events } = await setUp('101');
    const first = place(sim, '100', '101');
    answer(sim, first, '101');
    await until('101', 'established');
    const { callId: second } = await driver.callControl(ref('101'), { op: 'consult', callId: first, to: '102' });
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    await until('101', 'delivered');
    answer(sim, second!, '102');
    await until('101', 'established', 2);
    const mark = events.length;
    await driver.callControl(ref('101'), { op: 'alternate', heldCallId: first, activeCallId: second! });
    await until('101', 'retrieved', mark);
    expect(events.slice(mark).map((e) => `${e.event}:${e.callId === first ? 'first' : 'second'}:${e.callState}`)).toEqual(['held:second:held', 'retrieved:first:connected']);
    await driver.callControl(ref('101'), { op: 'alternate', heldCallId: second!, activeCallId: first });
    await until('101', 'retrieved', mark + 2);
    await driver.callControl(ref('101'), { op: 'transfer', heldCallId: first, activeCallId: second! });
    await until('101', 'transferred');
    expect(seen('101').at(-1)).toBe('transferred:cleared');
    expect(parties(sim)).toEqual([['100:connected', '102:connected']]);
  });

  it('creates a conference, adds a party to it and removes one again', async () => {
    const { driver, sim, until, events } = await setUp('101');
    const first = place(sim, '100', '101');
    answer(sim, first, '101');
    await until('101', 'established');
    const { callId: second } = await driver.callControl(ref('101'), { op: 'consult', callId: first, to: '102' });
    answer(sim, second!, '102');
    const { callId: conference } = await driver.callControl(ref('101'), { op: 'conference', heldCallId: first, activeCallId: second! });
    await until('101', 'conferenced');
    expect(events.find((e) => e.event === 'conferenced')?.callState).toBe('connected');
    expect(parties(sim)).toEqual([['100:connected', '101:connected', '102:connected']]);
    // Add to conference: hold the conference, consult the next party, join it.
    const { callId: third } = await driver.callControl(ref('101'), { op: 'consult', callId: conference!, to: '103' });
    answer(sim, third!, '103');
    await driver.callControl(ref('101'), { op: 'conference', heldCallId: conference!, activeCallId: third! });
    expect(parties(sim)).toEqual([['100:connected', '101:connected', '102:connected', '103:connected']]);
    const mark = events.length;
    await driver.callControl(ref('101'), { op: 'removeParty', callId: conference!, party: '103' });
    await until('101', 'connectionCleared', mark);
    expect(parties(sim)).toEqual([['100:connected', '101:connected', '102:connected']]);
  });

  it('picks up the call ringing at another extension, by its number alone', async () => {
    const { driver, sim, seen, until } = await setUp('101');
    const callId = place(sim, '100', '102');
    const r = await driver.callControl(ref('101'), { op: 'pickup', from: '102' });
    expect(r.callId).toBe(callId);
    await until('101', 'established');
    expect(seen('101')).toEqual(['established:connected']);
    expect(parties(sim)).toEqual([['100:connected', '101:connected']]);
    const none = await failureOf(driver.callControl(ref('101'), { op: 'pickup', from: '103' }));
    expect(none).toMatchObject({ code: 'REQUEST_REJECTED', params: { device: '103' } });
  });

  it('sends DTMF digits on a connected call and refuses what is not a digit', async () => {
    const { driver, sim, until } = await setUp('101');
    const callId = place(sim, '100', '101');
    answer(sim, callId, '101');
    await until('101', 'established');
    await driver.callControl(ref('101'), { op: 'digits', callId, digits: '12#' });
    expect(sim.pbx.keyedDigits).toEqual([{ device: '101', digits: '12#' }]);
    expect(await failureOf(driver.callControl(ref('101'), { op: 'digits', callId, digits: 'x' }))).toMatchObject({ code: 'REQUEST_REJECTED' });
  });

  it('sets forwarding per kind and caller, reads it back, and the PBX applies it to external callers only', async () => {
    const { driver, sim, seen, until } = await setUp('101');
    await driver.setForwarding(ref('101'), true, '102', { kind: 'immediate', callers: 'external' });
    await driver.setForwarding(ref('101'), true, '103', { kind: 'busy', callers: 'all' });
    await driver.setForwarding(ref('101'), true, '104', { kind: 'noAnswer', callers: 'internal' });
    await driver.setDoNotDisturb(ref('101'), true);
    expect(await driver.readFeatures(ref('101'))).toEqual({
      doNotDisturb: true,
      forwarding: [
        { kind: 'immediate', callers: 'external', on: true, to: '102' },
        { kind: 'busy', callers: 'all', on: true, to: '103' },
        { kind: 'noAnswer', callers: 'internal', on: true, to: '104' },
      ],
    });
    await until('101', 'doNotDisturb');
    await driver.setDoNotDisturb(ref('101'), false);
    place(sim, '0301234', '101');
    place(sim, '100', '101');
    await until('101', 'delivered');
    expect(parties(sim)).toEqual([['0301234:connected', '102:alerting'], ['100:connected', '101:alerting']]);
    expect(seen('101').filter((e) => e.startsWith('forwarding'))).toHaveLength(3);
    await driver.setForwarding(ref('101'), false, undefined, { kind: 'immediate', callers: 'external' });
    expect((await driver.readFeatures(ref('101'))).forwarding.map((f) => f.kind)).toEqual(['busy', 'noAnswer']);
  });

  it('dials in dial-tone mode: the handset is off-hook without a number, the digits go out on that call', async () => {
    const { driver, sim, seen, until, events } = await setUp('101', '102');
    const callId = callIdToWire(sim.pbx.offHook('101'));
    await until('101', 'serviceInitiated');
    expect(await driver.callControl(ref('101'), { op: 'dial', callId, to: '102' })).toEqual({ callId });
    await until('102', 'delivered');
    expect(seen('101')).toEqual(['serviceInitiated:initiated', 'originated:connected', 'delivered:connected']);
    expect(events.find((e) => e.line === '101' && e.event === 'originated')).toMatchObject({ callId, calling: '101', called: '102' });
    expect(parties(sim)).toEqual([['101:connected', '102:alerting']]);
    // A call that already dialed has no dial tone any more.
    expect(await failureOf(driver.callControl(ref('101'), { op: 'dial', callId, to: '103' }))).toMatchObject({ code: 'REQUEST_REJECTED', params: { service: 'dialDigits' } });
  });

  it('completes a call to a busy extension: the attempt ends, and the line is called back once the extension is free', async () => {
    const { driver, sim, seen, until, events } = await setUp('101', '102');
    const busy = place(sim, '103', '102');
    answer(sim, busy, '102');
    const attempt = callIdToWire(sim.pbx.placeCall('101', '102', 'makeCall').callID);
    await until('101', 'delivered');
    // Not the caller, or a free extension: the PBX refuses.
    expect(await failureOf(driver.callControl(ref('102'), { op: 'callBack', callId: busy }))).toMatchObject({ code: 'REQUEST_REJECTED', params: { service: 'callBack' } });
    const from = events.length;
    expect(await driver.callControl(ref('101'), { op: 'callBack', callId: attempt })).toEqual({ callId: null });
    await until('101', 'connectionCleared', from);
    expect(events.slice(from).find((e) => e.line === '101')).toMatchObject({ event: 'connectionCleared', callId: attempt, cause: 'callBack' });
    expect(sim.pbx.calls.pendingCallBacks()).toEqual([{ from: '101', target: '102' }]);
    const freed = events.length;
    sim.clearCall(callIdFromWire(busy));
    await until('102', 'delivered', freed);
    expect(seen('101', freed)).toEqual(['serviceInitiated:initiated', 'originated:connected', 'delivered:connected']);
    expect(events.slice(freed).find((e) => e.line === '101' && e.event === 'originated')).toMatchObject({ cause: 'callBack', calling: '101', called: '102' });
    expect(parties(sim)).toEqual([['101:connected', '102:alerting']]);
    expect(sim.pbx.calls.pendingCallBacks()).toEqual([]);
  });

  it('asks for a callback without a call, and refuses it while the extension is free', async () => {
    const { driver, sim } = await setUp('101');
    expect(await failureOf(driver.callControl(ref('101'), { op: 'callBackTo', to: '102' }))).toMatchObject({ code: 'REQUEST_REJECTED', params: { service: 'callBackNonCallRelated' } });
    answer(sim, place(sim, '103', '102'), '102');
    await driver.callControl(ref('101'), { op: 'callBackTo', to: '102' });
    expect(sim.pbx.calls.pendingCallBacks()).toEqual([{ from: '101', target: '102' }]);
  });

  it('intrudes on the call of a busy extension: the line joins it as a conference', async () => {
    const { driver, sim, seen, until } = await setUp('101', '102');
    const busy = place(sim, '103', '102');
    answer(sim, busy, '102');
    const attempt = callIdToWire(sim.pbx.placeCall('101', '102', 'makeCall').callID);
    await until('102', 'delivered');
    expect(await driver.callControl(ref('101'), { op: 'intrude', callId: attempt })).toEqual({ callId: busy });
    await until('101', 'conferenced');
    expect(seen('101').at(-1)).toBe('conferenced:connected');
    expect(seen('102').slice(-2)).toEqual(['connectionCleared:cleared', 'conferenced:connected']);
    expect(parties(sim)).toEqual([['101:connected', '102:connected', '103:connected']]);
    // With nobody busy there is no call to join.
    sim.clearCall(callIdFromWire(busy));
    const free = callIdToWire(sim.pbx.placeCall('101', '104', 'makeCall').callID);
    expect(await failureOf(driver.callControl(ref('101'), { op: 'intrude', callId: free }))).toMatchObject({ code: 'REQUEST_REJECTED', params: { service: 'intrudeCall' } });
  });
});
