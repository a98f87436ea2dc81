import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPanasonicSim, type PanasonicSim } from '../main/sim/panasonic';
import { CstaClient, type CstaClientOptions, type InvokeApdu } from '../main/protocols/csta-ber';
import { until } from '../main/protocols/csta-ber/testing/client';

/** A self-signed certificate for localhost/127.0.0.1, made with the openssl CLI for this run only. */
function selfSigned(): { cert: Buffer; key: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'lk-sim-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], {
    stdio: 'ignore',
  });
  return { cert: readFileSync(cert), key: readFileSync(key) };
}

let sim: PanasonicSim;
let tls: { cert: Buffer; key: Buffer };

beforeAll(async () => {
  tls = selfSigned();
  sim = await startPanasonicSim({
    port: 0,
    tls: { port: 0, ...tls },
    devices: { extensions: '100-149', sip: '200-209', dect: '500-501', twins: '100:500', names: true },
    login: { user: 'admin', password: 'geheim' },
  });
});
afterAll(() => sim?.close());

type Client = InstanceType<typeof CstaClient>;

function client(port: number, extra: Partial<CstaClientOptions> = {}): Client {
  return new CstaClient({ host: '127.0.0.1', port, user: 'admin', password: 'geheim', reconnect: { enabled: false }, keepAliveIntervalMs: 0, ...extra });
}

/** Collects what the PBX invokes on its own: device-list segments and event reports. */
function collect(c: Client) {
  const invokes: InvokeApdu[] = [];
  const events: Array<{ crossRef: string; name: string; event: Record<string, unknown> }> = [];
  c.on('invoke', (a) => invokes.push(a));
  c.on('event', (arg) => {
    const info = arg.eventSpecificInfo as Record<string, Record<string, Record<string, unknown>>>;
    const [category] = Object.keys(info);
    const [name] = Object.keys(info[category]);
    events.push({ crossRef: arg.crossRefIdentifier, name, event: info[category][name] });
  });
  return { invokes, events };
}

/** What a CTI client does first: log in, list the devices, monitor one; then a call is placed from outside. */
async function session(c: Client) {
  const seen = collect(c);
  await c.connect();
  expect(sim.counters().associations.active).toBe(1);

  const { serviceCrossRefID } = await c.invoke('getSwitchingFunctionDevices', {});
  await until(() => seen.invokes.some((a) => a.operation === 'switchingFunctionDevices' && a.argument.lastSegment));
  const segments = seen.invokes.filter((a): a is Extract<InvokeApdu, { operation: 'switchingFunctionDevices' }> => a.operation === 'switchingFunctionDevices');
  expect(segments.every((s) => s.argument.serviceCrossRefID === serviceCrossRefID)).toBe(true);
  const numbers = segments.flatMap((s) => s.argument.deviceList.map((d) => (d.deviceID.deviceIdentifier as { dialingNumber: string }).dialingNumber));
  expect(numbers).toHaveLength(62);
  expect(numbers).toContain('205');

  const { crossRefIdentifier: xref } = await c.invoke('monitorStart', { monitorObject: { deviceObject: { deviceIdentifier: { dialingNumber: '101' } } } });

  const res = await fetch(`${sim.controlUrl}/calls`, { method: 'POST', body: JSON.stringify({ from: '+49301234567', to: '101' }) });
  const { callID } = (await res.json()) as { callID: string };
  await fetch(`${sim.controlUrl}/calls/${callID}/answer`, { method: 'POST', body: JSON.stringify({ device: '101' }) });
  await fetch(`${sim.controlUrl}/calls/${callID}/clear`, { method: 'POST', body: JSON.stringify({ device: '101' }) });
  await until(() => seen.events.length >= 3);
  expect(seen.events.every((e) => e.crossRef === xref)).toBe(true);
  expect(seen.events.map((e) => e.name)).toEqual(['delivered', 'established', 'connectionCleared']);
  expect(seen.events[0].event).toMatchObject({ callingDevice: { deviceIdentifier: { deviceIdentifier: { dialingNumber: '+49301234567' } } }, localConnectionInfo: 'alerting' });

  await c.stop();
  await until(() => sim.counters().associations.active === 0);
}

describe('the codec client against the Panasonic simulator', () => {
  it('logs in over TCP, lists the devices, monitors one and receives the events of a call placed through the control API', async () => {
    await session(client(sim.tcpPort));
  });

  it('does the same over TLS, checking the certificate against the host name', async () => {
    await session(client(sim.tlsPort!, { tls: { ca: tls.cert, servername: 'localhost' } }));
  });

  it('does the same over TLS with the self-signed certificate pinned by its SHA-256 fingerprint', async () => {
    const fingerprint256 = new X509Certificate(tls.cert).fingerprint256;
    await session(client(sim.tlsPort!, { tls: { fingerprint256 } }));
  });

  it('is refused with a clear login error while another client holds the one association', async () => {
    const first = client(sim.tcpPort);
    await first.connect();
    const second = client(sim.tcpPort);
    await expect(second.connect()).rejects.toMatchObject({ code: 'CSTA_LOGIN_REJECTED' });
    await second.stop();
    await first.stop();
  });

  it('is refused with wrong credentials', async () => {
    const c = client(sim.tcpPort, { password: 'falsch' });
    await expect(c.connect()).rejects.toMatchObject({ code: 'CSTA_LOGIN_REJECTED' });
    await c.stop();
  });

  it('counts the associations and the invokes by operation', async () => {
    const counters = sim.counters();
    expect(counters.associations.active).toBe(0);
    expect(counters.associations.total).toBeGreaterThanOrEqual(4);
    expect(counters.associations.rejected).toBeGreaterThanOrEqual(2);
    expect(counters.invokesReceived.getSwitchingFunctionDevices).toBe(3);
    expect(counters.invokesReceived.monitorStart).toBe(3);
  });
});
