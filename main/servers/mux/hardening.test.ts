import { timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeApdu, encodeFrame, encodeInvoke, eventCrossRefOf, frameOf, parseRose } from '../../protocols/csta-ber';
import { startPanasonicSim, type PanasonicSim } from '../../sim/panasonic';
import { startMultiplexer, type MultiplexerHandle, type MuxLogger, type MuxOptions } from '.';
import { crossRefOf, monitorArg, CstaTestClient } from '../../protocols/csta-ber/testing/client';
import { startFakePbx, type FakePbx, type FakePbxOptions } from './testing/pbx';

// every call of timingSafeEqual is recorded, to see what the login compares
vi.mock('node:crypto', async (original) => {
  const real = await original<typeof import('node:crypto')>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

async function until(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let sim: PanasonicSim | undefined;
let fake: FakePbx | undefined;
let mux: MultiplexerHandle | undefined;
const clients: CstaTestClient[] = [];
const logged: { level: string; message: string; code: string }[] = [];
const logger: MuxLogger = {
  error: (m) => void logged.push({ level: 'error', message: m.message, code: m.code }),
  warn: (m) => void logged.push({ level: 'warn', message: m.message, code: m.code }),
  info: (m) => void logged.push({ level: 'info', message: m.message, code: m.code }),
  debug: () => {},
};

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await mux?.close();
  await sim?.close();
  await fake?.close();
  mux = sim = fake = undefined;
  logged.length = 0;
});

async function startMux(extra: Partial<MuxOptions> = {}): Promise<MultiplexerHandle> {
  sim ??= await startPanasonicSim({ port: 0 });
  mux = await startMultiplexer({ pbx: { host: '127.0.0.1', port: sim.tcpPort }, bind: '127.0.0.1', tcpPort: 0, reconnectMs: 50, maxReconnectMs: 200, logger, ...extra });
  await until(() => mux!.status().pbx?.state === 'connected', 5000, 'PBX link');
  return mux;
}

/** The multiplexer in front of the bare-bones PBX stand-in (which can hold answers back). */
async function startMuxOnFake(pbx: FakePbxOptions, extra: Partial<MuxOptions> = {}): Promise<MultiplexerHandle> {
  fake = await startFakePbx(pbx);
  mux = await startMultiplexer({ pbx: { host: '127.0.0.1', port: fake.port }, bind: '127.0.0.1', tcpPort: 0, reconnectMs: 50, logger, ...extra });
  await until(() => mux!.status().pbx?.state === 'connected', 5000, 'PBX link');
  return mux;
}

async function app(opts: { autoAck?: boolean; login?: { user: string; password: string } } = {}): Promise<CstaTestClient> {
  const c = await CstaTestClient.login({ port: mux!.tcpPort, ...opts });
  clients.push(c);
  return c;
}

async function attempt(login: { user: string; password: string }): Promise<number> {
  const { client, aare } = await CstaTestClient.open({ port: mux!.tcpPort, login });
  clients.push(client);
  return (aare as { result: number }).result;
}

const snapshot = { snapshotObject: { deviceIdentifier: { dialingNumber: '100' } } } as never;
const dnd = { device: { deviceIdentifier: { dialingNumber: '100' } }, doNotDisturbOn: true } as never;

/** A snapshotDevice invoke with the invoke ID bytes replaced by `idBytes` (a raw INTEGER content). */
function invokeWithIdBytes(idBytes: number[]): Uint8Array {
  const plain = encodeInvoke('snapshotDevice', 1, { snapshotObject: { deviceIdentifier: { dialingNumber: '100' } } } as never);
  // A1 LL 02 01 01 …: swap the one-byte ID for the given content
  const rest = plain.subarray(5);
  const body = [0x02, idBytes.length, ...idBytes, ...rest];
  return encodeFrame(Uint8Array.from([0xa1, body.length, ...body]));
}

describe('invoke IDs the multiplexer cannot map back', () => {
  it('rejects a request with a negative invoke ID, keeps that application and everyone else, and never asks the PBX', async () => {
    await startMux();
    const [bad, good] = [await app(), await app()];
    const before = sim!.counters().invokesReceived.snapshotDevice ?? 0;
    bad.sendRaw(invokeWithIdBytes([0xff]));
    const reject = decodeApdu(await bad.waitFor((x) => x[0] === 0xa4));
    expect(reject).toMatchObject({ kind: 'reject', invokeId: -1, problem: { general: 'mistypedPDU' } });
    expect(sim!.counters().invokesReceived.snapshotDevice ?? 0).toBe(before);
    // both applications, and the PBX link, are still there and served
    expect((await bad.invoke('snapshotDevice', { snapshotObject: { deviceIdentifier: { dialingNumber: '100' } } } as never)).kind).toBe('returnResult');
    expect((await good.invoke('snapshotDevice', { snapshotObject: { deviceIdentifier: { dialingNumber: '100' } } } as never)).kind).toBe('returnResult');
    expect(mux!.status().counters!.upstreamConnects).toBe(1);
    expect(logged.some((l) => l.level === 'warn' && /invoke ID -1/.test(l.message))).toBe(true);
  });
});

describe('invoke IDs too long to read', () => {
  it('closes only the application whose invoke ID does not fit a 4-byte INTEGER', async () => {
    await startMux();
    const [bad, good] = [await app(), await app()];
    bad.sendRaw(invokeWithIdBytes([0x01, 0x00, 0x00, 0x00, 0x00]));
    await bad.waitClosed();
    expect(mux!.status().counters!.malformedDisconnects).toBe(1);
    expect((await good.invoke('snapshotDevice', snapshot)).kind).toBe('returnResult');
    expect(mux!.status().counters!.upstreamConnects).toBe(1);
  });
});

describe('a throw while handling one peer', () => {
  // A MonitorStart result whose cross-reference ID claims more bytes than its SEQUENCE holds.
  const brokenResult = (invokeId: number) => frameOf(Uint8Array.of(0xa2, 0x0d, 0x02, 0x01, invokeId, 0x30, 0x08, 0x02, 0x01, 0x47, 0x30, 0x03, 0x55, 0x09, 0x01));

  it('fails only the request a malformed PBX answer belongs to; the link and the applications stay', async () => {
    let broken = true;
    await startMuxOnFake({ answer: (_a, v) => (v.opcode === 71 && broken ? [brokenResult(v.invokeId!)] : undefined) });
    const a = await app();
    expect(await a.invoke('monitorStart', monitorArg('100'))).toMatchObject({ kind: 'returnError', error: { operation: 'generic' } });
    broken = false;
    expect(crossRefOf(await a.invoke('monitorStart', monitorArg('100')))).toBeTruthy();
    expect(mux!.status().counters!.upstreamConnects).toBe(1);
    expect(logged.some((l) => l.level === 'warn' && /answer to invoke \d+ is malformed/.test(l.message))).toBe(true);
  });

  it('resets only the PBX link when handling its data throws, logging where; applications are told and served again', async () => {
    await startMuxOnFake({ answer: (_a, v) => (v.opcode === 71 ? [brokenResult(v.invokeId!)] : undefined) });
    // the warning about the malformed answer itself throws: an internal error inside the PBX link's data handler
    const original = logger.warn;
    logger.warn = (m) => {
      if (/is malformed/.test(m.message)) throw new Error('logger failed');
      original(m);
    };
    try {
      const a = await app();
      void a.invoke('monitorStart', monitorArg('100')).catch(() => undefined);
      await until(() => mux!.status().counters!.upstreamConnects === 2, 5000, 'the link opened again');
      expect(logged.some((l) => l.level === 'error' && /internal error while handling data from the PBX .*logger failed/s.test(l.message))).toBe(true);
      expect((await a.invoke('setDoNotDisturb', dnd)).kind).toBe('returnResult');
    } finally {
      logger.warn = original;
    }
  });

  it('closes only the application whose close handling throws, and logs it', async () => {
    await startMux();
    const original = logger.info;
    logger.info = (m) => {
      if (/ left/.test(m.message)) throw new Error('logger failed');
      original(m);
    };
    try {
      const [leaving, staying] = [await app(), await app()];
      leaving.close();
      await until(() => logged.some((l) => l.level === 'error' && /internal error while handling its close: .*logger failed/s.test(l.message)), 3000, 'the logged error');
      expect(mux!.status().applications).toHaveLength(1);
      expect((await staying.invoke('snapshotDevice', snapshot)).kind).toBe('returnResult');
    } finally {
      logger.info = original;
    }
  });
});

describe('MonitorStart the PBX does not answer in time', () => {
  it('fails the waiting application, lets the device be monitored again, adopts the late answer and stops the spare one', async () => {
    await startMuxOnFake({ hold: (op) => op === 71 }, { requestTimeoutMs: 150 });
    const [a, b] = [await app(), await app()];
    const first = await a.invoke('monitorStart', monitorArg('100'));
    expect(first).toMatchObject({ kind: 'returnError', error: { performanceManagement: 'performanceLimitExceeded' } });
    // the device is not stuck in "starting": a new request reaches the PBX
    const second = b.invoke('monitorStart', monitorArg('100'));
    await until(() => fake!.held.length === 2, 2000, 'a second MonitorStart upstream');
    // the PBX answers the first one late: b gets that monitor at once
    const lateRef = fake!.release(fake!.held[0].invokeId)!;
    const rb = crossRefOf(await second);
    expect(mux!.status().pbxMonitors).toBe(1);
    // the answer to the second request is not needed any more: stopped on the PBX
    fake!.release(fake!.held[0].invokeId);
    await until(() => fake!.invokes.get(73) === 1, 2000, 'MonitorStop of the spare monitor');
    await fake!.send(fake!.eventFrame(lateRef));
    await b.waitEvents(1);
    expect(eventCrossRefOf(b.events[0])).toBe(rb);
    expect(logged.some((l) => l.level === 'warn' && /did not answer the MonitorStart for 100/.test(l.message))).toBe(true);
  });

  it('stops a late answer nobody waits for any more', async () => {
    await startMuxOnFake({ hold: (op) => op === 71 }, { requestTimeoutMs: 150 });
    const a = await app();
    expect((await a.invoke('monitorStart', monitorArg('100'))).kind).toBe('returnError');
    fake!.release(fake!.held[0].invokeId);
    await until(() => fake!.invokes.get(73) === 1, 2000, 'MonitorStop of the late monitor');
    expect(mux!.status().pbxMonitors).toBe(0);
  });
});

describe('requests waiting per application', () => {
  it('refuses an application its requests beyond the cap at once while the PBX is slow; the others still get through', async () => {
    await startMuxOnFake({ hold: (op) => op === 316 }, { maxOutstandingPerApplication: 20 });
    const [greedy, other] = [await app(), await app()];
    const answers = Array.from({ length: 30 }, () => greedy.invoke('setDoNotDisturb', dnd));
    const refused = await Promise.all(answers.slice(20));
    for (const r of refused) expect(r).toMatchObject({ kind: 'returnError', error: { subscribedResourceAvailability: 'outstandingReqLimitExceeded' } });
    await until(() => fake!.invokes.get(316) === 20, 2000, 'the first 20 requests upstream');
    const fromOther = other.invoke('setDoNotDisturb', dnd);
    await until(() => fake!.invokes.get(316) === 21, 2000, "the other application's request upstream");
    expect(fake!.invokes.get(316)).toBe(21);
    for (const h of [...fake!.held]) fake!.release(h.invokeId);
    expect((await fromOther).kind).toBe('returnResult');
    for (const r of await Promise.all(answers.slice(0, 20))) expect(r.kind).toBe('returnResult');
    // answered requests free the slots again
    expect((await greedy.invoke('monitorStart', monitorArg('100'))).kind).toBe('returnResult');
    expect(mux!.status().counters!.outstandingLimitRefusals).toBe(10);
    expect(logged.filter((l) => l.level === 'warn' && /requests waiting for an answer/.test(l.message))).toHaveLength(1);
  });
});

describe('keep-alives to applications', () => {
  it('disconnects a logged-in application that stops answering the keep-alive and keeps one that answers', async () => {
    await startMux({ applicationKeepAliveMs: 100, applicationKeepAliveTimeoutMs: 200 });
    const [silent, alive] = [await app({ autoAck: false }), await app()];
    await silent.waitClosed(3000);
    await new Promise((r) => setTimeout(r, 400));
    expect(alive.closed).toBe(false);
    expect(mux!.status().applications).toHaveLength(1);
    expect(mux!.status().counters!.keepAliveDisconnects).toBe(1);
    expect(logged.some((l) => l.level === 'warn' && /did not answer the keep-alive/.test(l.message))).toBe(true);
    expect((await alive.invoke('snapshotDevice', snapshot)).kind).toBe('returnResult');
  });
});

describe('logins', () => {
  const right = { user: 'ops', password: 'right-password' };
  const wrong = { user: 'ops', password: 'wrong' };

  it('checks only the first of a burst of guesses from one address; later ones wait, and a right login after the wait works', async () => {
    await startMux({ requireLogin: true, login: right, loginGuard: { backoffMs: 1500 } });
    const results = await Promise.all(Array.from({ length: 50 }, () => attempt(wrong)));
    expect(results.filter((r) => r === 1)).toHaveLength(1);
    expect(results.filter((r) => r === 2)).toHaveLength(49);
    expect(mux!.status().counters).toMatchObject({ loginsRejected: 1, loginsThrottled: 49 });
    // even the right login is not checked while the address waits
    expect(await attempt(right)).toBe(2);
    await new Promise((r) => setTimeout(r, 1600));
    expect(await attempt(right)).toBe(0);
  });

  it('locks an address out after repeated failures, with a logged warning', async () => {
    await startMux({ requireLogin: true, login: right, loginGuard: { backoffMs: 20, lockoutFailures: 3, lockoutMs: 60_000 } });
    for (let i = 0; i < 3; i++) {
      expect(await attempt(wrong)).toBe(1);
      await new Promise((r) => setTimeout(r, 20 * 2 ** i + 20));
    }
    expect(logged.some((l) => l.level === 'warn' && /logins from 127\.0\.0\.1 locked out until .* after 3 failed attempts/.test(l.message))).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(await attempt(right)).toBe(2);
  });

  it('compares user and password as equal-length digests in constant time, whatever their lengths', async () => {
    await startMux({ requireLogin: true, login: right, loginGuard: { backoffMs: 0 } });
    const spy = vi.mocked(timingSafeEqual);
    spy.mockClear();
    expect(await attempt({ user: 'someone-else', password: 'x' })).toBe(1);
    expect(spy).toHaveBeenCalledTimes(2);
    for (const [a, b] of spy.mock.calls) {
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
    spy.mockClear();
    expect(await attempt(right)).toBe(0);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('escapes control characters of a user name in every log line', async () => {
    await startMux({ login: right, loginGuard: { backoffMs: 0 } });
    const hostile = 'ev\u001b[2J\nil\u202e\\';
    expect(await attempt({ user: hostile, password: 'x' })).toBe(1);
    await app({ login: { user: hostile, password: 'x' } }).catch(() => undefined);
    mux!.close();
    const lines = logged.map((l) => l.message);
    expect(lines.some((m) => m.includes('"ev\\x1b[2J\\x0ail\\u202e\\\\"'))).toBe(true);
    for (const m of lines) expect(m).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
  });
});

describe('device names from applications in log lines', () => {
  it('escapes control characters of a monitored dialing number', async () => {
    await startMuxOnFake({ hold: (op) => op === 71 }, { requestTimeoutMs: 100 });
    const a = await app();
    expect((await a.invoke('monitorStart', monitorArg('10\u001b[2J\n0'))).kind).toBe('returnError');
    expect(logged.some((l) => l.message.includes('MonitorStart for 10\\x1b[2J\\x0a0'))).toBe(true);
    for (const l of logged) expect(l.message).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('where the multiplexer listens', () => {
  it('binds 127.0.0.1 unless an interface is chosen', async () => {
    sim = await startPanasonicSim({ port: 0 });
    mux = await startMultiplexer({ pbx: { host: '127.0.0.1', port: sim.tcpPort }, tcpPort: 0 });
    expect(mux.status().listening!.bind).toBe('127.0.0.1');
  });
});
