// End to end through the API: an instance against the Panasonic simulator discovers its lines, opens them, shows
// live call events, and survives a dropped link.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApi, type Dispatch } from '../main/api';
import { createServices, type Services } from '../main/app/services';
import { startPanasonicSim, type PanasonicSim, type PanasonicSimOptions } from '../main/sim/panasonic';
import { startRefusingProxy, type RefusingProxy } from '../main/drivers/panasonic/testing/refusing-proxy';
import type { ConnectionStatus, DiscoverProgress, LineEvent } from '../shared/api/drivers';
import { startMultiplexer, type MultiplexerHandle } from '../main/servers/mux';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { DRIVER_REGISTRY } from '../main/drivers/registry';
import { configurationOnly } from '../main/drivers/family';
import { FAMILY_SPECS } from '../shared/families';
import { callIdToWire } from '../main/sim/panasonic/events';

let dir: string;
let services: Services;
let api: Dispatch;
let sim: PanasonicSim | undefined;
let proxy: RefusingProxy | undefined;
let statuses: ConnectionStatus[];
let lineEvents: LineEvent[];
let progress: DiscoverProgress[];
let linesChanged: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lk-driver-api-'));
  services = createServices({
    dataDir: dir,
    transport: 'websocket',
    drivers: { timing: { reconnectInitialMs: 50, reconnectMaxMs: 400, monitorRetryMs: 150 }, connectionDefaults: { connectTimeoutMs: 2000, answerTimeoutMs: 2000, keepAliveMs: 0 } },
  });
  api = createApi(services);
  statuses = [];
  lineEvents = [];
  progress = [];
  linesChanged = 0;
  services.bus.on('connection.status', (s) => statuses.push(s));
  services.bus.on('line.event', (e) => lineEvents.push(e));
  services.bus.on('lines.discoverProgress', (p) => progress.push(p));
  services.bus.on('lines.changed', () => linesChanged++);
});
afterEach(async () => {
  await services.dispose();
  await proxy?.close();
  await sim?.close();
  sim = undefined;
  proxy = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function ok<T = any>(method: string, input: unknown): Promise<T> {
  const r = await (api as any)(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result as T;
}

async function instanceFor(port: number, patch: Record<string, unknown> = {}, lines: string[] = []): Promise<string> {
  const { id } = await ok('instances.create', { family: 'panasonic', name: `PBX ${Math.random().toString(36).slice(2, 7)}` });
  await ok('instances.update', { id, patch: { connection: { host: '127.0.0.1', port }, ...patch } });
  for (const number of lines) await ok('lines.add', { instanceId: id, line: { number, name: '' } });
  return id;
}

async function startSim(o: PanasonicSimOptions): Promise<PanasonicSim> {
  sim = await startPanasonicSim({ port: 0, ...o });
  return sim;
}

async function waitFor(cond: () => boolean, what: string, ms = 4000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('line discovery through the API', () => {
  it('previews added, removed, renamed and SIP-filtered lines, then applies them in one change', async () => {
    const s = await startSim({ devices: { extensions: '100-119', sip: '200-204', names: true }, segmentSize: 6 });
    const id = await instanceFor(s.tcpPort, { location: { ranges: '100-299' }, sipFilter: { mode: 'rules', rules: [{ kind: 'numberRegex', pattern: '^20' }] } });
    await ok('lines.add', { instanceId: id, line: { number: '101', name: 'Old name' } });
    await ok('lines.add', { instanceId: id, line: { number: '150', name: 'Gone' } });
    const before = linesChanged;

    const preview = await ok('lines.discover', { instanceId: id, requestId: 'r1' });
    expect(preview.method).toBe('switchingFunctionDevices');
    expect(preview.discovered).toBe(25);
    expect(preview.added).toHaveLength(19);
    expect(preview.removed).toEqual([{ number: '150', name: 'Gone' }]);
    expect(preview.renamed).toEqual([{ number: '101', from: 'Old name', to: expect.any(String) }]);
    expect(preview.filtered).toHaveLength(5);
    expect(preview.filtered[0]).toMatchObject({ line: { number: '200', kind: 'sip' }, rule: 1, ruleKind: 'numberRegex', pattern: '^20' });
    expect(progress.map((p) => p.phase)).toEqual(['connecting', 'reading', 'reading', 'reading', 'reading', 'reading', 'filtering', 'done']);
    expect(linesChanged).toBe(before);
    // The discovery link was closed: the PBX is free for the next client.
    await waitFor(() => s.counters().associations.active === 0, 'the discovery link to close');

    expect(await ok('lines.applyDiscovery', { instanceId: id, requestId: 'r1' })).toEqual({ lineCount: 20, added: 19, removed: 1, renamed: 1, backupFile: expect.stringMatching(/instance-.*\.json\.bak$/) });
    expect(linesChanged).toBe(before + 1);
    const listed = await ok('lines.list', { instanceId: id });
    expect(listed.total).toBe(20);
    const again = await (api as any)('lines.applyDiscovery', { instanceId: id, requestId: 'r1' });
    expect(again).toMatchObject({ ok: false, error: { code: 'DISCOVERY_NOT_FOUND' } });
  });

  it('probes the ranges when the PBX answers no device list, and can be cancelled', async () => {
    const s = await startSim({ devices: { extensions: '100-104' }, faults: {} });
    proxy = await startRefusingProxy(s.tcpPort, (i) => (i.operation === 'getSwitchingFunctionDevices' || i.operation === 'escape' ? 'unsupported' : 'pass'));
    const id = await instanceFor(proxy.port, { location: { ranges: '100-109' } });
    const preview = await ok('lines.discover', { instanceId: id, requestId: 'probe' });
    expect(preview.method).toBe('snapshotProbe');
    expect(preview.lines.map((l: { number: string }) => l.number)).toEqual(['100', '101', '102', '103', '104']);
    expect(preview.warnings).toHaveLength(2);
    // The console says these in the user's language: each sentence must be one the renderer knows.
    expect(preview.warnings.map((w: { code: string }) => w.code)).toEqual(['warnings.fallbackEscape', 'warnings.fallbackProbe']);

    s.setFault({ answerDelayMs: 100 });
    const running = (api as any)('lines.discover', { instanceId: id, requestId: 'slow' });
    await waitFor(() => progress.some((p) => p.requestId === 'slow' && p.phase === 'connecting'), 'the discovery to start');
    expect(await ok('lines.discoverCancel', { requestId: 'slow' })).toEqual({ cancelled: true });
    expect(await running).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(progress.at(-1)).toMatchObject({ requestId: 'slow', phase: 'cancelled' });
  });
});

describe('test connection', () => {
  it('reports the PBX reply, the refusal cause, and warns about the multiplexer default login', async () => {
    const s = await startSim({ login: { user: 'admin', password: 'admin' } });
    const id = await instanceFor(s.tcpPort, { connection: { host: '127.0.0.1', port: s.tcpPort, mode: 'multiplexer' } });
    // Without a stored password the multiplexer's shipped login is tried (what a multiplexer with its defaults expects).
    expect(await ok('instances.testConnection', { instanceId: id })).toMatchObject({ ok: true });
    await ok('instances.setSecret', { id, field: 'multiplexerPassword', value: 'wrong' });
    const wrong = await ok('instances.testConnection', { instanceId: id });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'LOGIN_REJECTED' } });
    await ok('instances.setSecret', { id, field: 'multiplexerPassword', value: 'admin' });
    const r = await ok('instances.testConnection', { instanceId: id });
    expect(r).toMatchObject({ ok: true, host: '127.0.0.1', port: s.tcpPort, transport: 'tcp', error: null });
    expect(r.reply).toContain('association accepted');
    expect(r.warnings[0].message).toContain('admin/admin');
    expect(r.warnings[0].code).toBe('warnings.defaultLogin');
    const other = await ok('instances.testConnection', { instanceId: id, connection: { port: 1 } });
    expect(other).toMatchObject({ ok: false, port: 1, error: { code: 'CONNECT_REFUSED', message: expect.stringContaining('127.0.0.1:1') } });
  });
});

describe('through the CSTA multiplexer', () => {
  let mux: MultiplexerHandle | undefined;
  afterEach(async () => {
    await mux?.close();
    mux = undefined;
  });

  it('logs in over TLS once the certificate is accepted, warns about admin/admin, and monitors lines through it', async () => {
    const certDir = mkdtempSync(join(tmpdir(), 'lk-driver-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(certDir, 'k.pem'), '-out', join(certDir, 'c.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
    const s = await startSim({ devices: { extensions: '100-104' } });
    mux = await startMultiplexer({ pbx: { host: '127.0.0.1', port: s.tcpPort }, bind: '127.0.0.1', tcpPort: 0, tls: { port: 0, cert: readFileSync(join(certDir, 'c.pem')), key: readFileSync(join(certDir, 'k.pem')) }, requireLogin: true, reconnectMs: 50 });
    await waitFor(() => mux!.status().pbx?.state === 'connected', 'the multiplexer to reach the PBX');
    const id = await instanceFor(mux.tcpPort!, { connection: { mode: 'multiplexer', host: 'localhost', port: mux.tlsPort, tls: true, user: 'admin' } }, ['100', '101']);
    await ok('instances.setSecret', { id, field: 'multiplexerPassword', value: 'admin' });

    const untrusted = await ok('instances.testConnection', { instanceId: id });
    expect(untrusted).toMatchObject({ ok: false, transport: 'tls', error: { code: 'TLS_FAILED' } });
    expect(untrusted.fingerprint).toMatch(/^[0-9A-F:]{95}$/);
    const pinned = await ok('instances.testConnection', { instanceId: id, fingerprint: untrusted.fingerprint });
    expect(pinned).toMatchObject({ ok: true, transport: 'tls' });
    expect(pinned.warnings.map((w: { code: string }) => w.code)).toContain('warnings.defaultLogin');

    const accepted = await ok('instances.acceptCertificate', { instanceId: id, fingerprint: untrusted.fingerprint.replace(/:/g, '').toLowerCase() });
    expect(accepted).toEqual({ fingerprint: untrusted.fingerprint });
    expect(await ok('instances.testConnection', { instanceId: id })).toMatchObject({ ok: true, transport: 'tls' });
    const status = await ok('driver.start', { instanceId: id });
    expect(status).toMatchObject({ connection: { state: 'connected' }, lines: { open: 2 } });
    expect(status.connection.warnings.map((w: { code: string }) => w.code)).toContain('warnings.defaultLogin');
    s.placeCall('102', '100');
    await waitFor(() => lineEvents.some((e) => e.line === '100' && e.event === 'delivered'), 'an event through the multiplexer');
  });
});

describe('lines at run time', () => {
  it('opens every line, shows live call events with formatted numbers, and dials through the dialing rules', async () => {
    const s = await startSim({ devices: { extensions: '100-109' } });
    const id = await instanceFor(
      s.tcpPort,
      {
        numberFormat: {
          incoming: [{ search: '^(10.)$', replace: '+4930123\\1' }],
          dialing: [{ search: '^\\+4930123(.*)$', replace: '\\1' }],
        },
      },
      ['100', '101', '102'],
    );
    const status = await ok('driver.start', { instanceId: id });
    expect(status).toMatchObject({ running: true, connection: { state: 'connected', lastError: null }, lines: { total: 3, open: 3 } });
    expect(s.counters().monitorsByDevice).toEqual({ '100': 1, '101': 1, '102': 1 });

    const callID = s.placeCall('105', '101');
    await waitFor(() => lineEvents.some((e) => e.line === '101' && e.event === 'delivered'), 'delivered on 101');
    const delivered = lineEvents.find((e) => e.line === '101' && e.event === 'delivered')!;
    expect(delivered).toMatchObject({ instanceId: id, callState: 'alerting', numbers: { calling: '105', called: '101', remote: '+4930123105' } });
    expect(await ok('line.status', { instanceId: id, line: '101' })).toMatchObject({ state: 'open', calls: [{ state: 'alerting', direction: 'incoming', remote: '+4930123105', remoteRaw: '105' }] });
    s.answerCall(callID, '101');
    await waitFor(() => lineEvents.some((e) => e.line === '101' && e.callState === 'connected'), 'established on 101');
    expect(await ok('line.clearCall', { instanceId: id, line: '101' })).toEqual({ cleared: 1 });
    await waitFor(() => lineEvents.some((e) => e.line === '101' && e.event === 'connectionCleared'), 'cleared on 101');
    expect((await ok('line.status', { instanceId: id, line: '101' })).calls).toEqual([]);

    const made = await ok('line.makeCall', { instanceId: id, line: '100', number: '+4930123102' });
    expect(made.dialed).toBe('102');
    await waitFor(() => lineEvents.some((e) => e.line === '102' && e.event === 'delivered'), 'the dialed call to ring at 102');
    expect(s.calls().some((c: any) => JSON.stringify(c).includes('"102"'))).toBe(true);

    expect(await ok('line.setDoNotDisturb', { instanceId: id, line: '102', on: true })).toMatchObject({ doNotDisturb: true });
    expect(await ok('line.setForwarding', { instanceId: id, line: '102', on: true, to: '109' })).toMatchObject({ forwarding: { on: true, to: '109' } });
    await waitFor(() => lineEvents.some((e) => e.line === '102' && e.event === 'forwarding'), 'the forwarding event');

    s.pbx.setInService('101', false);
    await waitFor(() => lineEvents.some((e) => e.line === '101' && e.event === 'outOfService'), 'the out-of-service event');
    expect(await ok('line.status', { instanceId: id, line: '101' })).toMatchObject({ state: 'open', inService: false });
    s.pbx.setInService('101', true);
    await waitFor(() => lineEvents.some((e) => e.line === '101' && e.event === 'backInService'), 'the back-in-service event');

    const stopped = await ok('driver.stop', { instanceId: id });
    expect(stopped).toMatchObject({ running: false, connection: { state: 'stopped' }, lines: { open: 0 } });
    expect(await (api as any)('line.makeCall', { instanceId: id, line: '100', number: '101' })).toMatchObject({ ok: false, error: { code: 'NOT_RUNNING' } });
    expect(services.licences.pool).toBeDefined();
    expect((await ok('licences.status', {})).inUse).toBe(0);
  });

  it('answers the states of many lines in one call, without lines it lacks, and none while stopped', async () => {
    const s = await startSim({ devices: { extensions: '100-104' } });
    const id = await instanceFor(s.tcpPort, {}, ['100', '101', '102', '190']);
    expect(await ok('lines.states', { instanceId: id, lines: ['100', '101'] })).toEqual({ running: false, states: [] });
    await ok('driver.start', { instanceId: id });
    await waitFor(() => lineEvents.some((e) => e.line === '190' && e.lineState === 'retrying'), 'line 190, unknown to the PBX, to retry');
    s.pbx.setInService('101', false);
    await waitFor(() => lineEvents.some((e) => e.line === '101' && e.event === 'outOfService'), 'the out-of-service event');
    expect(await ok('lines.states', { instanceId: id, lines: ['100', '101', '190', '999'] })).toEqual({
      running: true,
      states: [
        { line: '100', state: 'open', inService: null },
        { line: '101', state: 'open', inService: false },
        { line: '190', state: 'retrying', inService: null },
      ],
    });
    const tooMany = await (api as any)('lines.states', { instanceId: id, lines: Array.from({ length: 501 }, (_, i) => String(i)) });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('reconnects after the simulator drops the link, restarts every monitor, and loses no call events', async () => {
    const s = await startSim({ devices: { extensions: '100-119' } });
    const lines = Array.from({ length: 20 }, (_, i) => String(100 + i));
    const id = await instanceFor(s.tcpPort, {}, lines);
    await ok('driver.start', { instanceId: id });
    s.setFault({ refuseLogin: true });
    s.setFault({ dropLink: true });
    await waitFor(() => statuses.some((x) => x.state === 'lost'), 'the lost state');
    const waiting = () => statuses.filter((x) => x.state === 'retrying' && x.nextAttemptAt !== null && x.lastError?.code === 'LOGIN_REJECTED');
    await waitFor(() => waiting().length >= 2, 'two refused reconnects');
    const [a, b] = waiting();
    expect(b.attempts).toBe(a.attempts + 1);
    expect(b.step).toMatch(/waiting \d+ s before reconnecting/);
    s.setFault({ refuseLogin: false });
    await waitFor(() => statuses.at(-1)?.state === 'connected' && statuses.at(-1)!.step.startsWith('20 of 20'), 'reconnected with every line');
    expect(Object.keys(s.counters().monitorsByDevice)).toHaveLength(20);
    expect(Object.values(s.counters().monitorsByDevice).every((n) => n === 1)).toBe(true);
    const before = lineEvents.length;
    s.placeCall('100', '119');
    await waitFor(() => lineEvents.slice(before).some((e) => e.line === '119' && e.event === 'delivered'), 'an event after the reconnect');
    expect(lineEvents.slice(before).some((e) => e.line === '100' && e.event === 'originated')).toBe(true);
  });

  it('discovers over the running link and opens and closes lines when the discovery is applied', async () => {
    const s = await startSim({ devices: { extensions: '100-102' } });
    const id = await instanceFor(s.tcpPort, {}, ['100', '150']);
    expect((await ok('driver.start', { instanceId: id })).lines).toMatchObject({ total: 2, open: 1, retrying: 1 });
    const preview = await ok('lines.discover', { instanceId: id, requestId: 'live' });
    expect(preview).toMatchObject({ added: [{ number: '101' }, { number: '102' }], removed: [{ number: '150' }] });
    expect(s.counters().associations.total).toBe(1);
    await ok('lines.applyDiscovery', { instanceId: id, requestId: 'live' });
    expect((await ok('driver.status', { instanceId: id })).lines).toEqual({ total: 3, open: 3, retrying: 0, noLicence: 0 });
    expect(s.counters().monitorsByDevice).toEqual({ '100': 1, '101': 1, '102': 1 });
    expect((await ok('licences.status', {})).inUse).toBe(3);

    // New connection settings reconnect to the new address.
    const s2 = await startPanasonicSim({ port: 0, devices: { extensions: '100-102' } });
    try {
      await ok('instances.update', { id, patch: { connection: { port: s2.tcpPort } } });
      await waitFor(() => Object.keys(s2.counters().monitorsByDevice).length === 3, 'the lines to open on the new address');
      await waitFor(() => s.counters().associations.active === 0, 'the old link to close');
      await ok('instances.update', { id, patch: { connection: { port: s.tcpPort } } });
      await waitFor(() => Object.keys(s.counters().monitorsByDevice).length === 3, 'the lines to open on the old address again');
    } finally {
      await s2.close();
    }

    // A line removed in the console is closed at once; a deleted instance stops.
    await ok('lines.delete', { instanceId: id, refs: [{ number: '102' }] });
    await waitFor(() => !('102' in s.counters().monitorsByDevice), 'the removed line to close');
    const { name } = await ok('instances.get', { id });
    await ok('instances.delete', { id, confirmName: name });
    await waitFor(() => s.counters().associations.active === 0, 'the deleted instance to log out');
    expect((await ok('licences.status', {})).inUse).toBe(0);
  });

  it('leaves lines beyond the licence pool closed and says so', async () => {
    const s = await startSim({ devices: { extensions: '100-129' } });
    const id = await instanceFor(s.tcpPort, {}, Array.from({ length: 30 }, (_, i) => String(100 + i)));
    const status = await ok('driver.start', { instanceId: id });
    expect(status.lines).toEqual({ total: 30, open: 25, retrying: 0, noLicence: 5 });
    const closed = await ok('line.status', { instanceId: id, line: '129' });
    expect(closed).toMatchObject({ state: 'noLicence', lastError: { code: 'LICENCE_POOL_EMPTY' } });
    expect(Object.keys(s.counters().monitorsByDevice)).toHaveLength(25);
    expect(statuses.at(-1)!.step).toContain('5 without licence');
  });

  it('retries MonitorStart at the configured interval while the PBX refuses it', async () => {
    const s = await startSim({ devices: { extensions: '100-104' } });
    let unplugged = true;
    proxy = await startRefusingProxy(s.tcpPort, (i) => (i.operation === 'monitorStart' && unplugged && JSON.stringify(i.argument).includes('"103"') ? 'invalidDevice' : 'pass'));
    const id = await instanceFor(proxy.port, {}, ['100', '103']);
    const status = await ok('driver.start', { instanceId: id });
    expect(status.lines).toMatchObject({ open: 1, retrying: 1 });
    const line = await ok('line.status', { instanceId: id, line: '103' });
    expect(line).toMatchObject({ state: 'retrying', lastError: { code: 'REQUEST_REJECTED' } });
    expect(line.nextRetryAt).not.toBeNull();
    await waitFor(() => (proxy!.seen.monitorStart ?? 0) >= 3, 'two retries');
    unplugged = false;
    await waitFor(() => lineEvents.some((e) => e.line === '103' && e.event === 'line.open'), 'line 103 to open');
    expect(s.counters().monitorsByDevice).toEqual({ '100': 1, '103': 1 });
  });

  it('drops calls the PBX no longer has at the next snapshot', async () => {
    const s = await startSim({ devices: { extensions: '100-104' } });
    let losing = false;
    proxy = await startRefusingProxy(s.tcpPort, () => 'pass', () => losing);
    const id = await instanceFor(proxy.port, {}, ['101']);
    await ok('driver.start', { instanceId: id });
    const callID = s.placeCall('100', '101');
    await waitFor(() => lineEvents.some((e) => e.event === 'delivered'), 'the call to ring');
    losing = true;
    s.clearCall(callID);
    await new Promise((r) => setTimeout(r, 100));
    expect((await ok('line.status', { instanceId: id, line: '101' })).calls).toHaveLength(1);
    losing = false;
    expect(await services.drivers.runtime(id).snapshotOnce()).toBe(1);
    expect((await ok('line.status', { instanceId: id, line: '101' })).calls).toEqual([]);
    expect(lineEvents.at(-1)).toMatchObject({ line: '101', event: 'snapshotCleared', callState: 'cleared' });
  });

  it('gives a desk line with a Super-Twin DECT handset its "Mobile" address', async () => {
    const s = await startSim({ devices: { extensions: '100-102', dect: '500-501', twins: '100:500' } });
    const id = await instanceFor(s.tcpPort, {}, ['100', '101']);
    await ok('driver.start', { instanceId: id });
    s.placeCall('101', '100');
    await waitFor(() => lineEvents.some((e) => e.line === '100' && e.event === 'delivered'), 'the desk phone to ring');
    await waitFor(() => services.drivers.runtime(id).lineStatus('100').mobile === '500', 'the twin to be learnt');
    let stored: { number: string; mobile?: string } | undefined;
    for (let i = 0; i < 100 && stored?.mobile !== '500'; i++) {
      stored = (await ok('lines.list', { instanceId: id })).lines.find((l: { number: string }) => l.number === '100');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(stored?.mobile).toBe('500');
    expect((await ok('line.status', { instanceId: id, line: '101' })).mobile).toBeNull();
    expect((await ok('line.status', { instanceId: id, line: '100' })).calls).toHaveLength(1);
    // The handset's ringing is labelled as the desk line's twin; the caller's own events are not (its Delivered
    // names the ringing devices too, but the call is not to it).
    await waitFor(() => lineEvents.some((e) => e.line === '100' && e.twin === '500'), 'the twin ringing on the desk line');
    const callerDelivered = lineEvents.filter((e) => e.line === '101' && e.event === 'delivered');
    expect(callerDelivered.length).toBeGreaterThan(0);
    expect(callerDelivered.map((e) => e.twin ?? null)).toEqual(callerDelivered.map(() => null));
    expect((await ok('line.status', { instanceId: id, line: '101' })).calls).toHaveLength(1);
  });
});

describe('the demo PBX, as a new user meets it', () => {
  it('discovers the demo lines, opens them and shows a placed call live', async () => {
    const demo = await ok('demo.start', {});
    const id = demo.instanceId;
    const preview = await ok('lines.discover', { instanceId: id, requestId: 'demo' });
    expect(preview.discovered).toBeGreaterThan(0);
    await ok('lines.applyDiscovery', { instanceId: id, requestId: 'demo' });
    const status = await ok('driver.start', { instanceId: id });
    expect(status.connection.state).toBe('connected');
    expect(status.lines.open).toBeGreaterThan(0);
    await ok('demo.placeCall', { from: '100', to: '103' });
    await waitFor(() => lineEvents.some((e) => e.instanceId === id && e.line === '103' && e.event === 'delivered'), 'the demo call at 103');
    await ok('demo.stop', {});
  });
});

describe('call control through the API (line.callControl, line.features)', () => {
  it('answers, holds, retrieves, consults and completes a transfer; the line status follows each step', async () => {
    const s = await startSim({ devices: { extensions: '100-109' } });
    const id = await instanceFor(s.tcpPort, { numberFormat: { dialing: [{ search: '^\\+4930123(.*)$', replace: '\\1' }] } }, ['101', '102']);
    await ok('driver.start', { instanceId: id });
    const control = (request: unknown) => ok('line.callControl', { instanceId: id, line: '101', request });
    const calls = async () => (await ok('line.status', { instanceId: id, line: '101' })).calls.map((c: { callId: string; state: string }) => [c.callId, c.state]);
    const callsBecome = async (want: unknown) => {
      for (let i = 0; i < 200 && JSON.stringify(await calls()) !== JSON.stringify(want); i++) await new Promise((r) => setTimeout(r, 10));
      expect(await calls()).toEqual(want);
    };
    s.placeCall('105', '101');
    await waitFor(() => lineEvents.some((e) => e.line === '101' && e.event === 'delivered'), 'the call to ring at 101');
    const [[callId]] = await calls();
    expect(await control({ op: 'answer', callId })).toEqual({ callId });
    await callsBecome([[callId, 'connected']]);
    await control({ op: 'hold', callId });
    await callsBecome([[callId, 'held']]);
    await control({ op: 'retrieve', callId });
    await callsBecome([[callId, 'connected']]);
    // The consulted number goes through the dialing rules, as a dialed one does.
    const { callId: consult } = await control({ op: 'consult', callId, to: '+4930123102' });
    await waitFor(() => lineEvents.some((e) => e.line === '102' && e.event === 'delivered'), 'the consultation to ring at 102');
    await callsBecome([[callId, 'held'], [consult, 'connected']]);
    await ok('line.callControl', { instanceId: id, line: '102', request: { op: 'answer', callId: consult } });
    await control({ op: 'transfer', heldCallId: callId, activeCallId: consult });
    await callsBecome([]);
    expect(s.calls().map((c) => c.connections.map((x) => `${x.device}:${x.state}`).sort())).toEqual([['102:connected', '105:connected']]);
  });

  it('sets forwarding per kind and caller and reads it back with do-not-disturb', async () => {
    const s = await startSim({ devices: { extensions: '100-109' } });
    const id = await instanceFor(s.tcpPort, {}, ['101']);
    await ok('driver.start', { instanceId: id });
    await ok('line.setForwarding', { instanceId: id, line: '101', on: true, to: '103', which: { kind: 'busy', callers: 'external' } });
    await ok('line.setForwarding', { instanceId: id, line: '101', on: true, to: '104' });
    await ok('line.setDoNotDisturb', { instanceId: id, line: '101', on: true });
    expect(await ok('line.features', { instanceId: id, line: '101' })).toEqual({
      doNotDisturb: true,
      forwarding: [
        { kind: 'busy', callers: 'external', on: true, to: '103' },
        { kind: 'immediate', callers: 'all', on: true, to: '104' },
      ],
    });
    // The busy forwarding's event does not pass for the line's unconditional forwarding.
    expect((await ok('line.status', { instanceId: id, line: '101' })).forwarding).toEqual({ on: true, to: '104' });
  });

  it('refuses what the PBX does not offer with a code and its facts, and bad requests as invalid input', async () => {
    const s = await startSim({ devices: { extensions: '100-109' } });
    const id = await instanceFor(s.tcpPort, {}, ['101']);
    await ok('driver.start', { instanceId: id });
    const callId = callIdToWire(s.placeCall('101', '102'));
    // Call completion is offered, but 102 is not busy: the PBX refuses, and says which service.
    expect(await (api as any)('line.callControl', { instanceId: id, line: '101', request: { op: 'callBack', callId } })).toMatchObject({
      ok: false,
      error: { code: 'REQUEST_REJECTED', details: { service: 'callBack' } },
    });
    expect(await (api as any)('line.callControl', { instanceId: id, line: '101', request: { op: 'digits', callId, digits: '12x' } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await (api as any)('line.callControl', { instanceId: id, line: '101', request: { op: 'retrieve', callId: '0999' } })).toMatchObject({
      ok: false,
      error: { code: 'REQUEST_REJECTED', details: { service: 'retrieveCall' } },
    });    // A call ID the PBX could never have given (odd hex, not hex) is the caller's mistake, and the link stays up.
    for (const bad of ['099', 'zz']) {
      expect(await (api as any)('line.callControl', { instanceId: id, line: '101', request: { op: 'hold', callId: bad } })).toMatchObject({
        ok: false,
        error: { code: 'CALL_ID_INVALID', details: { field: 'callId', callId: bad } },
      });
    }
    expect(await (api as any)('line.callControl', { instanceId: id, line: '101', request: { op: 'transfer', heldCallId: callId, activeCallId: '1' } })).toMatchObject({ ok: false, error: { code: 'CALL_ID_INVALID', details: { field: 'activeCallId' } } });
    expect((await ok('driver.status', { instanceId: id })).connection.state).toBe('connected');
  });
});

describe('a PBX without call completion or intrusion', () => {
  for (const answer of ['serviceNotSupported', 'reject'] as const) {
    it(`says "not supported by this PBX" when the PBX answers ${answer === 'reject' ? 'with a ROSE reject' : 'serviceNotSupported'}, and keeps the link`, async () => {
      const s = await startSim({ devices: { extensions: '100-109' }, lacks: { operations: ['callBack', 'callBackNonCallRelated', 'intrudeCall'], answer } });
      const id = await instanceFor(s.tcpPort, {}, ['101']);
      await ok('driver.start', { instanceId: id });
      const busy = s.placeCall('103', '102');
      s.answerCall(busy, '102');
      const { callId } = await ok('line.makeCall', { instanceId: id, line: '101', number: '102' });
      for (const request of [{ op: 'callBack', callId }, { op: 'callBackTo', to: '102' }, { op: 'intrude', callId }]) {
        expect(await (api as any)('line.callControl', { instanceId: id, line: '101', request })).toMatchObject({
          ok: false,
          error: { code: 'CALL_CONTROL_NOT_SUPPORTED', details: { op: request.op, family: 'panasonic' } },
        });
      }
      expect(s.pbx.calls.pendingCallBacks()).toEqual([]);
      // What the PBX has still works on the same link.
      await ok('line.callControl', { instanceId: id, line: '101', request: { op: 'hold', callId } });
      expect(s.calls().find((c) => callIdToWire(c.callID) === callId)?.connections).toContainEqual(expect.objectContaining({ device: '101', state: 'hold' }));
      expect((await ok('driver.status', { instanceId: id })).connection.state).toBe('connected');
    });
  }
});

describe('each call-control operation against the simulator, with the events the line sees', () => {
  let s: PanasonicSim;
  let id: string;
  const control = (line: string, request: unknown) => ok('line.callControl', { instanceId: id, line, request });
  type Call = { callId: string; state: string; parties?: string[] };
  const callsAt = async (line: string): Promise<Call[]> => (await ok('line.status', { instanceId: id, line })).calls;
  /** The events line `line` has seen since the mark, by name (and cause where one was given). */
  const seen = (line: string, from = 0) => lineEvents.slice(from).filter((e) => e.line === line).map((e) => (e.cause ? `${e.event}/${e.cause}` : e.event));
  const until = (line: string, event: string, from = 0) => waitFor(() => seen(line, from).some((e) => e === event || e.startsWith(`${event}/`)), `${event} at ${line}`);
  const callsBecome = async (line: string, want: string[]) => {
    const states = async () => (await callsAt(line)).map((c) => c.state);
    for (let i = 0; i < 300 && JSON.stringify(await states()) !== JSON.stringify(want); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await states()).toEqual(want);
  };
  /** 105 (not a line of the instance) calls `line`, which answers; returns the call ID. */
  const answered = async (line: string) => {
    const mark = lineEvents.length;
    s.placeCall('105', line);
    await until(line, 'delivered', mark);
    const [call] = await callsAt(line);
    await control(line, { op: 'answer', callId: call!.callId });
    await until(line, 'established', mark);
    return call!.callId;
  };
  /** 105's answered call on 101 held for a consultation with 102, which 102 answered: one held, one connected. */
  const consulted = async () => {
    const first = await answered('101');
    const mark = lineEvents.length;
    const { callId: consult } = await control('101', { op: 'consult', callId: first, to: '102' });
    await until('102', 'delivered', mark);
    await control('102', { op: 'answer', callId: consult });
    const answeredAt = (line: string) => seen(line, mark).some((e) => e.startsWith('established'));
    await waitFor(() => answeredAt('101') && answeredAt('102'), 'the consultation answered');
    return { first, consult: consult as string };
  };
  /** 102 talks to 103 (both lines of the instance): 102 is busy. */
  const busy102 = async () => {
    const call = s.placeCall('103', '102');
    s.answerCall(call, '102');
    await callsBecome('102', ['connected']);
    return call;
  };

  beforeEach(async () => {
    s = await startSim({ devices: { extensions: '100-109' }, noAnswerMs: 300 });
    id = await instanceFor(s.tcpPort, {}, ['101', '102', '103']);
    await ok('driver.start', { instanceId: id });
  });

  it('redirect: the ringing call leaves the line (Diverted) and rings at the new destination', async () => {
    const mark = lineEvents.length;
    s.placeCall('105', '101');
    await until('101', 'delivered', mark);
    const [call] = await callsAt('101');
    expect(await control('101', { op: 'redirect', callId: call!.callId, to: '102' })).toEqual({ callId: null });
    await until('102', 'delivered', mark);
    expect(seen('101', mark)).toEqual(['delivered/newCall', 'diverted/redirected']);
    await callsBecome('101', []);
    await callsBecome('102', ['alerting']);
  });

  it('blind transfer: the connected call goes to the destination in one step, and the line is free', async () => {
    const callId = await answered('101');
    const mark = lineEvents.length;
    expect(await control('101', { op: 'blindTransfer', callId, to: '102' })).toEqual({ callId: null });
    await until('102', 'delivered', mark);
    await callsBecome('101', []);
    // The simulated PBX performs a single-step transfer as hold, call and transfer; the line sees each step.
    expect(seen('101', mark)).toEqual(['held/normal', 'serviceInitiated/makeCall', 'originated/makeCall', 'delivered/newCall', 'transferred/transfer']);
    expect(s.calls().map((c) => c.connections.map((x) => `${x.device}:${x.state}`).sort())).toEqual([['102:alerting', '105:connected']]);
  });

  it('swap hold: the consultation is held and the first call comes back', async () => {
    const { first, consult } = await consulted();
    const mark = lineEvents.length;
    expect(await control('101', { op: 'alternate', heldCallId: first, activeCallId: consult })).toEqual({ callId: first });
    await waitFor(() => seen('101', mark).length >= 2, 'held and retrieved at 101');
    expect(seen('101', mark)).toEqual(['held/normal', 'retrieved/normal']);
    expect(Object.fromEntries((await callsAt('101')).map((c) => [c.callId, c.state]))).toEqual({ [first]: 'connected', [consult]: 'held' });
    // 102 hears its call held.
    expect(seen('102', mark)).toEqual(['held/normal']);
  });

  it('conference, then remove a party: the line lists the parties, and after the removal the other two still talk', async () => {
    const { first, consult } = await consulted();
    let mark = lineEvents.length;
    const { callId: conference } = await control('101', { op: 'conference', heldCallId: first, activeCallId: consult });
    expect(conference).toBe(first);
    await until('101', 'conferenced', mark);
    expect(seen('101', mark)).toEqual(['conferenced/conference']);
    expect(await callsAt('101')).toMatchObject([{ callId: first, state: 'connected', parties: ['102', '105'] }]);
    // 102 was in the consultation call: it is in the conference call now.
    await callsBecome('102', ['connected']);
    expect((await callsAt('102'))[0]).toMatchObject({ callId: first, parties: ['101', '105'] });

    mark = lineEvents.length;
    expect(await control('101', { op: 'removeParty', callId: first, party: '102' })).toEqual({ callId: first });
    await until('102', 'connectionCleared', mark);
    await until('101', 'connectionCleared', mark);
    expect(seen('101', mark)).toEqual(['connectionCleared/normalClearing']);
    await callsBecome('102', []);
    // Two parties left: a plain call again, nobody left to remove.
    const [left] = await callsAt('101');
    expect(left).toMatchObject({ callId: first, state: 'connected' });
    expect(left!.parties).toBeUndefined();
    expect(s.calls().map((c) => c.connections.map((x) => `${x.device}:${x.state}`).sort())).toEqual([['101:connected', '105:connected']]);
  });

  it('pickup: the call ringing at another extension is answered at the line', async () => {
    const mark = lineEvents.length;
    s.placeCall('105', '102');
    await until('102', 'delivered', mark);
    const [ringing] = await callsAt('102');
    expect(await control('101', { op: 'pickup', from: '102' })).toEqual({ callId: ringing!.callId });
    await until('101', 'established', mark);
    expect(seen('101', mark)).toEqual(['established/callPickup']);
    expect(seen('102', mark)).toEqual(['delivered/newCall', 'diverted/callPickup']);
    await callsBecome('101', ['connected']);
    await callsBecome('102', []);
  });

  it('digits: DTMF on a connected call reaches the PBX and leaves the call as it was', async () => {
    const callId = await answered('101');
    const mark = lineEvents.length;
    expect(await control('101', { op: 'digits', callId, digits: '12#' })).toEqual({ callId });
    expect(s.pbx.keyedDigits).toContainEqual({ device: '101', digits: '12#' });
    await callsBecome('101', ['connected']);
    expect(seen('101', mark)).toEqual([]);
  });

  it('dial in dial-tone mode: the handset is off-hook, the number dialed on that call rings at the destination', async () => {
    const mark = lineEvents.length;
    const callId = callIdToWire(s.pbx.offHook('101'));
    await until('101', 'serviceInitiated', mark);
    await callsBecome('101', ['initiated']);
    expect(await control('101', { op: 'dial', callId, to: '102' })).toEqual({ callId });
    await until('102', 'delivered', mark);
    expect(seen('101', mark)).toEqual(['serviceInitiated/newCall', 'originated/newCall', 'delivered/newCall']);
    await callsBecome('101', ['connected']);
  });

  it('call back on a call to a busy extension: the attempt ends, and the line is called back once it is free', async () => {
    const busyCall = await busy102();
    const { callId } = await ok('line.makeCall', { instanceId: id, line: '101', number: '102' });
    await callsBecome('101', ['connected']);
    let mark = lineEvents.length;
    expect(await control('101', { op: 'callBack', callId })).toEqual({ callId: null });
    await until('101', 'connectionCleared', mark);
    expect(seen('101', mark)).toEqual(['connectionCleared/callBack']);
    await callsBecome('101', []);
    expect(s.pbx.calls.pendingCallBacks()).toEqual([{ from: '101', target: '102' }]);
    mark = lineEvents.length;
    s.clearCall(busyCall);
    await until('102', 'delivered', mark);
    expect(seen('101', mark)).toEqual(['serviceInitiated/callBack', 'originated/callBack', 'delivered/newCall']);
    await callsBecome('101', ['connected']);
    expect(s.pbx.calls.pendingCallBacks()).toEqual([]);
  });

  it('call back without a call (CallBackNonCallRelated): the line is called once the busy extension is free', async () => {
    const busyCall = await busy102();
    const mark = lineEvents.length;
    expect(await control('101', { op: 'callBackTo', to: '102' })).toEqual({ callId: null });
    expect(s.pbx.calls.pendingCallBacks()).toEqual([{ from: '101', target: '102' }]);
    expect(seen('101', mark)).toEqual([]);
    s.clearCall(busyCall);
    await until('102', 'delivered', mark);
    expect(seen('101', mark)).toEqual(['serviceInitiated/callBack', 'originated/callBack', 'delivered/newCall']);
  });

  it('intrude: the line joins the busy extension\'s call as a conference of three', async () => {
    const busyCall = await busy102();
    const { callId } = await ok('line.makeCall', { instanceId: id, line: '101', number: '102' });
    await callsBecome('101', ['connected']);
    const mark = lineEvents.length;
    const { callId: joined } = await control('101', { op: 'intrude', callId });
    expect(joined).toBe(callIdToWire(busyCall));
    await until('101', 'conferenced', mark);
    expect(seen('101', mark)).toEqual(['connectionCleared/intrude', 'conferenced/intrude']);
    expect(await callsAt('101')).toMatchObject([{ callId: joined, state: 'connected', parties: ['102', '103'] }]);
  });

  it('forwarding on no answer: the line sees the setting, and an unanswered call moves on after the ring time', async () => {
    let mark = lineEvents.length;
    await ok('line.setForwarding', { instanceId: id, line: '101', on: true, to: '103', which: { kind: 'noAnswer', callers: 'all' } });
    await until('101', 'forwarding', mark);
    expect((await ok('line.features', { instanceId: id, line: '101' })).forwarding).toEqual([{ kind: 'noAnswer', callers: 'all', on: true, to: '103' }]);
    // Not the line's unconditional forwarding.
    expect((await ok('line.status', { instanceId: id, line: '101' })).forwarding).not.toEqual({ on: true, to: '103' });
    mark = lineEvents.length;
    s.placeCall('105', '101');
    await until('103', 'delivered', mark);
    expect(seen('101', mark)).toEqual(['delivered/newCall', 'diverted/callForwardNoAnswer']);
    await callsBecome('101', []);
    await callsBecome('103', ['alerting']);
  });
});

describe('starting an instance whose family has no driver yet', () => {
  // every shipped family has a driver now: the seam is tested with one made configuration-only again
  beforeEach(async () => {
    await services.dispose();
    services = createServices({ dataDir: dir, transport: 'websocket', registry: { ...DRIVER_REGISTRY, 'sip-phones': configurationOnly(FAMILY_SPECS['sip-phones']) } });
    api = createApi(services);
    services.bus.on('connection.status', (s) => statuses.push(s));
  });

  it('refuses with FAMILY_NOT_SUPPORTED and the family, and leaves the instance stopped instead of retrying', async () => {
    const { id } = await ok('instances.create', { family: 'sip-phones', name: 'Phones' });
    const r = await (api as any)('driver.start', { instanceId: id });
    expect(r).toMatchObject({ ok: false, error: { code: 'FAMILY_NOT_SUPPORTED', details: { family: 'sip-phones' } } });
    await new Promise((res) => setTimeout(res, 150));
    expect(await ok('driver.status', { instanceId: id })).toMatchObject({ running: false, connection: { state: 'stopped', attempts: 0 } });
    expect(statuses.filter((s) => s.instanceId === id && s.state !== 'stopped')).toEqual([]);
  });
});
