// The CSTA client (main/protocols/csta-ber) against the Panasonic simulator: the Panasonic escape device list and
// the simulator's fault injection (dropped link, malformed frame, refused login, slow answers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPanasonicSim, type PanasonicSim } from '../main/sim/panasonic';
import { CstaClient, decodeKmePrivateData, kmeDeviceListRequest, type CstaClientOptions, type CstaError, type CstaStatus, type KmeDeviceListReply } from '../main/protocols/csta-ber';

let sim: PanasonicSim;
const clients: CstaClient[] = [];

beforeAll(async () => {
  sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-129' }, segmentSize: 7 });
});
afterAll(async () => {
  for (const c of clients) await c.stop();
  await sim?.close();
});

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function client(extra: Partial<CstaClientOptions> = {}): { c: CstaClient; statuses: CstaStatus[] } {
  const c = new CstaClient({ host: '127.0.0.1', port: sim.tcpPort, keepAliveIntervalMs: 0, reconnect: { initialDelayMs: 20, maxDelayMs: 100 }, ...extra });
  const statuses: CstaStatus[] = [];
  c.on('status', (s) => statuses.push(s));
  clients.push(c);
  return { c, statuses };
}

async function stopped(c: CstaClient): Promise<void> {
  await c.stop();
  await until(() => sim.counters().associations.active === 0);
}

describe('CSTA client against the Panasonic simulator', () => {
  it('reads the device list through the Panasonic escape, in segments, until the last one', async () => {
    const { c } = client();
    const segments: KmeDeviceListReply[] = [];
    c.on('invoke', (a) => {
      if (a.operation !== 'escape') return;
      const kme = decodeKmePrivateData(a.argument.privateData);
      if (kme && 'deviceListReply' in kme) segments.push(kme.deviceListReply);
    });
    await c.connect();
    await expect(c.invoke('escape', { privateData: kmeDeviceListRequest() })).resolves.toEqual({ noData: null });
    await until(() => segments.some((s) => s.lastSegment));
    expect(segments.length).toBe(Math.ceil(30 / 7));
    expect(segments.flatMap((s) => s.devices.map((d) => d.number))).toEqual(Array.from({ length: 30 }, (_, i) => String(100 + i)));
    await stopped(c);
  });

  it('notices when the PBX drops the link, announces the retry and logs in again', async () => {
    const { c, statuses } = client();
    await c.connect();
    sim.setFault({ dropLink: true });
    await until(() => statuses.some((s) => s.state === 'retrying'));
    await until(() => c.connected);
    const states = statuses.map((s) => s.state);
    expect(states.slice(0, 2)).toEqual(['connecting', 'connected']);
    expect(states).toContain('lost');
    expect(states.at(-1)).toBe('connected');
    await expect(c.invoke('snapshotDevice', { snapshotObject: { deviceIdentifier: { dialingNumber: '101' } } })).resolves.toBeDefined();
    await stopped(c);
  });

  it('closes the connection on a malformed frame with a clear error, then reconnects', async () => {
    const { c, statuses } = client();
    await c.connect();
    sim.setFault({ malformedFrame: true });
    await until(() => statuses.some((s) => s.state === 'lost'));
    const lost = statuses.find((s) => s.state === 'lost') as Extract<CstaStatus, { state: 'lost' }>;
    expect(lost.error.code).toBe('CSTA_PROTOCOL');
    expect(lost.error.message).toMatch(/^bad frame from 127\.0\.0\.1:\d+/);
    await until(() => c.connected);
    await stopped(c);
  });

  it('times out an invoke the PBX answers too slowly, and reports a refused login without retrying', async () => {
    const { c } = client();
    await c.connect();
    sim.setFault({ answerDelayMs: 400 });
    const slow = await c.invoke('snapshotDevice', { snapshotObject: { deviceIdentifier: { dialingNumber: '101' } } }, { timeoutMs: 100 }).catch((e: CstaError) => e);
    expect((slow as CstaError).code).toBe('CSTA_TIMEOUT');
    sim.setFault({ answerDelayMs: 0 });
    await stopped(c);

    sim.setFault({ refuseLogin: true });
    const refused = client();
    const err = await refused.c.connect().catch((e: CstaError) => e);
    sim.setFault({ refuseLogin: false });
    expect((err as CstaError).code).toBe('CSTA_LOGIN_REJECTED');
    expect((err as CstaError).message).toMatch(/^CSTA_LOGIN_REJECTED host=127\.0\.0\.1 port=\d+ diag=acse-service-user noReasonGiven\(1\)$/);
    expect(refused.statuses.at(-1)).toMatchObject({ state: 'stopped' });
  });
});
