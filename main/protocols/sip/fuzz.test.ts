// Fuzzing: 100,000+ random and mutated SIP messages into the parser, and 100,000 into live connections of a
// server (registrar with digest, endpoint). Seeded, so a failure is reproducible. No crash (only SipError),
// no hang, bounded memory; a connection that sent garbage is answered 400 or closed with a coded reason; a
// well-behaved client on another connection still registers afterwards.
import net from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { DigestServer } from './digest';
import { SipEndpoint } from './endpoint';
import { SipError } from './errors';
import { callIdOf, createResponse, cseqOf, fromOf, serializeMessage, toOf, topVia, vias, type SipMessage } from './message';
import { SipStreamParser, type ParsedItem } from './parser';
import { Registrar } from './registrar';
import { fuzzInput, rng } from './testing/mutations';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const LIMITS = { maxHeaderBytes: 8192, maxBodyBytes: 4096 };
const withoutLength = (m: SipMessage) => ({ ...m, headers: m.headers.filter((h) => h.name !== 'Content-Length') });

/** What every item must satisfy: messages are usable and write back identically, problems are coded and answerable. */
function checkItem(item: ParsedItem, input: Buffer): void {
  // plain checks, not expect(): this runs 100,000 times and must stay cheap
  const fail = (what: string) => {
    throw new Error(`${what} for ${JSON.stringify(input.toString('latin1').slice(0, 300))}`);
  };
  if (item.type === 'message') {
    const m = item.message;
    topVia(m);
    vias(m);
    fromOf(m);
    toOf(m);
    cseqOf(m);
    if (!callIdOf(m)) fail('empty Call-ID accepted');
    const again = new SipStreamParser(LIMITS).push(serializeMessage(m));
    if (again.length !== 1 || again[0].type !== 'message') return fail(`re-read failed: ${JSON.stringify(again)}`);
    if (!isDeepStrictEqual(withoutLength(again[0].message), withoutLength(m))) expect(withoutLength(again[0].message), 'written back differently').toEqual(withoutLength(m));
  } else if (item.type === 'invalid') {
    if (!(item.error instanceof SipError)) fail(`not a SipError: ${String(item.error)}`);
    if (item.request) {
      const answer = new SipStreamParser({ ...LIMITS, role: 'client' }).push(serializeMessage(createResponse(item.request, item.status, { reason: 'Bad Request' })));
      if (answer[0]?.type !== 'message' || answer[0].message.kind !== 'response') fail(`the ${item.status} is not a readable response: ${JSON.stringify(answer)}`);
    }
  }
}

describe('fuzzing the SIP parser', () => {
  it('survives 100,000 random and mutated messages, one parser each: every item usable or a coded problem', () => {
    const r = rng(0x51f);
    const counts = { message: 0, invalid: 0, fatal: 0, other: 0 };
    for (let i = 0; i < 100_000; i++) {
      const input = fuzzInput(r, i);
      const p = new SipStreamParser(LIMITS);
      let items: ParsedItem[];
      try {
        items = p.push(input);
      } catch (e) {
        throw new Error(`parser threw ${(e as Error).stack} for ${JSON.stringify(input.toString('latin1'))}`);
      }
      for (const it of items) {
        checkItem(it, input);
        if (it.type === 'invalid') counts[it.fatal ? 'fatal' : 'invalid']++;
        else counts[it.type === 'message' ? 'message' : 'other']++;
      }
      if (p.buffered > LIMITS.maxHeaderBytes + LIMITS.maxBodyBytes) throw new Error(`parser holds ${p.buffered} bytes`);
    }
    // the mix reaches every outcome
    expect(counts.message).toBeGreaterThan(5000);
    expect(counts.invalid).toBeGreaterThan(5000);
    expect(counts.fatal).toBeGreaterThan(5000);
  }, 120_000);

  it('survives the same inputs back to back in one stream, cut at random, holding bounded memory', () => {
    const r = rng(0x5eed);
    let p = new SipStreamParser(LIMITS);
    let restarts = 0;
    let maxBuffered = 0;
    for (let batch = 0; batch < 60; batch++) {
      const stream = Buffer.concat(Array.from({ length: 500 }, (_, i) => fuzzInput(r, batch * 500 + i)));
      for (let pos = 0; pos < stream.length; ) {
        const n = 1 + Math.floor(r() * 3000);
        const chunk = stream.subarray(pos, pos + n);
        pos += n;
        for (const it of p.push(chunk)) {
          checkItem(it, chunk);
          if (it.type === 'invalid' && it.fatal) {
            // what a connection does: close, and the peer starts again on a new one
            p = new SipStreamParser(LIMITS);
            restarts++;
          }
        }
        maxBuffered = Math.max(maxBuffered, p.buffered);
      }
    }
    expect(restarts).toBeGreaterThan(50);
    expect(maxBuffered).toBeLessThanOrEqual(LIMITS.maxHeaderBytes + LIMITS.maxBodyBytes + 3000);
  }, 120_000);
});

describe('fuzzing a live SIP server', () => {
  it('100,000 mutated messages over live connections: each bad connection answered or closed with a code, the server keeps serving', async () => {
    const registrar = new Registrar({ minExpires: 60, auth: { server: new DigestServer({ realm: 'uacsta' }), password: (u) => (u === '000413aabbcc' ? 's3cret' : undefined) } });
    const server = await SipEndpoint.start({ user: 'uacsta', listen: [{ host: '127.0.0.1', port: 0 }], parser: LIMITS, messageTimeoutMs: 100, timers: { t1: 5, tryingMs: 5 } });
    cleanup.push(() => registrar.close(), () => server.close());
    server.on('request', (inc) => (inc.request.method === 'REGISTER' ? registrar.handle(inc) : inc.respond(200)));
    const closeReasons = new Map<string, number>();
    server.on('connection-closed', (_c, err) => closeReasons.set(err?.code ?? 'peer closed', (closeReasons.get(err?.code ?? 'peer closed') ?? 0) + 1));
    const port = server.servers[0].port;

    // a well-behaved phone, connected and registered before the storm
    const phone = await SipEndpoint.start({ user: '000413aabbcc', credentials: { user: '000413aabbcc', password: 's3cret' } });
    cleanup.push(() => phone.close());
    const register = () => phone.register({ registrar: `sip:127.0.0.1:${port};transport=tcp`, aor: 'sip:000413aabbcc@127.0.0.1', expires: 300 });
    expect((await register()).status).toBe(200);

    // what the server took in: every message it read and every problem it reported, over all connections
    let processed = 0;
    server.on('connection', (c) => {
      c.on('message', () => processed++);
      c.on('invalid', () => processed++);
    });

    const r = rng(0xf022);
    let n = 0;
    const pool = { fatal: [] as Buffer[], incomplete: [] as Buffer[] };
    /** 250 inputs that keep the framing; the others are kept (a few) to end connections with. */
    const nextBatch = () => {
      const batch: Buffer[] = [];
      while (batch.length < 250) {
        const input = fuzzInput(r, n++);
        const kind = framing(input);
        if (kind === 'keeps') batch.push(input);
        else if (pool[kind].length < 50) pool[kind].push(input);
      }
      return batch;
    };
    const heapBefore = process.memoryUsage().heapUsed;
    let answers = 0;
    let connections = 0;
    while (processed < 100_000) {
      connections++;
      const sock = net.connect({ host: '127.0.0.1', port });
      await new Promise<void>((res, rej) => sock.once('connect', res).once('error', rej));
      let recent = '';
      const closed = new Promise<void>((res) => sock.once('close', () => res()));
      sock.on('error', () => undefined);
      sock.on('data', (d) => {
        const text = recent.slice(-7) + d.toString('latin1');
        answers += text.split('SIP/2.0 ').length - 1;
        recent = text.slice(-3000);
      });
      // Two batches of messages that keep the stream framed, each followed by a sentinel OPTIONS that must be
      // answered (a server that neither answers nor closes has hung); then one message that breaks the framing,
      // or (one connection in ten) stops short: it must end the connection.
      for (let b = 0; b < 2 && !sock.destroyed; b++) {
        const tag = `sentinel-${connections}-${b}`;
        sock.write(Buffer.concat([...nextBatch(), sentinel(tag)]));
        const outcome = await Promise.race([
          closed.then(() => 'closed'),
          new Promise<string>((res) => {
            const check = () => (recent.includes(tag) ? res('answered') : setTimeout(check, 2));
            check();
          }),
          new Promise<string>((res) => setTimeout(() => res('hung'), 10_000)),
        ]);
        expect(outcome, `after ${processed} messages`).toBe('answered');
      }
      const breaker = connections % 10 === 0 ? pool.incomplete.pop() : pool.fatal.pop();
      if (breaker) {
        sock.write(breaker);
        const ended = await Promise.race([closed.then(() => 'closed'), new Promise((res) => setTimeout(() => res('still open'), 10_000))]);
        expect(ended, JSON.stringify(breaker.toString('latin1').slice(0, 200))).toBe('closed');
      }
      sock.destroy();
    }
    // let the server see the last closes
    await new Promise((res) => setTimeout(res, 100));
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;

    expect(processed).toBeGreaterThanOrEqual(100_000);
    expect(connections).toBeGreaterThan(100);
    expect(answers).toBeGreaterThan(50_000);
    // every connection the server closed, it closed with a coded reason
    for (const code of closeReasons.keys()) expect(code === 'peer closed' || code.startsWith('SIP_'), code).toBe(true);
    expect([...closeReasons.keys()].some((c) => c.startsWith('SIP_'))).toBe(true);
    expect(server.servers[0].connections.size).toBe(1);
    expect(heapGrowth).toBeLessThan(200 * 1024 * 1024);
    // the phone's connection was never disturbed, and it still registers; a new client does too
    expect((await register()).status).toBe(200);
    const late = await SipEndpoint.start({ user: '000413aabbcc', credentials: { user: '000413aabbcc', password: 's3cret' } });
    cleanup.push(() => late.close());
    expect((await late.register({ registrar: `sip:127.0.0.1:${port};transport=tcp`, aor: 'sip:000413aabbcc@127.0.0.1', expires: 300 })).status).toBe(200);
  }, 120_000);
});

/** Whether a message, alone, leaves the parser between messages (and so cannot disturb the next one). */
function framing(input: Buffer): 'keeps' | 'fatal' | 'incomplete' {
  const p = new SipStreamParser(LIMITS);
  if (p.push(input).some((i) => i.type === 'invalid' && i.fatal)) return 'fatal';
  return p.idle ? 'keeps' : 'incomplete';
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
