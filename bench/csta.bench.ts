// CSTA EventReport throughput: decode with asn1js, with the lean engine and with the fast EventReport decoder
// (event-report-fast.ts), encode with both engines, and the multiplexer's cross-reference read, each beside a baseline
// measured in the same run: a minimal hand-written TLV walk over the same bytes. Rounds alternate baseline and
// candidate, so a busy machine slows both alike; the ratio printed is the median of the rounds.
// Run: npx tsx bench/csta.bench.ts   (about 20 s)
import {
  decodeApdu,
  decodeEventReportFast,
  encodeApdu,
  encodeInvoke,
  eventCrossRefOf,
  type CstaApdu,
} from '../main/protocols/csta-ber';
import { sampleEvents } from '../main/protocols/csta-ber/testing/samples';

const apdus = sampleEvents.map((ev, i) => encodeInvoke('cSTAEventReport', i + 1, ev));
const decoded: CstaApdu[] = apdus.map((a) => decodeApdu(a));
const avgBytes = Math.round(apdus.reduce((s, a) => s + a.length, 0) / apdus.length);
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
  ['read monitorCrossRefID (ber-bytes)', (i) => eventCrossRefOf(apdus[i])?.length ?? 0],
  ['encode, asn1js engine', (i) => encodeApdu(decoded[i]).length],
  ['encode, lean engine (as the simulator)', (i) => encodeApdu(decoded[i], { engine: 'lean' }).length],
];

console.log(`CSTA EventReport APDUs: ${apdus.length} kinds, ${avgBytes} bytes on average; ratio = median over rounds of candidate / baseline`);
const results = rows.map(([label, body]) => ({ label, ...compare(body) }));
const base = median(results.map((r) => r.base));
console.log(`${'baseline: hand-written TLV walk'.padEnd(44)} ${Math.round(base).toLocaleString('en').padStart(12)} /s   ratio 1.000`);
for (const r of results) {
  console.log(`${r.label.padEnd(44)} ${Math.round(r.perSec).toLocaleString('en').padStart(12)} /s   ratio ${r.ratio.toFixed(3)}`);
}
console.log(`aim (issue #3): typed decode at least 0.5 of the baseline -> ${results[2].ratio.toFixed(2)}`);
if (sink === -1) console.log(sink);
