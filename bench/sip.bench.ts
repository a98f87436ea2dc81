// SIP: parse of an INFO carrying a ~1 KB CSTA XML event, beside a baseline in the same run (split the same bytes at
// CRLF and scan for Content-Length); and a registrar holding 5,000 bindings that refresh every 60 s, with time
// compressed: CPU per simulated minute (the share of one core) and memory, beside a plain Map doing the same
// bookkeeping. Rounds alternate baseline and candidate; ratios are medians of the rounds.
// Run: npx tsx bench/sip.bench.ts   (about 20 s)
import { EventEmitter } from 'node:events';
import {
  callIdOf,
  cseqOf,
  fromOf,
  IncomingRequest,
  Registrar,
  serializeMessage,
  SipStreamParser,
  toOf,
  TransactionLayer,
  type SipConnection,
  type SipMessage,
  type SipRequest,
} from '../main/protocols/sip';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const gc = (globalThis as { gc?: () => void }).gc;

// ---- 1. parse

const EVENT = `<?xml version="1.0" encoding="utf-8"?><DeliveredEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed5"><monitorCrossRefID>0</monitorCrossRefID><connection><callID>7</callID><deviceID>sip:201@pbx.example.test:5060</deviceID></connection><alertingDevice><deviceIdentifier>sip:201@pbx.example.test:5060</deviceIdentifier></alertingDevice><callingDevice><deviceIdentifier>sip:0301234567@pbx.example.test</deviceIdentifier></callingDevice><calledDevice><deviceIdentifier>sip:201@pbx.example.test:5060</deviceIdentifier></calledDevice><lastRedirectionDevice><notKnown/></lastRedirectionDevice><localConnectionInfo>alerting</localConnectionInfo><cause>normal</cause><extensions><privateData><private><name>Jürgen Müller</name><line>1</line></private></privateData></extensions></DeliveredEvent>`;
const body = EVENT + ' '.repeat(Math.max(0, 1024 - Buffer.byteLength(EVENT)));
const info = Buffer.from(
  'INFO sip:uacsta@192.0.2.10:5060;transport=tcp SIP/2.0\r\n' +
    'Via: SIP/2.0/TCP 192.0.2.20:5060;branch=z9hG4bK-8a7c1f2e;rport;alias\r\n' +
    'Max-Forwards: 70\r\n' +
    'Route: <sip:192.0.2.10:5060;transport=tcp;lr>\r\n' +
    'From: <sip:000413aabbcc@uacsta.example.test>;tag=p1a2b3\r\n' +
    'To: <sip:uacsta@uacsta.example.test>;tag=s9f8e7\r\n' +
    'Call-ID: csta-dlg-1f2e3d4c@192.0.2.10\r\n' +
    'CSeq: 42 INFO\r\n' +
    'Content-Type: application/csta+xml\r\n' +
    'User-Agent: snomD785/10.1.73.14\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
    body,
);

const CRLFCRLF = Buffer.from('\r\n\r\n');
/** Baseline: find the header end, split the header at CRLF, read Content-Length, take the body. */
function splitScan(b: Buffer): number {
  const end = b.indexOf(CRLFCRLF);
  const lines = b.toString('latin1', 0, end).split('\r\n');
  let len = 0;
  for (const l of lines) if (l.length > 15 && (l[0] === 'C' || l[0] === 'c') && l.toLowerCase().startsWith('content-length:')) len = Number(l.slice(15));
  return b.subarray(end + 4, end + 4 + len).length + lines.length;
}

const parser = new SipStreamParser();
const parse = (b: Buffer) => parser.push(b).length;
/** What a dialog layer reads of each message: its Call-ID, both tags and the CSeq. */
function parseAndRead(b: Buffer): number {
  const m = (parser.push(b)[0] as { message: SipMessage }).message;
  return callIdOf(m).length + (fromOf(m).params.tag?.length ?? 0) + (toOf(m).params.tag?.length ?? 0) + cseqOf(m).seq;
}

let sink = 0;
function rate(fn: (b: Buffer) => number, ms: number): number {
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < 100; i++) sink += fn(info);
    n += 100;
  }
  return (n * 1000) / (performance.now() - t0);
}

function compare(fn: (b: Buffer) => number, rounds = 9, ms = 150) {
  for (let i = 0; i < 3; i++) rate(splitScan, 30), rate(fn, 30);
  const rates: number[] = [];
  const bases: number[] = [];
  for (let r = 0; r < rounds; r++) {
    bases.push(rate(splitScan, ms));
    rates.push(rate(fn, ms));
  }
  return { perSec: median(rates), base: median(bases), ratio: median(rates.map((x, i) => x / bases[i])) };
}

console.log(`SIP INFO with a CSTA event: ${info.length} bytes (${Buffer.byteLength(body)} of body); ratio = candidate / baseline, median of rounds`);
const rows = [
  ['parse (SipStreamParser, one message a push)', compare(parse)],
  ['parse + Call-ID, tags and CSeq read', compare(parseAndRead)],
] as const;
console.log(`${'baseline: split at CRLF, scan Content-Length'.padEnd(48)} ${Math.round(median(rows.map((r) => r[1].base))).toLocaleString('en').padStart(10)} msg/s   ratio 1.000`);
for (const [label, r] of rows) console.log(`${label.padEnd(48)} ${Math.round(r.perSec).toLocaleString('en').padStart(10)} msg/s   ratio ${r.ratio.toFixed(3)}`);

// ---- 2. registrar

const PHONES = 5000;
const MINUTES = 10;

/** A connection that serializes what it is asked to send (the work a socket write needs) and goes nowhere. */
class BenchConnection extends EventEmitter {
  readonly closed = false;
  readonly remote = { host: '192.0.2.99', port: 5060 };
  bytes = 0;
  send(m: SipMessage): boolean {
    this.bytes += serializeMessage(m).length;
    return true;
  }
}

function register(i: number, cseq: number): Buffer {
  const mac = (0x000413000000 + i).toString(16).padStart(12, '0');
  return Buffer.from(
    `REGISTER sip:uacsta.example.test;transport=tcp SIP/2.0\r\nVia: SIP/2.0/TCP 10.1.${i >> 8}.${i & 255}:5060;branch=z9hG4bK-${i}-${cseq};rport\r\nMax-Forwards: 70\r\n` +
      `From: <sip:${mac}@uacsta.example.test>;tag=r${i}\r\nTo: <sip:${mac}@uacsta.example.test>\r\nCall-ID: reg-${i}@10.1.${i >> 8}.${i & 255}\r\nCSeq: ${cseq} REGISTER\r\n` +
      `Contact: <sip:${mac}@10.1.${i >> 8}.${i & 255}:5060;transport=tcp>\r\nExpires: 120\r\nUser-Agent: snomD785/10.1.73.14\r\nContent-Length: 0\r\n\r\n`,
  );
}

/** The registrar as the server runs it: parse, transaction, REGISTER handling, the 200 written; sweeps every second. */
function registrarRun(): { cpuMs: number; heapBytes: number } {
  let now = 1_000_000;
  const registrar = new Registrar({ minExpires: 60, maxExpires: 3600, sweepMs: 3_600_000, now: () => now });
  const layer = new TransactionLayer();
  const conn = new BenchConnection() as unknown as SipConnection;
  const p = new SipStreamParser();
  const acceptor = { acceptInvite: () => { throw new Error('no INVITE here'); } };
  const handle = (bytes: Buffer) => {
    const req = (p.push(bytes)[0] as { message: SipRequest }).message;
    const got = layer.incoming(conn, req);
    if (got.kind === 'new') registrar.handle(new IncomingRequest(req, conn, got.transaction, undefined, acceptor));
  };
  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  for (let i = 0; i < PHONES; i++) handle(register(i, 1));
  gc?.();
  const heapBytes = process.memoryUsage().heapUsed - heap0;
  if (registrar.size !== PHONES) throw new Error(`registrar holds ${registrar.size} bindings`);
  // the requests arrive as bytes; building them is the phones' work, not the server's
  const minutes = Array.from({ length: MINUTES }, (_, m) => Array.from({ length: PHONES }, (_, i) => register(i, m + 2)));
  const c0 = process.cpuUsage();
  for (let m = 0; m < MINUTES; m++) {
    // each phone refreshes once a minute, spread over the minute; the registrar sweeps once a second
    for (let s = 0; s < 60; s++) {
      for (let i = Math.floor((s * PHONES) / 60); i < Math.floor(((s + 1) * PHONES) / 60); i++) handle(minutes[m][i]);
      now += 1000;
      registrar.sweep();
    }
  }
  const c = process.cpuUsage(c0);
  if (registrar.size !== PHONES) throw new Error(`bindings lost: ${registrar.size}`);
  registrar.close();
  return { cpuMs: (c.user + c.system) / 1000 / MINUTES, heapBytes };
}

/** Baseline: the same refreshes as plain Map updates keyed by the raw REGISTER's Call-ID, and the same sweeps. */
function mapRun(): { cpuMs: number; heapBytes: number } {
  let now = 1_000_000;
  const m = new Map<string, number>();
  const handle = (b: Buffer) => {
    const s = b.toString('latin1');
    const k = s.slice(s.indexOf('Call-ID: ') + 9, s.indexOf('\r\n', s.indexOf('Call-ID: ')));
    m.set(k, now + 120_000);
  };
  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  for (let i = 0; i < PHONES; i++) handle(register(i, 1));
  gc?.();
  const heapBytes = process.memoryUsage().heapUsed - heap0;
  const minutes = Array.from({ length: MINUTES }, (_, mm) => Array.from({ length: PHONES }, (_, i) => register(i, mm + 2)));
  const c0 = process.cpuUsage();
  for (let mm = 0; mm < MINUTES; mm++) {
    for (let s = 0; s < 60; s++) {
      for (let i = Math.floor((s * PHONES) / 60); i < Math.floor(((s + 1) * PHONES) / 60); i++) handle(minutes[mm][i]);
      now += 1000;
      for (const [k, t] of m) if (t <= now) m.delete(k);
    }
  }
  const c = process.cpuUsage(c0);
  return { cpuMs: (c.user + c.system) / 1000 / MINUTES, heapBytes };
}

const regRuns: Array<ReturnType<typeof registrarRun>> = [];
const mapRuns: Array<ReturnType<typeof mapRun>> = [];
for (let r = 0; r < 5; r++) {
  mapRuns.push(mapRun());
  regRuns.push(registrarRun());
}
const reg = { cpuMs: median(regRuns.map((x) => x.cpuMs)), heap: median(regRuns.map((x) => x.heapBytes)) };
const base = { cpuMs: median(mapRuns.map((x) => x.cpuMs)), heap: median(mapRuns.map((x) => x.heapBytes)) };
console.log(`\nregistrar: ${PHONES.toLocaleString('en')} bindings refreshing every 60 s, ${MINUTES} minutes compressed (median of 5 runs${gc ? '' : '; run with --expose-gc for memory'})`);
console.log(`${'baseline: Map of Call-ID -> expiry, same sweeps'.padEnd(48)} ${base.cpuMs.toFixed(1).padStart(7)} ms CPU per minute = ${((base.cpuMs / 60_000) * 100).toFixed(3)}% of a core   heap ${(base.heap / 1024 / 1024).toFixed(1)} MB`);
console.log(`${'registrar (parse, transaction, handle, 200)'.padEnd(48)} ${reg.cpuMs.toFixed(1).padStart(7)} ms CPU per minute = ${((reg.cpuMs / 60_000) * 100).toFixed(3)}% of a core   heap ${(reg.heap / 1024 / 1024).toFixed(1)} MB   (${(reg.heap / PHONES).toFixed(0)} bytes a binding; CPU ratio ${(reg.cpuMs / base.cpuMs).toFixed(1)})`);
if (sink === -1) console.log(sink);
