// The family seam: a family is a spec plus a registry entry. A fifth family that exists only in this file goes
// through the whole API (create, test connection, discover, open lines, events), and a CME number on two phones
// stays two lines from discovery to events. The family's "PBX" is a small line protocol over a real TCP socket.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dispatch } from '../main/api';
import { call, startApi, until, type ApiHarness } from '../main/drivers/testing/api-harness';
import { DRIVER_REGISTRY, DriverFailure, type Driver, type DriverSettings, type DriverLineEvent, type DriverRegistry, type FamilyDriver, type LineRef } from '../main/drivers';
import { commonAdvanced, commonAdvancedFields, defineFamily, FAMILY_SPECS, host, port } from '../shared/families';
import type { LineEvent } from '../shared/api/drivers';

interface Device {
  number: string;
  name: string;
  device?: string;
}

/** A switch that speaks JSON lines: login, a device list, monitors, and call events it pushes to monitored devices. */
class LinePbx {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly monitored = new Map<string, Socket>();
  logins = 0;

  constructor(
    private readonly devices: Device[],
    private readonly password: string,
  ) {}

  async listen(): Promise<number> {
    this.server = createServer((s) => this.serve(s));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return (this.server.address() as { port: number }).port;
  }

  /** A call arrives at one appearance of a number. */
  ring(number: string, device: string | undefined, from: string): void {
    const s = this.monitored.get(`${number}|${device ?? ''}`);
    s?.write(JSON.stringify({ event: 'ring', number, device, from, callId: `c${Math.random().toString(36).slice(2, 8)}` }) + '\n');
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private serve(s: Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => undefined);
    let buf = '';
    let loggedIn = false;
    s.on('data', (d) => {
      buf += d.toString('utf8');
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const req = JSON.parse(buf.slice(0, i)) as { id: number; op: string; password?: string; number?: string; device?: string };
        buf = buf.slice(i + 1);
        const answer = (body: object) => s.write(JSON.stringify({ id: req.id, ...body }) + '\n');
        if (req.op === 'hello') {
          loggedIn = req.password === this.password;
          this.logins++;
          answer(loggedIn ? { ok: true, reply: `line switch with ${this.devices.length} devices` } : { ok: false, error: 'login refused' });
        } else if (!loggedIn) answer({ ok: false, error: 'not logged in' });
        else if (req.op === 'devices') answer({ ok: true, devices: this.devices });
        else if (req.op === 'monitor') {
          const known = this.devices.some((d) => d.number === req.number && (d.device ?? '') === (req.device ?? ''));
          if (known) this.monitored.set(`${req.number}|${req.device ?? ''}`, s);
          answer(known ? { ok: true } : { ok: false, error: 'no such device' });
        } else answer({ ok: false, error: `unknown op ${req.op}` });
      }
    });
  }
}

/** The family's driver: one socket, requests answered by id, pushed ring events turned into line events. */
class LineDriver implements Driver {
  readonly family = 'acme' as never;
  private socket: Socket | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, (m: Record<string, unknown>) => void>();
  private readonly monitors = new Map<string, LineRef>();
  private listener: (e: DriverLineEvent) => void = () => {};
  private events = 0;

  constructor(private readonly s: { host: string; port: number; password?: string }) {}

  get connected(): boolean {
    return !!this.socket && !this.socket.destroyed;
  }

  async connect(): Promise<string> {
    this.socket = await new Promise<Socket>((resolve, reject) => {
      const sock = connect(this.s.port, this.s.host, () => resolve(sock));
      sock.once('error', (e) => reject(new DriverFailure('CONNECT_REFUSED', `${this.s.host}:${this.s.port}: ${e.message}`)));
    });
    let buf = '';
    this.socket.on('data', (d) => {
      buf += d.toString('utf8');
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const m = JSON.parse(buf.slice(0, i)) as Record<string, unknown>;
        buf = buf.slice(i + 1);
        if (typeof m.id === 'number') this.waiting.get(m.id)?.(m);
        else if (m.event === 'ring') this.onRing(m);
      }
    });
    const hello = await this.request({ op: 'hello', password: this.s.password ?? '' }).catch((e: DriverFailure) => {
      throw new DriverFailure('LOGIN_REJECTED', e.message);
    });
    return String(hello.reply);
  }

  async close(): Promise<void> {
    this.socket?.destroy();
    this.socket = undefined;
  }

  onLost(): void {}

  onEvent(listener: (e: DriverLineEvent) => void): void {
    this.listener = listener;
  }

  async discover() {
    const r = await this.request({ op: 'devices' });
    const devices = (r.devices as Device[]).map((d) => ({ number: d.number, name: d.name, kind: 'unknown' as const, ...(d.device ? { deviceId: d.device } : {}) }));
    return { method: 'switchingFunctionDevices' as const, devices, outOfRange: 0, warnings: [] };
  }

  async monitorStart(line: LineRef): Promise<void> {
    await this.request({ op: 'monitor', number: line.number, device: line.deviceId });
    this.monitors.set(`${line.number}|${line.deviceId ?? ''}`, line);
  }

  async monitorStop(line: LineRef): Promise<void> {
    this.monitors.delete(`${line.number}|${line.deviceId ?? ''}`);
  }

  async snapshot() {
    return [];
  }

  async makeCall(): Promise<{ callId: string }> {
    throw new DriverFailure('REQUEST_REJECTED', 'this switch places no calls');
  }

  async clearCall(): Promise<void> {}
  async setForwarding(): Promise<void> {}
  async setDoNotDisturb(): Promise<void> {}

  stats() {
    return { requests: this.nextId - 1, events: this.events };
  }

  private onRing(m: Record<string, unknown>): void {
    const ref = this.monitors.get(`${m.number}|${(m.device as string | undefined) ?? ''}`);
    if (!ref) return;
    this.events++;
    this.listener({ line: ref.key, event: 'delivered', callId: String(m.callId), callState: 'alerting', calling: String(m.from), called: ref.number, cause: null });
  }

  private request(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (m) => {
        this.waiting.delete(id);
        if (m.ok) resolve(m);
        else reject(new DriverFailure('REQUEST_REJECTED', String(m.error)));
      });
      this.socket!.write(JSON.stringify({ id, ...body }) + '\n');
    });
  }
}

/** The registry part of a line-switch family: settings from the instance (host and the spec's port field). */
function lineDriverEntry(portField: string): NonNullable<FamilyDriver['driver']> {
  return {
    reconnectKey: (settings) => JSON.stringify([settings.host, settings.port, settings.password, (settings as { site?: string }).site]),
    settingsOf: (instance, password, override) => {
      const c = instance.connection as unknown as Record<string, unknown>;
      return { host: override.host ?? String(c.host), port: override.port ?? Number(c[portField]), tls: false, password, ...(c.site !== undefined ? { site: c.site } : {}) } as DriverSettings;
    },
    create: (settings) => new LineDriver(settings),
    warnings: (settings) => (settings.password ? [] : [{ code: 'acme.noPassword', message: 'no password is set' }]),
  };
}

const acmeSpec = defineFamily({
  id: 'acme',
  connection: z.object({ host: host.default(''), port: port().default(7000), site: z.string().default('') }),
  advanced: z.object({ ...commonAdvanced }),
  secrets: ['password'],
  passwordSecret: 'password',
  portField: 'port',
  lineFields: [],
  lineIdentity: (l) => l.number,
  defaultPort: () => 7000,
  capabilities: { testConnection: true, discovery: true, runtime: true, callControl: [], importFormats: ['text'], exportFormat: 'text' },
  form: { connection: [{ key: 'host', kind: 'text' }, { key: 'port', kind: 'number' }], advanced: commonAdvancedFields },
});

let harness: ApiHarness | undefined;
let pbx: LinePbx | undefined;
afterEach(async () => {
  await harness?.dispose();
  await pbx?.close();
  harness = undefined;
  pbx = undefined;
});

function start(registry: DriverRegistry): { api: Dispatch; events: LineEvent[] } {
  harness = startApi(registry);
  return harness;
}

describe('a family is one spec and one registry entry', () => {
  it('a fifth family from a test-only registry is created, tested, discovered, opened and reports events through the API', async () => {
    pbx = new LinePbx([{ number: '10', name: 'Reception' }, { number: '11', name: 'Office' }], 's3cret');
    const pbxPort = await pbx.listen();
    const { api, events } = start({ ...DRIVER_REGISTRY, acme: { spec: acmeSpec, driver: lineDriverEntry('port') } });

    const { id } = await call(api, 'instances.create', { family: 'acme', name: 'Line switch' });
    const created = await call(api, 'instances.get', { id });
    expect(created.connection).toEqual({ host: '', port: 7000, site: '' });
    await call(api, 'instances.update', { id, patch: { connection: { host: '127.0.0.1', port: pbxPort } } });

    const refused = await call(api, 'instances.testConnection', { instanceId: id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'LOGIN_REJECTED' }, warnings: [{ code: 'acme.noPassword' }] });
    await call(api, 'instances.setSecret', { id, field: 'password', value: 's3cret' });
    const tested = await call(api, 'instances.testConnection', { instanceId: id });
    expect(tested).toMatchObject({ ok: true, reply: 'line switch with 2 devices', warnings: [] });

    const preview = await call(api, 'lines.discover', { instanceId: id, requestId: 'r1' });
    expect(preview.added).toEqual([
      { number: '10', name: 'Reception' },
      { number: '11', name: 'Office' },
    ]);
    await call(api, 'lines.applyDiscovery', { instanceId: id, requestId: 'r1' });

    await call(api, 'driver.start', { instanceId: id });
    await until(async () => (await call(api, 'driver.status', { instanceId: id })).lines.open === 2, 'both lines open').catch(async (e) => {
      throw new Error(`${(e as Error).message}: ${JSON.stringify(await call(api, 'driver.status', { instanceId: id }))} ${JSON.stringify(await call(api, 'line.status', { instanceId: id, line: '10' }))}`);
    });
    pbx.ring('11', undefined, '0301234');
    await until(() => events.some((e) => e.event === 'delivered'), 'the call event');
    expect(events.find((e) => e.event === 'delivered')).toMatchObject({ instanceId: id, line: '11', number: '11', callState: 'alerting', numbers: { calling: '0301234' } });
    expect((await call(api, 'line.status', { instanceId: id, line: '11' })).calls).toHaveLength(1);
    // Call completion and intrusion are not in this family's capabilities: a coded "not supported by this PBX".
    const callId = (await call(api, 'line.status', { instanceId: id, line: '11' })).calls[0].callId;
    // Remote Office is a BroadWorks service: refused with the same code, before the driver is asked.
    expect(await (api as any)('line.setRemoteOffice', { instanceId: id, line: '11', active: true, number: '0301' })).toMatchObject({ ok: false, error: { code: 'CALL_CONTROL_NOT_SUPPORTED', details: { op: 'remoteOffice', family: 'acme' } } });
    for (const op of ['callBack', 'intrude'] as const) {
      expect(await (api as any)('line.callControl', { instanceId: id, line: '11', request: { op, callId } })).toMatchObject({ ok: false, error: { code: 'CALL_CONTROL_NOT_SUPPORTED', details: { op, family: 'acme' } } });
    }
    // So are do-not-disturb and forwarding, which the family does not list either.
    expect(await (api as any)('line.setDoNotDisturb', { instanceId: id, line: '11', on: true })).toMatchObject({ ok: false, error: { code: 'CALL_CONTROL_NOT_SUPPORTED', details: { op: 'setDoNotDisturb', family: 'acme' } } });
    expect(await (api as any)('line.setForwarding', { instanceId: id, line: '11', on: true, to: '12' })).toMatchObject({ ok: false, error: { code: 'CALL_CONTROL_NOT_SUPPORTED', details: { op: 'setForwarding', family: 'acme' } } });

    // The family's reconnect key names a field of its own: changing it reconnects the running link.
    const logins = pbx.logins;
    await call(api, 'instances.update', { id, patch: { connection: { site: 'north' } } });
    await until(() => pbx!.logins > logins, 'a new login after the site changed');
  });

  it('an unknown family is refused as invalid input, naming the families there are', async () => {
    const { api } = start(DRIVER_REGISTRY);
    const r = await (api as any)('instances.create', { family: 'acme', name: 'X' });
    expect(r.ok).toBe(false);
    expect(r.error.code).toBe('INVALID_INPUT');
    expect(r.error.message).toContain('panasonic, cme, broadworks, sip-phones');
  });

  it('a CME number on two phones is two lines through discovery, the runtime and events', async () => {
    const phoneA = 'SEP001122334455';
    const phoneB = 'SEP00AABBCCDDEE';
    const phoneC = 'SEP0000000000C1';
    pbx = new LinePbx(
      [
        { number: '200', name: 'Sales', device: phoneA },
        { number: '200', name: 'Sales', device: phoneB },
        { number: '201', name: 'Support', device: phoneC },
      ],
      'axl',
    );
    const pbxPort = await pbx.listen();
    const { api, events } = start({ ...DRIVER_REGISTRY, cme: { spec: FAMILY_SPECS.cme, driver: lineDriverEntry('axlPort') } });
    const { id } = await call(api, 'instances.create', { family: 'cme', name: 'CME' });
    await call(api, 'instances.update', { id, patch: { connection: { host: '127.0.0.1', axlPort: pbxPort } } });
    await call(api, 'instances.setSecret', { id, field: 'axlPassword', value: 'axl' });

    const preview = await call(api, 'lines.discover', { instanceId: id, requestId: 'r1' });
    expect(preview.added.map((l: { number: string; deviceId?: string }) => `${l.number}@${l.deviceId}`)).toEqual([`200@${phoneA}`, `200@${phoneB}`, `201@${phoneC}`]);
    await call(api, 'lines.applyDiscovery', { instanceId: id, requestId: 'r1' });
    const stored = await call(api, 'lines.list', { instanceId: id });
    expect((stored.lines ?? stored).length).toBe(3);

    await call(api, 'driver.start', { instanceId: id });
    await until(async () => (await call(api, 'driver.status', { instanceId: id })).lines.open === 3, 'three lines open');
    const keyA = '200|001122334455';
    const keyB = '200|00AABBCCDDEE';
    pbx.ring('200', phoneB, '0401');
    await until(() => events.some((e) => e.event === 'delivered'), 'the call event');
    const delivered = events.filter((e) => e.event === 'delivered');
    expect(delivered.map((e) => e.line)).toEqual([keyB]);
    expect(delivered[0].number).toBe('200');
    expect((await call(api, 'line.status', { instanceId: id, line: keyB })).calls).toHaveLength(1);
    expect((await call(api, 'line.status', { instanceId: id, line: keyA })).calls).toHaveLength(0);
  });
});
