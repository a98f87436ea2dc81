import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPanasonicSim, type PanasonicSim } from '../main/sim/panasonic';
import { SimTestClient, until } from '../main/sim/panasonic/testing';

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

/** What a CTI client does first: log in, list the devices, monitor one; then a call is placed from outside. */
async function session(c: SimTestClient) {
  expect((await c.login({ user: 'admin', password: 'geheim' })).result).toBe(0);
  const status = (await c.next((a) => a.kind === 'invoke' && a.operation === 'systemStatus')) as { invokeId: number };
  c.send({ kind: 'returnResult', invokeId: status.invokeId, opcode: 211, operation: 'systemStatus', result: { noData: null } });

  expect(await c.invoke('getSwitchingFunctionDevices', {})).toMatchObject({ kind: 'returnResult' });
  const numbers: string[] = [];
  for (;;) {
    const seg = (await c.next((a) => a.kind === 'invoke' && a.operation === 'switchingFunctionDevices')) as any;
    numbers.push(...seg.argument.deviceList.map((d: any) => d.deviceID.deviceIdentifier.dialingNumber));
    if (seg.argument.lastSegment) break;
  }
  expect(numbers).toHaveLength(62);
  expect(numbers).toContain('205');

  const mon = (await c.invoke('monitorStart', { monitorObject: { deviceObject: { deviceIdentifier: { dialingNumber: '101' } } } })) as any;
  const xref = mon.result.crossRefIdentifier;

  const res = await fetch(`${sim.controlUrl}/calls`, { method: 'POST', body: JSON.stringify({ from: '+49301234567', to: '101' }) });
  const { callID } = (await res.json()) as { callID: string };
  await fetch(`${sim.controlUrl}/calls/${callID}/answer`, { method: 'POST', body: JSON.stringify({ device: '101' }) });
  await fetch(`${sim.controlUrl}/calls/${callID}/clear`, { method: 'POST', body: JSON.stringify({ device: '101' }) });
  await until(() => c.received.filter((a) => a.kind === 'invoke' && a.operation === 'cSTAEventReport').length >= 3);
  const events = c.takeEvents();
  expect(events.every((e) => e.crossRef === xref)).toBe(true);
  expect(events.map((e) => e.name)).toEqual(['delivered', 'established', 'connectionCleared']);
  expect(events[0].event).toMatchObject({ callingDevice: { deviceIdentifier: { deviceIdentifier: { dialingNumber: '+49301234567' } } }, localConnectionInfo: 'alerting' });

  c.send({ kind: 'rlrq' });
  await c.next((a) => a.kind === 'rlre');
  await until(() => sim.counters().associations.active === 0);
}

describe('a CSTA client against the Panasonic simulator', () => {
  it('logs in over TCP, lists the devices, monitors one and receives the events of a call placed through the control API', async () => {
    const c = await SimTestClient.connect(sim.tcpPort);
    try {
      await session(c);
    } finally {
      c.close();
    }
  });

  it('does the same over TLS with the simulator certificate', async () => {
    const c = await SimTestClient.connect(sim.tlsPort!, { ca: tls.cert });
    try {
      await session(c);
    } finally {
      c.close();
    }
  });

  it('counts both associations and the invokes by operation', async () => {
    const counters = sim.counters();
    expect(counters.associations).toMatchObject({ active: 0 });
    expect(counters.associations.total).toBeGreaterThanOrEqual(2);
    expect(counters.invokesReceived.getSwitchingFunctionDevices).toBeGreaterThanOrEqual(2);
    expect(counters.invokesReceived.monitorStart).toBeGreaterThanOrEqual(2);
  });
});
