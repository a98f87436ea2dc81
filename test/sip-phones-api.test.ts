// End to end through the API: a SIP phones instance against our uaCSTA server (phone and client interfaces on
// 127.0.0.1) with simulated phones tests its connection, discovers the phones' numbers, opens its lines, shows a
// call's events and answers it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApi, type Dispatch } from '../main/api';
import { createServices, type Services } from '../main/app/services';
import { SimSipPhone } from '../main/sim/sip-phones/phone';
import { startServerWithPhones } from '../main/sim/sip-phones/testing/server';
import type { LineEvent } from '../shared/api/drivers';
import { listenerOf, UACSTA_DEFAULT_SETTINGS, type UacstaStatus } from '../shared/api/uacsta';

let dir: string;
let services: Services;
let api: Dispatch;
let lineEvents: LineEvent[];
const cleanup: Array<() => unknown> = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lk-sip-phones-api-'));
  services = createServices({ dataDir: dir, transport: 'websocket', drivers: { timing: { reconnectInitialMs: 50, reconnectMaxMs: 400, monitorRetryMs: 150 }, connectionDefaults: { connectTimeoutMs: 2000, answerTimeoutMs: 2000, keepAliveMs: 0 } } });
  api = createApi(services);
  lineEvents = [];
  services.bus.on('line.event', (e) => lineEvents.push(e));
});
afterEach(async () => {
  await services.dispose();
  for (const f of cleanup.splice(0).reverse()) await f();
  rmSync(dir, { recursive: true, force: true });
});

async function ok<T = any>(method: string, input: unknown): Promise<T> {
  const r = await (api as any)(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result as T;
}

async function waitFor(f: () => boolean, what: string) {
  for (let i = 0; i < 300 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(f(), what).toBe(true);
}

describe('a SIP phones instance through the API', () => {
  it('tests the connection, discovers the phones, opens the lines, shows a call and answers it', async () => {
    const { clients, sims, close } = await startServerWithPhones({ clients: [{ user: 'cti', password: 'c1' }] });
    cleanup.push(close);

    const { id } = await ok('instances.create', { family: 'sip-phones', name: 'Desk phones' });
    await ok('instances.update', { id, patch: { connection: { host: '127.0.0.1', port: clients.port, transport: 'tcp', user: 'cti' } } });
    await ok('instances.setSecret', { id, field: 'password', value: 'wrong' });
    expect(await ok('instances.testConnection', { instanceId: id })).toMatchObject({ ok: false, error: { code: 'LOGIN_REJECTED' } });
    await ok('instances.setSecret', { id, field: 'password', value: 'c1' });
    expect(await ok('instances.testConnection', { instanceId: id })).toMatchObject({ ok: true });

    const preview = await ok('lines.discover', { instanceId: id, requestId: 'r1' });
    expect(JSON.stringify(preview)).toContain('"201"');
    expect(JSON.stringify(preview)).toContain('"202"');
    await ok('lines.add', { instanceId: id, line: { number: '201', name: '' } });
    await ok('lines.add', { instanceId: id, line: { number: '202', name: '' } });

    expect(await ok('driver.start', { instanceId: id })).toMatchObject({ running: true, connection: { state: 'connected' }, lines: { total: 2, open: 2 } });
    await waitFor(() => sims.every((s) => s.monitors.size === 1), 'a monitor in each phone');
    const call = await sims[1].ring('0307654321');
    await waitFor(() => lineEvents.some((e) => e.line === '202' && e.event === 'delivered'), 'delivered on 202');
    expect(lineEvents.find((e) => e.line === '202' && e.event === 'delivered')).toMatchObject({ instanceId: id, callState: 'alerting' });
    await ok('line.callControl', { instanceId: id, line: '202', request: { op: 'answer', callId: call } });
    await waitFor(() => lineEvents.some((e) => e.line === '202' && e.callState === 'connected'), 'connected on 202');
    expect(sims[1].requests).toContain('answerCall');

    // hold and retrieve reach the phone; a second call, then AlternateCall (emulated by the server) swaps them
    await ok('line.callControl', { instanceId: id, line: '202', request: { op: 'hold', callId: call } });
    await waitFor(() => sims[1].calls.get(call)?.state === 'held', 'held at the phone');
    const second = await sims[1].ring('0309999');
    await sims[1].connect(second);
    await ok('line.callControl', { instanceId: id, line: '202', request: { op: 'alternate', heldCallId: call, activeCallId: second } });
    expect([sims[1].calls.get(call)?.state, sims[1].calls.get(second)?.state]).toEqual(['connected', 'held']);
    await ok('line.callControl', { instanceId: id, line: '202', request: { op: 'retrieve', callId: second } });
    expect(sims[1].requests.filter((r) => r === 'holdCall' || r === 'retrieveCall' || r === 'alternateCall')).toEqual(['holdCall', 'holdCall', 'retrieveCall', 'retrieveCall']);
  });

  it('takes no second licence for a line our own server already licensed with its phone (manual §3.8: one licence per phone covers its monitored line)', async () => {
    await ok('uacsta.saveSettings', { settings: { ...UACSTA_DEFAULT_SETTINGS, phone: { lan: '127.0.0.1', tcpPort: 0 }, client: { lan: '127.0.0.1', tcpPort: 0 }, configured: true }, phonePassword: 'phones', clientUser: 'cti', clientPassword: 'c1' });
    const started: UacstaStatus = await ok('uacsta.start', {});
    cleanup.push(() => ok('uacsta.stop', {}));
    for (const [i, n] of ['201', '202'].entries()) {
      const p = await SimSipPhone.start({ mac: `00041300000${i + 1}`, password: 'phones', server: { host: '127.0.0.1', port: listenerOf(started.listening, 'phones')!.port }, identities: [n] });
      cleanup.push(() => p.close());
      await p.register();
    }
    const controllable = async () => (await ok<UacstaStatus>('uacsta.status', {})).phones.filter((p) => p.status === 'controllable').length;
    for (let i = 0; i < 300 && (await controllable()) < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await controllable()).toBe(2);
    const phonesOnly = await ok('licences.status', {});
    expect(phonesOnly.inUse).toBe(2);

    const { id } = await ok('instances.create', { family: 'sip-phones', name: 'Desk phones' });
    await ok('instances.update', { id, patch: { connection: { host: '127.0.0.1', port: listenerOf(started.listening, 'clients')!.port, transport: 'tcp', user: 'cti' } } });
    await ok('instances.setSecret', { id, field: 'password', value: 'c1' });
    for (const number of ['201', '202']) await ok('lines.add', { instanceId: id, line: { number, name: '' } });
    expect(await ok('driver.start', { instanceId: id })).toMatchObject({ connection: { state: 'connected' }, lines: { total: 2, open: 2, noLicence: 0 } });
    await waitFor(() => lineEvents.filter((e) => e.event === 'backInService').length === 2, 'both lines in service');
    // two phones, each with its one monitored line: two licences, none for the instance's lines
    const both = await ok('licences.status', {});
    expect(both.inUse).toBe(2);
    expect(both.instances.find((x: { instanceId: string }) => x.instanceId === id)?.lines ?? 0).toBe(0);
    // the server's own count (refreshed within 2 s): two phones with a monitored line each, no extra line
    const usage = async () => JSON.stringify((await ok<UacstaStatus>('uacsta.status', {})).licences);
    for (let i = 0; i < 400 && !(await usage()).includes('"lines":2'); i++) await new Promise((r) => setTimeout(r, 10));
    expect((await ok<UacstaStatus>('uacsta.status', {})).licences).toMatchObject({ phones: 2, lines: 2, extraLines: 0 });
  });

  it('reconnects after the server\'s client interface restarts, with every monitor restored and events flowing again', async () => {
    const { clients, sims, close, restartClients } = await startServerWithPhones({ clients: [{ user: 'cti', password: 'c1' }], numbers: ['201', '202', '203'] });
    cleanup.push(close);
    const { id } = await ok('instances.create', { family: 'sip-phones', name: 'Desk phones' });
    await ok('instances.update', { id, patch: { connection: { host: '127.0.0.1', port: clients.port, transport: 'tcp', user: 'cti' } } });
    await ok('instances.setSecret', { id, field: 'password', value: 'c1' });
    for (const number of ['201', '202', '203']) await ok('lines.add', { instanceId: id, line: { number, name: '' } });
    await ok('driver.start', { instanceId: id });
    await waitFor(() => sims.every((s) => s.monitors.size === 1), 'a monitor in each phone');
    const inService = (line: string) => lineEvents.filter((e) => e.line === line && e.event === 'backInService').length;
    const before = ['201', '202', '203'].map(inService);

    // the server's client side goes away: the phones' monitors go with the last client, the driver loses its link
    await restartClients();
    await waitFor(() => sims.every((s) => s.monitors.size === 0) || sims.some((s) => s.requests.filter((r) => r === 'monitorStart').length > 1), 'monitors stopped in the phones');
    for (let i = 0; i < 1000 && !(sims.every((s) => s.requests.filter((r) => r === 'monitorStart').length === 2 && s.monitors.size === 1)); i++) await new Promise((r) => setTimeout(r, 10));
    expect(sims.map((s) => [s.requests.filter((r) => r === 'monitorStart').length, s.monitors.size])).toEqual([[2, 1], [2, 1], [2, 1]]);
    // every line back in service, the instance connected with all lines open
    await waitFor(() => ['201', '202', '203'].every((l, i) => inService(l) > before[i]), 'back in service on every line');
    expect(await ok('driver.status', { instanceId: id })).toMatchObject({ connection: { state: 'connected' }, lines: { total: 3, open: 3 } });

    // events flow again: a call on each line
    for (const [i, line] of ['201', '202', '203'].entries()) {
      const call = await sims[i].ring(`030${i}`);
      await waitFor(() => lineEvents.some((e) => e.line === line && e.event === 'delivered' && e.callId === call), `delivered on ${line}`);
    }
    await ok('line.callControl', { instanceId: id, line: '203', request: { op: 'answer', callId: [...sims[2].calls.keys()][0] } });
    await waitFor(() => [...sims[2].calls.values()][0]?.state === 'connected', 'answered through the new link');
  });
});
