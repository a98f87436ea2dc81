import { describe, expect, it } from 'vitest';
import { CstaSessionError } from '../csta/model';
import { SipEndpoint } from '../sip';
import { decodeCsta, encodeCsta, type CstaXmlMessage } from './codec';
import { CstaXmlError } from './errors';
import { parseXml, type XmlEl } from './xml';
import { EVENTS, SERVICES } from './messages';
import { acceptCstaDialog, openCstaDialog } from './sip-dialog';
import type { XmlCstaSwitch } from './switch';
import { allSampleMessages, sampleEvents } from './testing/samples';

// Seeded, so a failure repeats: 100,000+ random and mutated documents into the decoder. Each must decode, or fail
// with a CstaXmlError naming what was wrong; none may throw anything else, take long, or leave memory behind.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROOTS = [...Object.values(SERVICES).flatMap((s) => [s.request.root, s.response.root]), ...Object.values(EVENTS).map((e) => e.root), 'CSTAErrorCode', 'TransferedEvent', 'HookswitchEvent', '__proto__', 'constructor'];
const NAMES = [...new Set(Object.values(SERVICES).flatMap((s) => [...s.request.members, ...s.response.members]).concat(Object.values(EVENTS).flatMap((e) => e.members)).map((m) => m.xml))]
  .concat(['callID', 'deviceID', 'dynamicID', 'deviceIdentifier', 'notKnown', 'restricted', 'connectionListItem', 'newConnection', 'oldConnection', 'extensions', 'privateData', 'private', 'string', 'snapshotData', 'serviceCrossRefID', 'snapshotDeviceResponseInfo', 'localCallState', 'compoundCallState', 'forwardListItem', 'device', 'deviceObject', 'callObject', 'operation', 'unspecified', 'prototype']);
const TEXTS = ['', '0', '-1', 'true', 'false', '1', '99999999999999999999', 'sip:201@pbx', '&amp;', '&lt;&gt;', '&#65;', '&#0;', '&#xD800;', '&bogus;', '&', ' ', 'normal', 'alerting', 'a'.repeat(300), '\u00e4\u00f6\u00fc', '<![CDATA[x<y]]>', '<!-- c -->'];
const INSERTS = ['<', '>', '&', '"', "'", '</', '/>', '<!DOCTYPE x>', '<!ENTITY a "b">', ']]>', '<?pi x?>', '\u0000', '\uffff', 'xmlns:a="u"', ' typeOfNumber="explicitPublic:national"', ' typeOfNumber="bogus"', '<a>'.repeat(50), '</a>'.repeat(3), `${'<a>'.repeat(40)}${'</a>'.repeat(40)}`];

function randomTree(r: () => number, depth: number): string {
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  const name = depth === 0 ? pick(ROOTS) : pick(NAMES);
  if (depth > 5 || r() < 0.3) return `<${name}>${pick(TEXTS)}</${name}>`;
  let inner = '';
  const n = Math.floor(r() * 5);
  for (let i = 0; i < n; i++) inner += randomTree(r, depth + 1);
  const attr = r() < 0.1 ? ` xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed${3 + Math.floor(r() * 3)}"` : '';
  return `<${name}${attr}>${inner}</${name}>`;
}

function mutate(r: () => number, doc: string): string {
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  let d = doc;
  const rounds = 1 + Math.floor(r() * 3);
  for (let i = 0; i < rounds; i++) {
    const at = Math.floor(r() * (d.length + 1));
    switch (Math.floor(r() * 7)) {
      case 0: d = d.slice(0, at) + d.slice(at + 1 + Math.floor(r() * 20)); break;
      case 1: d = d.slice(0, at) + pick(INSERTS) + d.slice(at); break;
      case 2: d = d.slice(0, at); break;
      case 3: d = d.slice(0, at) + d.slice(Math.floor(r() * d.length), Math.floor(r() * d.length)) + d.slice(at); break;
      case 4: d = d.replace(/>[^<]*</, `>${pick(TEXTS)}<`); break;
      case 5: d = d.replace(new RegExp(`<(/?)${pick(NAMES)}([ >/])`), `<$1${pick(NAMES)}$2`); break;
      default: d = d.slice(0, at) + String.fromCharCode(Math.floor(r() * 0x3000)) + d.slice(at);
    }
  }
  return d;
}

describe('CSTA XML decoder fuzz', () => {
  it('takes 100,000+ random and mutated documents: decodes or names the problem, never crashes, hangs or grows', () => {
    const r = rng(0x5eed323);
    const bases = allSampleMessages().map((m) => encodeCsta(m, (['ed3', 'ed4', 'ed5'] as const)[Math.floor(r() * 3)]));
    const codes = new Map<string, number>();
    let decoded = 0;
    let slowest = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < 110_000; i++) {
      const doc = i % 3 === 0 ? randomTree(r, 0) : mutate(r, bases[Math.floor(r() * bases.length)]);
      const t0 = performance.now();
      let msg: CstaXmlMessage | undefined;
      try {
        msg = decodeCsta(i % 7 === 0 ? Buffer.from(doc) : doc).message;
        decoded++;
      } catch (e) {
        if (!(e instanceof CstaXmlError)) throw new Error(`not a CstaXmlError for ${JSON.stringify(doc)}: ${String(e)}`);
        expect(e.message.length).toBeGreaterThan(10);
        codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
      }
      slowest = Math.max(slowest, performance.now() - t0);
      // what it read, written back (when it can be), reads the same from the second round on
      if (msg && msg.kind !== 'unknown' && !(msg.kind === 'event' && msg.event.name === 'other')) {
        let again: CstaXmlMessage;
        try {
          again = decodeCsta(encodeCsta(msg)).message;
        } catch (e) {
          if (e instanceof CstaSessionError || e instanceof CstaXmlError) continue;
          throw new Error(`re-encoding ${JSON.stringify(doc)} threw ${String(e)}`);
        }
        expect(decodeCsta(encodeCsta(again)).message, doc).toEqual(again);
      }
    }
    // every kind of problem occurred, and plenty of documents were still readable
    expect([...codes.keys()].sort()).toEqual(['CSTA_XML_BAD_VALUE', 'CSTA_XML_DOCTYPE', 'CSTA_XML_MALFORMED', 'CSTA_XML_MISSING', 'CSTA_XML_TOO_DEEP']);
    expect(decoded).toBeGreaterThan(10_000);
    expect(slowest).toBeLessThan(1000);
    global.gc?.();
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 << 20);
  }, 300_000);

  it('the fast reader for plain documents reads exactly what the general reader reads, and leaves it every other document', () => {
    const r = rng(0xfa57);
    const bases = allSampleMessages().map((m) => encodeCsta(m, (['ed3', 'ed4', 'ed5'] as const)[Math.floor(r() * 3)]));
    const tree = (e: XmlEl): unknown => ({ name: e.name, qname: e.qname, attrs: e.attrs, text: e.text, children: e.children.map(tree) });
    const read = (doc: string, general: boolean) => {
      try {
        return { ok: tree(parseXml(doc, { maxDepth: 12 }, general)) };
      } catch (e) {
        return { error: (e as CstaXmlError).message };
      }
    };
    let same = 0;
    // every sample goes the fast way, declarations, prefixes and whitespace added, then mutated and random documents
    const docs = bases.flatMap((b) => [b, `<?xml version="1.0" encoding="UTF-8"?>\n${b}\n`, b.replace(/<(\/?)(\w+)/g, '<$1csta:$2'), b.replace(/></g, '>\n  <')]);
    // the corners of the plain subset, each on either side of it
    docs.push('<a x="1" x="2"/>', '<a x=1/>', '<a x="1"y="2"/>', '<a\tx = "1"\n/>', "<a x='1' y=\"'\"/>", '<a x="a>b"/>', '<a x="a<b"/>', '</a>', '<a></a >', '<a/ >', '<a></b>', '<a>',
      '\ufeff<a/>', ' <a/>', '<a/> ', '<a/>x', '<a/><b/>', '', '<?xml version="1.0"?>', '<?xml version="1.0"?><a/>', '<?xml version="1.1"?><a/>', "<?xml version='1.0' standalone='yes'?><a/>", '<?xml  version="1.0"  encoding="utf-8" ?><a/>',
      '<a>&amp;&lt;&gt;&quot;&apos;</a>', '<a>&#65;</a>', '<a>&amp</a>', '<a>& b</a>', '<a><![CDATA[x]]></a>', '<a><!-- c --></a>', '<a><?pi x?></a>', '<a>]]></a>', '<a>\r\nb\rc</a>',
      '<p:a xmlns:p="u"><p:b>x</p:b></p:a>', '<a:b:c/>', '<1a/>', '<a-b.c_d/>', '<__proto__/>', '<a __proto__="x"/>', '<a><private><x/></private></a>', '<\u00e4/>', '<a>\u00e4\u20ac\ud83d\ude00</a>', '<a>\ud800</a>',
      `${'<a>'.repeat(12)}${'</a>'.repeat(12)}`, `${'<a>'.repeat(13)}${'</a>'.repeat(13)}`, `${'<a>'.repeat(11)}<b/>${'</a>'.repeat(11)}`, `${'<a>'.repeat(12)}<b/>${'</a>'.repeat(12)}`);
    for (let i = 0; i < 30_000; i++) docs.push(i % 3 === 0 ? randomTree(r, 0) : mutate(r, bases[Math.floor(r() * bases.length)]));
    for (const doc of docs) {
      const fast = read(doc, false);
      expect(fast, doc).toEqual(read(doc, true));
      if (fast.ok) same++;
    }
    expect(same).toBeGreaterThan(5_000);
  }, 120_000);

  it('keeps a live session up through 2,000 bad documents from the peer, and still delivers events', async () => {
    const server = await SipEndpoint.start({ user: 'switch', listen: [{ host: '127.0.0.1', port: 0 }] });
    const client = await SipEndpoint.start({ user: 'cti' });
    try {
      let side!: XmlCstaSwitch;
      server.on('request', (inc) => (side = acceptCstaDialog(server, inc, () => ({}))));
      const session = await openCstaDialog(client, { uri: `sip:201@127.0.0.1:${server.servers[0].port};transport=tcp` });
      const events: string[] = [];
      session.onEvent((e) => events.push(e.name));
      const r = rng(42);
      const bases = sampleEvents.map((e) => encodeCsta({ kind: 'event', event: e }));
      const answers = new Map<string, number>();
      for (let i = 0; i < 2000; i++) {
        const doc = mutate(r, bases[i % bases.length]);
        const key = await side.carrier.send(doc).then(() => 'ok', (e: CstaSessionError) => `${e.code} ${e.details.cause}`);
        answers.set(key, (answers.get(key) ?? 0) + 1);
      }
      expect(answers.get('CSTA_REJECTED SIP 400')).toBeGreaterThan(100);
      expect([...answers.keys()].every((k) => k === 'ok' || k === 'CSTA_REJECTED SIP 400')).toBe(true);
      events.length = 0;
      await side.sendEvent(sampleEvents[0]);
      expect(events).toEqual(['delivered']);
      expect(session.open).toBe(true);
      await session.close();
    } finally {
      await client.close();
      await server.close();
    }
  }, 120_000);
});
