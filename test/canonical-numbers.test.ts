// The location at run time, through the API against the Panasonic simulator: lines shown canonical, the parties of
// call events made canonical before the incoming/outgoing rules, canonical numbers from the PC dialed as the PBX
// needs them, and the Super-Twin "Mobile" address used for call control.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApi, type Dispatch } from '../main/api';
import { createServices, type Services } from '../main/app/services';
import { startPanasonicSim, type PanasonicSim } from '../main/sim/panasonic';
import { callIdToWire } from '../main/sim/panasonic/events';
import type { LineEvent } from '../shared/api/drivers';

let dir: string;
let services: Services;
let api: Dispatch;
let sim: PanasonicSim | undefined;
let lineEvents: LineEvent[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lk-canonical-'));
  services = createServices({ dataDir: dir, transport: 'websocket', drivers: { timing: { reconnectInitialMs: 50, reconnectMaxMs: 400 }, connectionDefaults: { connectTimeoutMs: 2000, answerTimeoutMs: 2000, keepAliveMs: 0 } } });
  api = createApi(services);
  lineEvents = [];
  services.bus.on('line.event', (e) => lineEvents.push(e));
});
afterEach(async () => {
  await services.dispose();
  await sim?.close();
  sim = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function ok<T = any>(method: string, input: unknown): Promise<T> {
  const r = await (api as any)(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result as T;
}

async function waitFor(cond: () => boolean, what: string, ms = 4000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const MUNICH = { ranges: '100-199', useLocation: true, location: '49(89)1234', display: 'canonical' };

async function running(patch: Record<string, unknown>, lines: string[], devices: Record<string, string> = { extensions: '100-109' }): Promise<{ id: string; s: PanasonicSim }> {
  sim = await startPanasonicSim({ port: 0, devices });
  const { id } = await ok('instances.create', { family: 'panasonic', name: 'Munich' });
  await ok('instances.update', { id, patch: { connection: { host: '127.0.0.1', port: sim.tcpPort }, ...patch } });
  for (const number of lines) await ok('lines.add', { instanceId: id, line: { number, name: '' } });
  await ok('driver.start', { instanceId: id });
  return { id, s: sim };
}

describe('canonical numbers at run time', () => {
  it('reports lines and the parties of call events canonical, and the incoming rules see the canonical number', async () => {
    const { id, s } = await running({ location: MUNICH, numberFormat: { incoming: [{ search: '^\\+4930(.*)$', replace: '030 \\1' }] } }, ['101']);
    expect(await ok('line.status', { instanceId: id, line: '101' })).toMatchObject({ number: '101', display: '+49(89)1234-101' });
    expect(await ok('lines.list', { instanceId: id })).toMatchObject({ lines: [{ number: '101' }], shownAs: { '101': '+49(89)1234-101' } });

    s.placeCall('105', '101');
    await waitFor(() => lineEvents.some((e) => e.event === 'delivered'), 'the internal call to ring');
    expect(lineEvents.find((e) => e.event === 'delivered')).toMatchObject({ display: '+49(89)1234-101', numbers: { calling: '+49(89)1234-105', called: '+49(89)1234-101', raw: { calling: '105', called: '101' } } });

    // No incoming rule matches an internal caller: the canonical number is shown as written.
    expect((await ok('line.status', { instanceId: id, line: '101' })).calls[0]).toMatchObject({ remoteRaw: '105', remoteCanonical: '+49(89)1234-105', remote: '+49(89)1234-105' });

    s.placeCall('0301234567', '101');
    await waitFor(() => lineEvents.filter((e) => e.event === 'delivered').length === 2, 'the outside call to ring');
    const outside = (await ok('line.status', { instanceId: id, line: '101' })).calls.find((c: { remoteRaw: string }) => c.remoteRaw === '0301234567');
    // The rule matches only the canonical form: it proves the location ran first.
    expect(outside).toMatchObject({ remoteCanonical: '+49301234567', remote: '030 1234567' });
  });

  it('dials canonical input as the extension or the outside number with the access code, before the dialing rules', async () => {
    // The dialing rule moves one outside number to its successor; it matches only the location's output (access code,
    // national form), never the canonical input, so the new number being dialed proves the location ran first.
    const { id, s } = await running({ location: MUNICH, numberFormat: { dialing: [{ search: '^003012345123$', replace: '003012345199' }] } }, ['100', '101']);
    expect(await ok('line.makeCall', { instanceId: id, line: '100', number: '+49(89)1234-102' })).toMatchObject({ dialed: '102' });
    await waitFor(() => s.calls().some((c) => c.calledDevice === '102'), 'the internal call');
    expect(await ok('line.makeCall', { instanceId: id, line: '101', number: '+49 (30) 12345-123' })).toMatchObject({ dialed: '003012345199' });
    await waitFor(() => s.calls().some((c) => c.calledDevice === '003012345199'), 'the outside call over the trunk');
    // The PBX reports the called number as dialed; the event shows it canonical again.
    await waitFor(() => lineEvents.some((e) => e.line === '101' && e.numbers.raw?.called === '003012345199'), 'the outgoing call event');
    expect(lineEvents.find((e) => e.line === '101' && e.numbers.raw?.called === '003012345199')!.numbers.called).toBe('+493012345199');
    expect(await (api as any)('line.makeCall', { instanceId: id, line: '100', number: '+49(89' })).toMatchObject({ ok: false, error: { code: 'NUMBER_NOT_CANONICAL' } });
  });

  it('shows the location step ahead of the rules in the rule check', async () => {
    const rules = [{ search: '^\\+49(.*)$', replace: '0\\1' }];
    const trace = await ok('rules.check', { rules, list: 'incoming', input: '0301234567', location: MUNICH });
    expect(trace.location).toEqual({ input: '0301234567', output: '+49301234567', kind: 'national' });
    expect(trace).toMatchObject({ input: '+49301234567', output: '0301234567', rule: 1 });
    const dial = await ok('rules.check', { rules: [], list: 'dialing', input: '+49(89)1234-150', location: MUNICH });
    expect(dial).toMatchObject({ location: { output: '150', kind: 'internal' }, output: '150' });
    expect((await ok('rules.check', { rules, list: 'incoming', input: '0301234567' })).location).toBeUndefined();
  });

  it('uses the Super-Twin Mobile address for call control once it is known, and says when it is not', async () => {
    const { id, s } = await running({}, ['100', '101'], { extensions: '100-102', dect: '500-501', twins: '100:500' });
    expect(await (api as any)('line.makeCall', { instanceId: id, line: '100', number: '102', address: 'mobile' })).toMatchObject({ ok: false, error: { code: 'NO_MOBILE_ADDRESS' } });
    // Set by hand, as the admin does in the line list; the running instance takes it up.
    await ok('lines.update', { instanceId: id, ref: { number: '100' }, line: { number: '100', name: '', mobile: '500' } });
    await waitFor(() => services.drivers.runtime(id).lineStatus('100').mobile === '500', 'the Mobile address to reach the runtime');
    await ok('line.makeCall', { instanceId: id, line: '100', number: '102', address: 'mobile' });
    await waitFor(() => s.calls().some((c) => c.callingDevice === '500' && c.calledDevice === '102'), 'the call from the handset');
    // Call control acts at the handset too: 102 answers, and the handset puts the call on hold; the desk phone is not in it.
    const call = s.calls().find((c) => c.callingDevice === '500')!;
    s.answerCall(call.callID, '102');
    const callId = callIdToWire(call.callID);
    await ok('line.callControl', { instanceId: id, line: '100', request: { op: 'hold', callId }, address: 'mobile' });
    await waitFor(() => s.calls().some((c) => c.callID === call.callID && c.connections.some((x) => x.device === '500' && x.state === 'hold')), 'the handset holding the call');
    expect(s.calls().find((c) => c.callID === call.callID)!.connections.map((x) => x.device)).not.toContain('100');
  });
});
