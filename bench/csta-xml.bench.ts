// CSTA XML (ECMA-323): an INFO carrying a DeliveredEvent parsed as SIP and decoded into the CSTA model, and a
// MakeCall request encoded (alone, and written as an INFO), in messages per second beside a baseline in the same
// run: fast-xml-parser parsing the event body alone (default options, no validation, nothing mapped). Rounds
// alternate baseline and candidate; ratios are medians of the per-round ratios.
// Run: npx tsx bench/csta-xml.bench.ts   (about 15 s)
import { XMLParser } from 'fast-xml-parser';
import { decodeCsta, encodeEvent, encodeRequest } from '../main/protocols/csta-xml';
import { bodyText, serializeMessage, SipStreamParser, type SipMessage, type SipRequest } from '../main/protocols/sip';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const dev = { id: 'sip:201@pbx.example.test:5060' };
const body = encodeEvent({
  category: 'callControl', name: 'delivered', monitorCrossRefId: '0', connection: { callId: '7', device: dev }, alertingDevice: dev,
  callingDevice: { id: 'sip:0301234567@pbx.example.test' }, calledDevice: dev, lastRedirectionDevice: { unavailable: 'notKnown' },
  localConnectionInfo: 'alerting', cause: 'newCall',
}, 'ed5');
const info = Buffer.from(
  'INFO sip:uacsta@192.0.2.10:5060;transport=tcp SIP/2.0\r\n' +
    'Via: SIP/2.0/TCP 192.0.2.20:5060;branch=z9hG4bK-8a7c1f2e;rport;alias\r\n' +
    'Max-Forwards: 70\r\n' +
    'From: <sip:000413aabbcc@uacsta.example.test>;tag=p1a2b3\r\n' +
    'To: <sip:uacsta@uacsta.example.test>;tag=s9f8e7\r\n' +
    'Call-ID: csta-dlg-1f2e3d4c@192.0.2.10\r\n' +
    'CSeq: 42 INFO\r\n' +
    'Content-Type: application/csta+xml\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
    body,
);

const fxp = new XMLParser();
const parser = new SipStreamParser();
const makeCall = { callingDevice: dev, calledDirectoryNumber: { id: '0301234567' }, autoOriginate: 'doNotPrompt' as const };
const infoHeaders: SipRequest['headers'] = [
  { name: 'Via', value: 'SIP/2.0/TCP 192.0.2.10:5060;branch=z9hG4bK-1;rport' }, { name: 'Max-Forwards', value: '70' },
  { name: 'From', value: '<sip:uacsta@uacsta.example.test>;tag=s9f8e7' }, { name: 'To', value: '<sip:000413aabbcc@uacsta.example.test>;tag=p1a2b3' },
  { name: 'Call-ID', value: 'csta-dlg-1f2e3d4c@192.0.2.10' }, { name: 'CSeq', value: '43 INFO' }, { name: 'Content-Type', value: 'application/csta+xml' },
];

let sink = 0;
const baseline = () => Object.keys(fxp.parse(body)).length;
const candidates: [string, () => number][] = [
  ['decode the body (decodeCsta)', () => (decodeCsta(body).message.kind === 'event' ? 1 : 0)],
  ['SIP parse + CSTA XML decode of the INFO', () => {
    const m = (parser.push(info)[0] as { message: SipMessage }).message;
    return decodeCsta(bodyText(m)).message.kind.length;
  }],
  ['encode MakeCall (encodeRequest)', () => encodeRequest('makeCall', makeCall, 'ed3').length],
  ['encode MakeCall + write it as an INFO', () => serializeMessage({ kind: 'request', method: 'INFO', uri: 'sip:000413aabbcc@192.0.2.20:5060;transport=tcp', headers: infoHeaders, body: Buffer.from(encodeRequest('makeCall', makeCall, 'ed3')) }).length],
];

function rate(fn: () => number, ms: number): number {
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    for (let i = 0; i < 50; i++) sink += fn();
    n += 50;
  }
  return (n * 1000) / (performance.now() - t0);
}

function compare(fn: () => number, rounds = 9, ms = 150) {
  for (let i = 0; i < 3; i++) rate(baseline, 30), rate(fn, 30);
  const rates: number[] = [];
  const bases: number[] = [];
  for (let r = 0; r < rounds; r++) {
    bases.push(rate(baseline, ms));
    rates.push(rate(fn, ms));
  }
  return { perSec: median(rates), base: median(bases), ratio: median(rates.map((x, i) => x / bases[i])) };
}

console.log(`CSTA XML: DeliveredEvent body ${Buffer.byteLength(body)} bytes, INFO ${info.length} bytes; ratio = candidate / baseline, median of rounds`);
const rows = candidates.map(([label, fn]) => [label, compare(fn)] as const);
console.log(`${'baseline: fast-xml-parser parses the body alone'.padEnd(48)} ${Math.round(median(rows.map((r) => r[1].base))).toLocaleString('en').padStart(10)} msg/s   ratio 1.000`);
for (const [label, r] of rows) console.log(`${label.padEnd(48)} ${Math.round(r.perSec).toLocaleString('en').padStart(10)} msg/s   ratio ${r.ratio.toFixed(3)}`);
if (sink === 42) console.log('');
