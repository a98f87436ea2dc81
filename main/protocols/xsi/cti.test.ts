// The CTI socket's framings and the client over it against the simulator: documents split anywhere, the framing
// told from the first byte, and a channel kept past its lifetime by refreshes sent over the socket.
import { describe, expect, it } from 'vitest';
import { startBroadWorksSim } from '../../sim/broadworks';
import { XsiChannel, type XsiEvent } from './client';
import { CtiClient } from './cti';
import { CtiFrameReader, frameDocument } from './cti-framing';
import { XmlError } from './xml';

const docs = ['<?xml version="1.0" encoding="UTF-8"?>\n<CTIResponse xmlns="http://schema.broadsoft.com/xsi"><requestId>1</requestId><status>200</status><body>&lt;Channel/&gt;</body></CTIResponse>', '<ChannelHeartBeat xmlns="http://schema.broadsoft.com/xsi"/>', '<a>ä€😀</a>'];
/** As the XML splitter gives a document: without its declaration. */
const strip = (d: string) => d.replace(/^<\?xml[^>]*\?>\s*/, '');

describe('CTI framing', () => {
  for (const framing of ['xml', 'nul', 'length'] as const) {
    it(`reads "${framing}" documents however the bytes are cut, and tells the framing from the first byte`, () => {
      const stream = Buffer.concat([Buffer.from('\r\n'), ...docs.map((d) => frameDocument(d, framing))]);
      const want = framing === 'length' ? docs : docs.map(strip);
      for (let cut = 1; cut < stream.length; cut += 5) {
        const r = new CtiFrameReader('auto');
        const got = [...r.push(stream.subarray(0, cut)), ...r.push(stream.subarray(cut))];
        expect(got, `cut at ${cut}`).toEqual(want);
        expect(r.mode).toBe(framing === 'length' ? 'length' : 'xml');
      }
    });
  }

  it('refuses a length prefix beyond the limit, and a stream that is not XML where XML is expected', () => {
    expect(() => new CtiFrameReader('length', 100).push(frameDocument(`<a>${'x'.repeat(200)}</a>`, 'length'))).toThrow(/announces 207 bytes/);
    expect(() => new CtiFrameReader('length').push(Buffer.from('<?xml version="1.0"?><a/>'))).toThrow(XmlError);
    expect(() => new CtiFrameReader('xml').push(Buffer.from('</a>'))).toThrow(XmlError);
  });
});

describe('Xsi over the CTI socket', () => {
  it('keeps a channel and its subscription past their lifetime with refreshes on the socket, and its events flow', async () => {
    const sim = await startBroadWorksSim({ users: 3, ctiPort: 0, ctiFraming: 'nul' });
    const client = new CtiClient({ host: '127.0.0.1', port: sim.ctiPort!, tls: false, prefix: '', user: '2001@sim.test', password: 'secret', framing: 'auto' });
    try {
      await client.connect();
      expect(client.framing).toBe('xml');
      const channel = new XsiChannel(client, { expiresSeconds: 1, heartbeatMs: 200 });
      const events: XsiEvent[] = [];
      channel.on('event', (e: XsiEvent) => events.push(e));
      let closed = '';
      channel.on('closed', (r: string) => (closed = r));
      await channel.open();
      await channel.subscribe('user/2001%40sim.test', 'Advanced Call');
      await new Promise((r) => setTimeout(r, 2600));
      expect(closed).toBe('');
      expect(sim.xsi.status()).toMatchObject({ channels: 1, subscriptions: 1 });
      await fetch(`${sim.controlUrl}/calls`, { method: 'POST', body: JSON.stringify({ from: '0301234', to: '2001' }) });
      for (let i = 0; i < 100 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(events.map((e) => e.type)).toEqual(['CallReceivedEvent']);
      await channel.close();
    } finally {
      client.close();
      await sim.close();
    }
  });
});
