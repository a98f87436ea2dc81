import { describe, expect, it } from 'vitest';
import { formatNameAddr, formatUri, formatVia, normaliseMacUser, parseCSeq, parseNameAddr, parseUri, parseVia } from './uri';

describe('SIP URIs and address headers', () => {
  it('reads every part of a sip URI and writes it back', () => {
    const s = 'sips:alice:pw@[::1]:5061;transport=tcp;lr?subject=x';
    const u = parseUri(s);
    expect(u).toEqual({ scheme: 'sips', user: 'alice', password: 'pw', host: '[::1]', port: 5061, params: { transport: 'tcp', lr: null }, headers: 'subject=x' });
    expect(formatUri(u)).toBe(s);
    expect(parseUri('tel:+4930123;phone-context=x')).toEqual({ scheme: 'tel', host: '+4930123', params: { 'phone-context': 'x' } });
  });

  it('keeps URI parameters inside <> apart from header parameters outside', () => {
    const a = parseNameAddr('"Doe, \\"J\\"" <sip:j@h;transport=tcp>;tag=abc;expires=60');
    expect(a).toEqual({ displayName: 'Doe, "J"', uri: { scheme: 'sip', user: 'j', host: 'h', params: { transport: 'tcp' } }, params: { tag: 'abc', expires: '60' } });
    expect(parseNameAddr(formatNameAddr(a))).toEqual(a);
    // addr-spec: everything after the URI is the header's (RFC 3261 §20.10)
    expect(parseNameAddr('sip:j@h;tag=1')).toEqual({ uri: { scheme: 'sip', user: 'j', host: 'h', params: {} }, params: { tag: '1' } });
  });

  it('refuses malformed URIs with the value named', () => {
    for (const bad of ['', 'nocolon', 'sip:', 'sip:a@', 'sip:h:port', 'sip:h:70000', '<sip:a@b', 'sip:a b@c']) {
      expect(() => parseNameAddr(bad), bad).toThrow(expect.objectContaining({ code: 'SIP_BAD_URI' }));
    }
  });

  it('reads Via with branch, rport, received and alias', () => {
    const v = parseVia('SIP/2.0/TLS 10.0.0.1:5061 ;branch=z9hG4bK-7;rport;received=1.2.3.4;alias');
    expect(v).toEqual({ protocol: 'SIP/2.0', transport: 'TLS', host: '10.0.0.1', port: 5061, params: { branch: 'z9hG4bK-7', rport: null, received: '1.2.3.4', alias: null } });
    expect(parseVia(formatVia(v))).toEqual(v);
    expect(() => parseVia('SIP/2.0 h')).toThrow(/Via/);
  });

  it('reads CSeq and refuses numbers of 2^31 and above', () => {
    expect(parseCSeq('  42  INVITE ')).toEqual({ seq: 42, method: 'INVITE' });
    expect(() => parseCSeq('2147483648 INVITE')).toThrow(/CSeq/);
    expect(() => parseCSeq('x INVITE')).toThrow(/CSeq/);
  });

  it('normalises a MAC address user to 12 lower-case hex digits, leaves other users alone', () => {
    expect(normaliseMacUser('00:04:13:AA:BB:CC')).toBe('000413aabbcc');
    expect(normaliseMacUser('0004.13aa.bbcc')).toBe('000413aabbcc');
    expect(normaliseMacUser('000413AABBCC')).toBe('000413aabbcc');
    expect(normaliseMacUser('ss_ecsta')).toBe('ss_ecsta');
  });
});
