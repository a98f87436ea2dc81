import { describe, expect, it } from 'vitest';
import { parseXml, text, typeOf, XmlError, XmlStreamSplitter, xsiEventDoc } from './xml';

const docs = [
  '<?xml version="1.0" encoding="UTF-8"?>\n<Channel xmlns="http://schema.broadsoft.com/xsi"><channelId>a&gt;b</channelId></Channel>',
  '<ChannelHeartBeat xmlns="http://schema.broadsoft.com/xsi"/>',
  xsiEventDoc('SubscriptionEvent', '<xsi:eventID>e1</xsi:eventID><xsi:eventData xsi1:type="xsi:CallReceivedEvent"><!-- a > comment --><xsi:call note="x>y"><xsi:callId>c1</xsi:callId><![CDATA[<not a tag>]]></xsi:call></xsi:eventData>'),
];

describe('Xsi XML', () => {
  it('splits a stream into its documents wherever the chunks break', () => {
    const stream = docs.join('\r\n\0 \n');
    const want = [docs[0].slice(docs[0].indexOf('<Channel')), docs[1], docs[2].slice(docs[2].indexOf('<xsi:Event'))];
    for (let cut = 1; cut < stream.length; cut += 7) {
      const s = new XmlStreamSplitter();
      const got = [...s.push(stream.slice(0, cut)), ...s.push(stream.slice(cut))];
      expect(got, `cut at ${cut}`).toEqual(want);
    }
    const one = new XmlStreamSplitter();
    expect([...stream].flatMap((c) => one.push(c))).toEqual(want);
  });

  it('reads by local name whatever the prefixes, and the xsi1:type of the event data', () => {
    const { root, body } = parseXml(docs[2]);
    expect(root).toBe('Event');
    expect(typeOf(body.eventData)).toBe('CallReceivedEvent');
    expect(text((body.eventData as { call: Record<string, string> }).call, 'callId')).toBe('c1');
  });

  it('refuses a document type, two roots, broken XML and a document over the size limit', () => {
    expect(() => parseXml('<!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>')).toThrow(XmlError);
    expect(() => parseXml('<a/><b/>')).toThrow(XmlError);
    expect(() => parseXml('<a><b></a>')).toThrow(XmlError);
    expect(() => new XmlStreamSplitter(100).push(`<a>${'x'.repeat(200)}`)).toThrow(/longer than 100 bytes/);
    expect(() => new XmlStreamSplitter().push('</a>')).toThrow(XmlError);
  });
});
