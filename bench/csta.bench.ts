// CSTA EventReport throughput: decode and encode with asn1js, with the lean engine and with the fast
// EventReport codec (event-report-fast.ts), and the multiplexer's cross-reference read, each beside a baseline
// measured in the same run: a minimal hand-written TLV walk over the same bytes. Rounds alternate baseline and
// candidate, so a busy machine slows both alike; the ratio printed is the median of the rounds.
// Run: npx tsx bench/csta.bench.ts   (about 20 s)
import {
  decodeApdu,
  decodeEventReportFast,
  encodeApdu,
  encodeEventReportBefore,
  encodeEventReportFast,
  encodeEventReportFrame,
  encodeEventReportInto,
  encodeInvoke,
  eventCrossRefOf,
  type CstaApdu,
} from '../main/protocols/csta-ber';
import { sampleEvents } from '../main/protocols/csta-ber/testing/samples';

const apdus = sampleEvents.map((ev, i) => encodeInvoke('cSTAEventReport', i + 1, ev));
const decoded: CstaApdu[] = apdus.map((a) => decodeApdu(a));
const avgBytes = Math.round(apdus.reduce((s, a) => s + a.length, 0) / apdus.length);
const sendBuffer = new Uint8Array(64 * 1024);

/**
 * The same events with every cause, connection state and forwarding type changed to another name of the
 * same size. Each event alternates between the two versions, so the fast encoder's memory of the last name
 * at each place never helps: the row shows what a stream whose names never repeat costs.
 */
const OTHER: Record<string, Record<string, string>> = {
  cause: { newCall: 'normal', normal: 'newCall', normalClearing: 'newCall', makeCall: 'newCall', transfer: 'normal', conference: 'normal', callForwardImmediate: 'redirected', busy: 'trunksBusy', networkSignal: 'normal', maintenance: 'normal' },
  localConnectionInfo: { alerting: 'connected', connected: 'alerting', null: 'hold', initiated: 'connected', hold: 'connected', fail: 'null' },
  forwardingType: { forwardImmediate: 'forwardBusy' },
};
function otherNames(v: unknown, key = ''): unknown {
  if (typeof v === 'string') return OTHER[key]?.[v] ?? v;
  if (Array.isArray(v)) return v.map((x) => otherNames(x));
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, otherNames(x, k)]));
}
const renamed = decoded.map((d) => decodeApdu(encodeApdu(otherNames(d) as CstaApdu)));
let version = 0;

/** Baseline: visit every TLV of the APDU (definite lengths), summing tag bytes so the work cannot be skipped. */
function tlvWalk(b: Uint8Array, pos: number, end: number): number {
  let sum = 0;
  while (pos < end) {
    const tag = b[pos++];
    let len = b[pos++];
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = (len << 8) | b[pos++];
    }
    sum += tag;
    if (tag & 0x20) sum += tlvWalk(b, pos, pos + len);
    pos += len;
  }
  return sum;
}

type Body = (i: number) => unknown;
type Rate = (ms: number) => number;
let sink = 0;
const sinkRef = { add: (x: number) => (sink += x) };
/**
 * A timing loop of its own for `body` (compiled separately, so each candidate's call site stays monomorphic
 * and no candidate changes how the baseline's loop is optimised): operations per second over all sample APDUs
 * in turn, for about `ms`.
 */
function loopFor(body: Body): Rate {
  const src = `return function rate(ms) {
    let n = 0, acc = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < ms) {
      for (let i = 0; i < count; i++, n++) {
        const r = body(i);
        acc += typeof r === 'number' ? r : 1;
      }
      t = performance.now();
    }
    sinkRef.add(acc);
    return n / ((t - t0) / 1000);
  };`;
  return new Function('body', 'count', 'sinkRef', src)(body, apdus.length, sinkRef) as Rate;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const baseline = loopFor((i) => tlvWalk(apdus[i], 0, apdus[i].length));

/** Rounds of baseline then candidate; medians of the candidate's rate and of the per-round ratios. */
function compare(body: Body, rounds = 9, ms = 80): { perSec: number; ratio: number; base: number } {
  const rate = loopFor(body);
  for (let i = 0; i < 3; i++) rate(20), baseline(20); // warm-up
  const rates: number[] = [];
  const bases: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // no forced collections: the baseline allocates nothing, so the candidate's garbage is collected while the
    // candidate runs, and a forced full collection would shrink the young generation the candidate works in
    const b = baseline(ms);
    const c = rate(ms);
    bases.push(b);
    rates.push(c);
    ratios.push(c / b);
  }
  return { perSec: median(rates), ratio: median(ratios), base: median(bases) };
}

const rows: [string, Body][] = [
  ['decode, asn1js engine (typed)', (i) => decodeApdu(apdus[i])],
  ['decode, lean engine (typed)', (i) => decodeApdu(apdus[i], { engine: 'lean' })],
  ['decode, fast EventReport codec (typed)', (i) => decodeEventReportFast(apdus[i])],
  ['read monitorCrossRefID (event-routing)', (i) => eventCrossRefOf(apdus[i])?.length ?? 0],
  ['encode, asn1js engine', (i) => encodeApdu(decoded[i]).length],
  ['encode, lean engine', (i) => encodeApdu(decoded[i], { engine: 'lean' }).length],
  ['encode, fast codec, into a send buffer', (i) => encodeEventReportBefore(decoded[i], sendBuffer)],
  ['  same, names never the same twice in a row', (i) => encodeEventReportBefore((i === 0 ? (version ^= 1) : version) ? renamed[i] : decoded[i], sendBuffer)],
  ['  same, then moved to a given offset', (i) => encodeEventReportInto(decoded[i], sendBuffer, 0)],
  ['  same, framed in a new Uint8Array each', (i) => encodeEventReportFrame(decoded[i]).length],
  ['  same, unframed in a new Uint8Array each', (i) => encodeEventReportFast(decoded[i]).length],
];

console.log(`CSTA EventReport APDUs: ${apdus.length} kinds, ${avgBytes} bytes on average; ratio = median over rounds of candidate / baseline`);
const results = rows.map(([label, body]) => ({ label, ...compare(body) }));
const base = median(results.map((r) => r.base));
console.log(`${'baseline: hand-written TLV walk'.padEnd(44)} ${Math.round(base).toLocaleString('en').padStart(12)} /s   ratio 1.000`);
for (const r of results) {
  console.log(`${r.label.padEnd(44)} ${Math.round(r.perSec).toLocaleString('en').padStart(12)} /s   ratio ${r.ratio.toFixed(3)}`);
}
const fastDecode = results[2].ratio;
const fastEncode = results[6].ratio;
console.log(`aim (issue #3): typed decode and encode at least 0.5 of the baseline -> decode ${fastDecode.toFixed(2)}, encode ${fastEncode.toFixed(2)}`);
if (sink === -1) console.log(sink);
