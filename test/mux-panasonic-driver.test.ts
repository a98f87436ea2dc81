import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startPanasonicSim, type PanasonicSim } from '../main/sim/panasonic';
import { startMultiplexer, type MultiplexerHandle } from '../main/servers/mux';
import { PanasonicDriver } from '../main/drivers/panasonic';
import type { DriverLineEvent } from '../main/drivers/driver';

/** A Panasonic line is identified by its number. */
const ref = (number: string) => ({ key: number, number });

let sim: PanasonicSim | undefined;
let mux: MultiplexerHandle | undefined;
const drivers: PanasonicDriver[] = [];
afterEach(async () => {
  for (const d of drivers.splice(0)) await d.close();
  await mux?.close();
  await sim?.close();
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 250 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

function selfSigned(): { cert: Buffer; key: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'lk-mux-drv-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
  return { cert: readFileSync(cert), key: readFileSync(key) };
}

describe('Panasonic driver through the multiplexer', () => {
  it('lets two drivers, over TCP and over TLS with login, discover the same PBX and share one monitor', async () => {
    const tls = selfSigned();
    sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-119', names: true }, segmentSize: 6 });
    mux = await startMultiplexer({ pbx: { host: '127.0.0.1', port: sim.tcpPort }, bind: '127.0.0.1', tcpPort: 0, tls: { port: 0, cert: tls.cert, key: tls.key } });
    await until(() => mux!.status().pbx?.state === 'connected', 'PBX link');
    const plain = new PanasonicDriver({ host: '127.0.0.1', port: mux.tcpPort, tls: false, keepAliveMs: 0, connectTimeoutMs: 2000, answerTimeoutMs: 3000 });
    const secure = new PanasonicDriver({ host: 'localhost', port: mux.tlsPort!, tls: true, ca: tls.cert, user: 'admin', password: 'admin', keepAliveMs: 0, connectTimeoutMs: 2000, answerTimeoutMs: 3000 });
    drivers.push(plain, secure);
    await plain.connect();
    await secure.connect();
    const [a, b] = await Promise.all([plain.discover({ readNames: true }), secure.discover({ readNames: true })]);
    expect(a.devices).toHaveLength(20);
    expect(b.devices.map((d) => d.number)).toEqual(a.devices.map((d) => d.number));

    const events: Record<string, DriverLineEvent[]> = { plain: [], secure: [] };
    plain.onEvent((e) => events.plain.push(e));
    secure.onEvent((e) => events.secure.push(e));
    await plain.monitorStart(ref('101'));
    await secure.monitorStart(ref('101'));
    expect(sim.counters().invokesReceived.monitorStart).toBe(1);
    sim.placeCall('100', '101');
    await until(() => events.plain.some((e) => e.event === 'delivered') && events.secure.some((e) => e.event === 'delivered'), 'delivered at both drivers');
    expect(events.secure.find((e) => e.event === 'delivered')).toMatchObject({ line: '101', calling: '100', called: '101' });
    expect(mux.status().applications.map((x) => x.user ?? '-').sort()).toEqual(['-', 'admin']);
  });

  it('answers, holds, retrieves and transfers calls through the multiplexer, each application seeing its own line', async () => {
    sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-109' } });
    mux = await startMultiplexer({ pbx: { host: '127.0.0.1', port: sim.tcpPort }, bind: '127.0.0.1', tcpPort: 0 });
    await until(() => mux!.status().pbx?.state === 'connected', 'PBX link');
    const options = { host: '127.0.0.1', port: mux.tcpPort, tls: false, keepAliveMs: 0, connectTimeoutMs: 2000, answerTimeoutMs: 3000 };
    const desk = new PanasonicDriver(options);
    const sales = new PanasonicDriver(options);
    drivers.push(desk, sales);
    await desk.connect();
    await sales.connect();
    const seen: Record<string, string[]> = { '101': [], '102': [] };
    desk.onEvent((e) => seen[e.line]!.push(e.event));
    sales.onEvent((e) => seen[e.line]!.push(e.event));
    await desk.monitorStart(ref('101'));
    await sales.monitorStart(ref('102'));
    const connections = () => sim!.calls().map((c) => c.connections.map((x) => `${x.device}:${x.state}`).sort());

    const callId = sim.placeCall('105', '101');
    await until(() => seen['101']!.includes('delivered'), 'the call ringing at 101');
    const wire = (await desk.snapshot(ref('101')))[0]!.callId;
    expect(await desk.callControl(ref('101'), { op: 'answer', callId: wire })).toEqual({ callId: wire });
    await until(() => seen['101']!.includes('established'), 'established at 101');
    await desk.callControl(ref('101'), { op: 'hold', callId: wire });
    await until(() => seen['101']!.includes('held'), 'held at 101');
    expect(connections()).toEqual([['101:hold', '105:connected']]);
    await desk.callControl(ref('101'), { op: 'retrieve', callId: wire });
    await until(() => seen['101']!.includes('retrieved'), 'retrieved at 101');

    // The consultation rings at 102, whose application answers it; the desk completes the transfer.
    const { callId: consult } = await desk.callControl(ref('101'), { op: 'consult', callId: wire, to: '102' });
    await until(() => seen['102']!.includes('delivered'), 'the consultation ringing at 102');
    await sales.callControl(ref('102'), { op: 'answer', callId: consult! });
    await until(() => seen['101']!.includes('established') && seen['102']!.includes('established'), 'the consultation answered');
    await desk.callControl(ref('101'), { op: 'transfer', heldCallId: wire, activeCallId: consult! });
    await until(() => seen['101']!.includes('transferred') && seen['102']!.includes('transferred'), 'transferred at both lines');
    expect(connections()).toEqual([['102:connected', '105:connected']]);
    expect(sim.calls()[0]!.callID).toBe(callId);
    expect(seen['101']).toEqual(['delivered', 'established', 'held', 'retrieved', 'held', 'serviceInitiated', 'originated', 'delivered', 'established', 'transferred']);
    // Each application saw only its own line: one monitor per line at the PBX.
    expect(seen['102']).toEqual(['delivered', 'established', 'transferred']);
    expect(sim.counters().invokesReceived.monitorStart).toBe(2);
  });

  it("answers the multiplexer's keep-alives, so a driver keeps its place while idle", async () => {
    sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-109' } });
    mux = await startMultiplexer({ pbx: { host: '127.0.0.1', port: sim.tcpPort }, bind: '127.0.0.1', tcpPort: 0, applicationKeepAliveMs: 50, applicationKeepAliveTimeoutMs: 100 });
    await until(() => mux!.status().pbx?.state === 'connected', 'PBX link');
    const driver = new PanasonicDriver({ host: '127.0.0.1', port: mux.tcpPort, tls: false, keepAliveMs: 0, connectTimeoutMs: 2000, answerTimeoutMs: 3000 });
    drivers.push(driver);
    await driver.connect();
    await new Promise((r) => setTimeout(r, 600));
    expect(mux.status().applications).toHaveLength(1);
    expect(mux.status().counters!.keepAliveDisconnects).toBe(0);
    await driver.monitorStart(ref('101'));
  });
});
