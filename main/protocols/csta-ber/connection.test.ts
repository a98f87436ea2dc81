import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CstaClient, CstaError, retryDelay, type CstaClientOptions, type CstaStatus } from './connection';
import { dialingNumber } from './device-identifiers';
import { encodeFrame } from './framing';
import { sampleEvents } from './testing/samples';
import { answerWith, startTestPeer, type TestPeer } from './testing/peer';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function peer(opts: Parameters<typeof startTestPeer>[0] = {}, port = 0): Promise<TestPeer> {
  const p = await startTestPeer(opts, port);
  cleanup.push(() => p.close());
  return p;
}
function client(opts: Partial<CstaClientOptions> & { port: number }): { c: CstaClient; statuses: CstaStatus[] } {
  const c = new CstaClient({ host: '127.0.0.1', keepAliveIntervalMs: 0, reconnect: { enabled: false }, ...opts });
  const statuses: CstaStatus[] = [];
  c.on('status', (s) => statuses.push(s));
  cleanup.push(() => c.stop());
  return { c, statuses };
}
/** A peer and a client connected to it, with the peer's side of that session. */
async function connected(peerOpts: Parameters<typeof startTestPeer>[0] = {}, clientOpts: Partial<CstaClientOptions> = {}) {
  const p = await peer(peerOpts);
  const { c, statuses } = client({ port: p.port, ...clientOpts });
  const session = p.nextSession();
  await c.connect();
  return { p, c, statuses, s: await session };
}
const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};
const failureOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as CstaError;
  }
  throw new Error('expected a failure');
};

describe('CSTA client connection', () => {
  it('logs in with user and password, reports connecting then connected, and answers the switch SystemStatus', async () => {
    const { s, c, statuses } = await connected({ login: { user: 'admin', password: 'pässwort' } }, { user: 'admin', password: 'pässwort' });
    expect(statuses.map((x) => x.state)).toEqual(['connecting', 'connected']);
    await until(() => s.received.some((a) => a.kind === 'returnResult'));
    expect(s.received.find((a) => a.kind === 'returnResult')).toEqual({ kind: 'returnResult', invokeId: 1, opcode: 211, operation: 'systemStatus', result: { noData: null } });
  });

  it('reports a refused login with host, port and the ACSE diagnostic, and does not retry a permanent refusal', async () => {
    const p = await peer({ login: { user: 'admin', password: 'right' } });
    const { c, statuses } = client({ port: p.port, user: 'admin', password: 'wrong', reconnect: { enabled: true, initialDelayMs: 10 } });
    const err = await failureOf(c.connect());
    expect(err.code).toBe('CSTA_LOGIN_REJECTED');
    expect(err.message).toBe(`CSTA_LOGIN_REJECTED host=127.0.0.1 port=${p.port} diag=acse-service-user authenticationFailure(13)`);
    expect(statuses.at(-1)).toMatchObject({ state: 'stopped', error: { code: 'CSTA_LOGIN_REJECTED' } });
  });

  it('returns typed results, and turns universalFailure, reject and silence into clear errors', async () => {
    const p = await peer({
      answer: (inv) => {
        if (inv.operation === 'monitorStart') return { kind: 'returnResult', invokeId: inv.invokeId, opcode: 71, operation: 'monitorStart', result: { crossRefIdentifier: '0007' } };
        if (inv.operation === 'makeCall') return { kind: 'returnError', invokeId: inv.invokeId, errcode: 1, error: { operation: 'invalidDeviceID' } };
        if (inv.operation === 'holdCall') return { kind: 'reject', invokeId: inv.invokeId, problem: { invoke: 'unrecognizedOperation' } };
        return undefined;
      },
    });
    const { c } = client({ port: p.port });
    await c.connect();
    await expect(c.invoke('monitorStart', { monitorObject: { deviceObject: dialingNumber('201') } })).resolves.toEqual({ crossRefIdentifier: '0007' });
    const e1 = await failureOf(c.invoke('makeCall', { callingDevice: dialingNumber('201'), calledDirectoryNumber: dialingNumber('999') }));
    expect([e1.code, e1.message]).toEqual(['CSTA_UNIVERSAL_FAILURE', 'makeCall failed: operation error invalidDeviceID']);
    const e2 = await failureOf(c.invoke('holdCall', { callToBeHeld: { callID: '01' } }));
    expect(e2.code).toBe('CSTA_REJECTED');
    const t0 = Date.now();
    const e3 = await failureOf(c.invoke('snapshotDevice', { snapshotObject: dialingNumber('201') }, { timeoutMs: 150 }));
    expect(e3.code).toBe('CSTA_TIMEOUT');
    expect(e3.message).toMatch(/snapshotDevice \(invoke \d+\) got no answer from 127\.0\.0\.1:\d+ within 150 ms/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(c.outstanding).toBe(0);
  });

  it('delivers the switch event reports and rejects operations it does not know', async () => {
    const { s, c } = await connected();
    const got: unknown[] = [];
    c.on('event', (ev) => got.push(ev));
    sampleEvents.forEach((ev, i) => s.send({ kind: 'invoke', invokeId: 100 + i, opcode: 21, operation: 'cSTAEventReport', argument: ev }));
    s.send({ kind: 'invoke', invokeId: 500, opcode: 4242, argument: '0500' });
    await until(() => got.length === sampleEvents.length && s.received.some((a) => a.kind === 'reject'));
    expect(got).toEqual(sampleEvents);
    expect(s.received.find((a) => a.kind === 'reject')).toEqual({ kind: 'reject', invokeId: 500, problem: { invoke: 'unrecognizedOperation' } });
  });

  it('answers a Phase II SystemStatus ping (opcode 52) in kind, as Panasonic peers have been seen to send', async () => {
    const { s } = await connected();
    s.send({ kind: 'invoke', invokeId: 77, opcode: 52, argument: '0a0102' });
    await until(() => s.received.some((a) => a.kind === 'returnResult' && a.invokeId === 77));
    expect(s.received.find((a) => a.kind === 'returnResult' && a.invokeId === 77)).toEqual({ kind: 'returnResult', invokeId: 77, opcode: 52, result: '0500' });
  });

  it('after losing the link, announces the next attempt time and reconnects with backoff', async () => {
    const p = await peer();
    const { c, statuses } = client({ port: p.port, reconnect: { enabled: true, initialDelayMs: 50, maxDelayMs: 200, jitter: 0.2 } });
    await c.connect();
    const port = p.port;
    await p.close();
    await until(() => statuses.some((s) => s.state === 'retrying'));
    const lost = statuses.find((s) => s.state === 'lost');
    expect(lost).toMatchObject({ state: 'lost', host: '127.0.0.1', port, error: { code: 'CSTA_CONNECTION_LOST' } });
    const retry = statuses.find((s) => s.state === 'retrying') as Extract<CstaStatus, { state: 'retrying' }>;
    expect(retry.delayMs).toBeGreaterThanOrEqual(40);
    expect(retry.delayMs).toBeLessThanOrEqual(60);
    expect(retry.nextAttemptAt).toBeGreaterThan(Date.now() - 100);
    await until(() => statuses.filter((s) => s.state === 'retrying').length >= 2);
    const back = await peer({}, port);
    const session = back.nextSession();
    await session;
    await until(() => c.connected);
    expect(statuses.at(-1)).toMatchObject({ state: 'connected' });
  });

  it('stop() cancels pending invokes and the retry loop, and an AbortSignal does the same', async () => {
    const p = await peer();
    const ac = new AbortController();
    const { c, statuses } = client({ port: p.port, signal: ac.signal, reconnect: { enabled: true, initialDelayMs: 20 } });
    await c.connect();
    const pending = failureOf(c.invoke('snapshotDevice', { snapshotObject: dialingNumber('201') }));
    ac.abort();
    const e = await pending;
    expect(e.code).toBe('CSTA_CANCELLED');
    await until(() => statuses.at(-1)?.state === 'stopped');
    const n = statuses.length;
    await new Promise((r) => setTimeout(r, 80));
    expect(statuses.length).toBe(n);
    // the switch saw a proper release
    expect(p.sessions[0].received.some((a) => a.kind === 'rlrq')).toBe(true);
  });

  it('sends SystemStatus as keep-alive when idle and drops a link whose switch stays silent', async () => {
    let answered = 0;
    const p = await peer({
      answer: (inv) => {
        if (inv.operation !== 'systemStatus' || answered >= 1) return undefined;
        answered++;
        return { kind: 'returnResult', invokeId: inv.invokeId, opcode: 211, operation: 'systemStatus', result: { noData: null } };
      },
    });
    const { c, statuses } = client({ port: p.port, keepAliveIntervalMs: 60, invokeTimeoutMs: 1000 });
    await c.connect();
    await until(() => statuses.some((s) => s.state === 'lost'), 5000);
    expect(answered).toBe(1);
    expect(statuses.find((s) => s.state === 'lost')).toMatchObject({ error: { code: 'CSTA_KEEPALIVE_TIMEOUT' } });
  });

  it('closes the connection with a clear error when the switch sends a bad frame', async () => {
    const { s, c, statuses } = await connected({}, { maxApduSize: 1000 });
    s.sendRaw(Uint8Array.of(0x07, 0xd0)); // announces 2000 bytes
    await until(() => statuses.some((x) => x.state === 'lost'));
    const lost = statuses.find((x) => x.state === 'lost') as Extract<CstaStatus, { state: 'lost' }>;
    expect(lost.error.code).toBe('CSTA_PROTOCOL');
    expect(lost.error.message).toMatch(/bad frame from 127\.0\.0\.1:\d+ \(CSTA_FRAME_TOO_LARGE\): .*2000 bytes/);
  });

  it('keeps reading when an event listener throws', async () => {
    const { s, c } = await connected();
    let seen = 0;
    c.on('event', () => {
      seen++;
      throw new Error('listener bug');
    });
    s.send({ kind: 'invoke', invokeId: 1, opcode: 21, operation: 'cSTAEventReport', argument: sampleEvents[0] });
    s.send({ kind: 'invoke', invokeId: 2, opcode: 21, operation: 'cSTAEventReport', argument: sampleEvents[1] });
    await until(() => seen === 2);
    expect(c.connected).toBe(true);
  });

  it('answers an undecodable argument with a Reject and keeps the link', async () => {
    const { s, c } = await connected();
    // a MonitorStop invoke (73) whose argument lacks the cross-reference ID
    s.sendRaw(encodeFrame(Uint8Array.from(Buffer.from('a1080201090201493000', 'hex'))));
    await until(() => s.received.some((a) => a.kind === 'reject'));
    expect(s.received.find((a) => a.kind === 'reject')).toEqual({ kind: 'reject', invokeId: 9, problem: { invoke: 'mistypedArgument' } });
    expect(c.connected).toBe(true);
  });

  it('says which host and port refused the connection, and why', async () => {
    const p = await peer();
    const port = p.port;
    await p.close();
    const { c, statuses } = client({ port });
    const e = await failureOf(c.connect());
    expect(e.code).toBe('CSTA_CONNECT_FAILED');
    expect(e.message).toMatch(new RegExp(`^connection to 127\\.0\\.0\\.1:${port} failed: .*ECONNREFUSED`));
    expect(e.details).toMatchObject({ host: '127.0.0.1', port, cause: 'ECONNREFUSED' });
    expect(statuses.map((x) => x.state)).toEqual(['connecting', 'lost', 'stopped']);
  });

  it('computes reconnect delays with exponential backoff, a cap and bounded jitter', () => {
    const o = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.5 };
    expect([1, 2, 3, 4, 5, 9].map((a) => retryDelay(a, o, () => 0.5))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(retryDelay(2, o, () => 0)).toBe(100);
    expect(retryDelay(2, o, () => 1)).toBe(300);
  });
});

describe('CSTA client over TLS', () => {
  let dir: string;
  let cert: string;
  let key: string;
  let fingerprint: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'csta-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    key = readFileSync(join(dir, 'key.pem'), 'utf8');
    fingerprint = new X509Certificate(cert).fingerprint256;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('connects when the certificate is trusted and matches the host name', async () => {
    const p = await peer({ tls: { cert, key } });
    const { c, statuses } = client({ port: p.port, host: 'localhost', tls: { ca: cert } });
    await c.connect();
    expect(statuses.at(-1)).toEqual({ state: 'connected', host: 'localhost', port: p.port, tls: true });
  });

  it('refuses a certificate that does not match the host name', async () => {
    const p = await peer({ tls: { cert, key } });
    const { c } = client({ port: p.port, tls: { ca: cert, servername: 'pbx.example.com' } });
    const e = await failureOf(c.connect());
    expect(e.code).toBe('CSTA_CONNECT_FAILED');
    expect(e.message).toMatch(/pbx\.example\.com/);
  });

  it('refuses an untrusted self-signed certificate unless its fingerprint is pinned', async () => {
    const p = await peer({ tls: { cert, key } });
    const { c } = client({ port: p.port, tls: {} });
    expect((await failureOf(c.connect())).code).toBe('CSTA_CONNECT_FAILED');
    const pinned = client({ port: p.port, tls: { fingerprint256: fingerprint } });
    await pinned.c.connect();
    expect(pinned.c.connected).toBe(true);
    const wrong = client({ port: p.port, tls: { fingerprint256: createHash('sha256').update('other').digest('hex') } });
    const e = await failureOf(wrong.c.connect());
    expect(e.code).toBe('CSTA_TLS_PIN_MISMATCH');
    expect(e.message).toContain(fingerprint.replace(/:/g, '').toLowerCase());
  });
});
