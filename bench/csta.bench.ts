// CSTA EventReport throughput: decode and encode with asn1js and with the lean engine, the specialised EventReport
// decoder (decodeEventReportFast) and the multiplexer's cross-reference read, each beside a baseline measured in
// the same run: a minimal hand-written TLV walk over the same bytes. Run: npx tsx bench/csta.bench.ts   (about 15 s)
import { decodeApdu, decodeEventReportFast, encodeApdu, encodeInvoke, eventCrossRefOf, type CstaApdu } from '../main/protocols/csta';
import { sampleEvents } from '../main/protocols/csta/test-samples';

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

let sink = 0;
function measure(label: string, body: (a: Uint8Array, i: number) => unknown, ms = 1500): number {
  for (let i = 0; i < 200; i++) body(apdus[i % apdus.length], i % apdus.length); // warm-up
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (let k = 0; k < 50; k++, n++) {
      const r = body(apdus[n % apdus.length], n % apdus.length);
      sink += typeof r === 'number' ? r : 1;
    }
  }
  const perSec = n / ((performance.now() - t0) / 1000);
  return perSec;
}

const baseline = measure('baseline TLV walk', (a) => tlvWalk(a, 0, a.length));
const rows: [string, number][] = [
  ['decode, asn1js engine (typed)', measure('asn1js decode', (a) => decodeApdu(a))],
  ['decode, lean engine (typed)', measure('lean decode', (a) => decodeApdu(a, { engine: 'lean' }))],
  ['decode, fast EventReport path', measure('fast decode', (a) => decodeEventReportFast(a))],
  ['read monitorCrossRefID (event-routing)', measure('xref', (a) => eventCrossRefOf(a)?.length ?? 0)],
  ['encode, asn1js engine', measure('asn1js encode', (_a, i) => encodeApdu(decoded[i]).length)],
  ['encode, lean engine', measure('lean encode', (_a, i) => encodeApdu(decoded[i], { engine: 'lean' }).length)],
];

console.log(`CSTA EventReport APDUs: ${apdus.length} kinds, ${avgBytes} bytes on average`);
console.log(`${'baseline: hand-written TLV walk'.padEnd(42)} ${Math.round(baseline).toLocaleString('en').padStart(12)} /s   ratio 1.000`);
for (const [label, perSec] of rows) {
  console.log(`${label.padEnd(42)} ${Math.round(perSec).toLocaleString('en').padStart(12)} /s   ratio ${(perSec / baseline).toFixed(3)}`);
}
if (sink === -1) console.log(sink);
