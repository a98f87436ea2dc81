// 100,000 random and mutated SIP messages into the uaCSTA server's phone interface (seeded, reproducible), while
// a phone registered before stays controllable; afterwards a well-behaved phone still registers and is
// controlled, and nothing the fuzzer sent became a phone.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openCstaDialog } from '../../protocols/csta-xml';
import { serializeMessage, SipEndpoint, SipStreamParser } from '../../protocols/sip';
import { fuzzInput, rng } from '../../protocols/sip/testing/mutations';
import { SimSipPhone } from '../../sim/sip-phones/phone';
import { ClientInterface } from './client-interface';
import { PhoneInterface } from './phone-interface';
import type { Coded } from '../../../shared/problems';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** Whether an input, alone, leaves the server's parser between messages (so the sentinel after it is read). */
function keepsFraming(input: Buffer): boolean {
  const p = new SipStreamParser();
  return !p.push(input).some((i) => i.type === 'invalid' && i.fatal) && p.idle;
}

function sentinel(callId: string): Buffer {
  return serializeMessage({
    kind: 'request', method: 'OPTIONS', uri: 'sip:127.0.0.1', body: new Uint8Array(0),
    headers: [
      { name: 'Via', value: `SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK-${callId}` },
      { name: 'From', value: '<sip:fuzz@127.0.0.1>;tag=s' },
      { name: 'To', value: '<sip:127.0.0.1>' },
      { name: 'Call-ID', value: callId },
      { name: 'CSeq', value: '1 OPTIONS' },
    ],
  });
}

const until = async (f: () => boolean, what: string, ms = 5000) => {
  for (let t = 0; t < ms && !f(); t += 10) await new Promise((r) => setTimeout(r, 10));
  expect(f(), what).toBe(true);
};

/**
 * Sends seeded mutated and random SIP messages over fresh connections until the endpoint has taken `count`: two
 * framed batches per connection, each followed by a sentinel OPTIONS that must be answered, then one input that
 * breaks the framing. Returns how many messages (and coded problems) the endpoint took in.
 */
async function storm(endpoint: SipEndpoint, server: { host: string; port: number }, count: number, seed: number): Promise<number> {
  let processed = 0;
  endpoint.on('connection', (c) => {
    c.on('message', () => processed++);
    c.on('invalid', () => processed++);
  });
  const r = rng(seed);
  let n = 0;
  let connections = 0;
  const breakers: Buffer[] = [];
  while (processed < count) {
    connections++;
    const sock = net.connect(server);
    await new Promise<void>((res, rej) => sock.once('connect', res).once('error', rej));
    sock.on('error', () => undefined);
    let recent = '';
    sock.on('data', (d) => (recent = (recent + d.toString('latin1')).slice(-4000)));
    const closed = new Promise<string>((res) => sock.once('close', () => res('closed')));
    for (let b = 0; b < 2 && !sock.destroyed; b++) {
      const batch: Buffer[] = [];
      while (batch.length < 250) {
        const input = fuzzInput(r, n++);
        if (keepsFraming(input)) batch.push(input);
        else if (breakers.length < 100) breakers.push(input);
      }
      const tag = `sentinel-${connections}-${b}`;
      sock.write(Buffer.concat([...batch, sentinel(tag)]));
      const outcome = await Promise.race([
        closed,
        new Promise<string>((res) => {
          const check = () => (recent.includes(tag) ? res('answered') : setTimeout(check, 2));
          check();
        }),
        new Promise<string>((res) => setTimeout(() => res('hung'), 10_000)),
      ]);
      expect(outcome, `after ${processed} messages`).toBe('answered');
    }
    // one that breaks the framing ends the connection (the server closes it) or is left for our destroy
    const breaker = breakers.pop();
    if (breaker) sock.write(breaker);
    sock.destroy();
  }
  return processed;
}

describe('fuzzing the uaCSTA phone interface', () => {
  it('takes 100,000 mutated and random SIP messages over live connections and keeps serving phones', async () => {
    const errors: unknown[] = [];
    const s = await PhoneInterface.start({ host: '127.0.0.1', port: 0, password: 'phones', reopenMs: 50, logger: { error: (m, d) => errors.push({ m, d }), warn: () => undefined, info: () => undefined, debug: () => undefined } });
    cleanup.push(() => s.close());
    const server = { host: '127.0.0.1', port: s.port };
    const before = await SimSipPhone.start({ mac: '000413aabb01', password: 'phones', server });
    cleanup.push(() => before.close());
    await before.register();
    await until(() => s.phone(before.mac)?.status === 'controllable', 'first phone controllable');

    const processed = await storm(s.endpoint, server, 100_000, 0x2020);
    expect(processed).toBeGreaterThanOrEqual(100_000);
    expect(errors).toEqual([]);

    // the phone registered before was never disturbed; a new one registers and is controlled; no fuzz phone
    expect(s.phone(before.mac)?.status).toBe('controllable');
    expect(before.controlled).toBe(true);
    const after = await SimSipPhone.start({ mac: '000413aabb02', password: 'phones', server });
    cleanup.push(() => after.close());
    expect((await after.register()).status).toBe(200);
    await until(() => s.phone(after.mac)?.status === 'controllable', 'new phone controllable');
    const made = await s.session(after.mac)!.invoke('makeCall', { callingDevice: { id: '201' }, calledDirectoryNumber: { id: '0301234567' } });
    expect(made.callingDevice.callId).toBe('1');
    expect(s.phones().map((p) => p.mac).sort()).toEqual([before.mac, after.mac]);
  }, 180_000);

  it('takes 20,000 into the client interface and still lets a client log in and control a phone', async () => {
    const errors: unknown[] = [];
    const logger = { error: (m: string | Coded) => errors.push(m), warn: () => undefined, info: () => undefined, debug: () => undefined };
    const phones = await PhoneInterface.start({ host: '127.0.0.1', port: 0, password: 'phones', logger });
    const clients = await ClientInterface.start(phones, { host: '127.0.0.1', port: 0, clients: [{ user: 'cti', password: 'c1' }], logger });
    cleanup.push(() => phones.close(), () => clients.close());
    const p = await SimSipPhone.start({ mac: '000413aabb01', password: 'phones', server: { host: '127.0.0.1', port: phones.port } });
    cleanup.push(() => p.close());
    await p.register();
    await until(() => phones.phone(p.mac)?.status === 'controllable', 'phone controllable');

    expect(await storm(clients.endpoint, { host: '127.0.0.1', port: clients.port }, 20_000, 0x2021)).toBeGreaterThanOrEqual(20_000);
    expect(errors).toEqual([]);

    const cti = await SipEndpoint.start({ user: 'cti', credentials: { user: 'cti', password: 'c1' } });
    cleanup.push(() => cti.close());
    const session = await openCstaDialog(cti, { uri: `sip:uacsta@127.0.0.1:${clients.port};transport=tcp` });
    cleanup.push(() => session.close());
    await expect(session.invoke('makeCall', { callingDevice: { id: '201' }, calledDirectoryNumber: { id: '0301' } })).resolves.toMatchObject({ callingDevice: { callId: '1' } });
  }, 120_000);
});
