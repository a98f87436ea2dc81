import { describe, expect, it } from 'vitest';
import { SipStreamParser, type ParsedItem } from './parser';
import { bodyText, callIdOf, createResponse, cseqOf, fromOf, header, headerValues, serializeMessage, toOf, topVia, vias, type SipMessage, type SipRequest } from './message';

const CSTA = '<?xml version="1.0" encoding="utf-8"?><MonitorStart xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorObject><deviceObject>201</deviceObject></monitorObject></MonitorStart>';

function info(body = CSTA, extra = ''): string {
  const len = Buffer.byteLength(body);
  return (
    'INFO sip:000413aabbcc@127.0.0.2:5060;transport=tcp SIP/2.0\r\n' +
    'Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK-1;rport\r\n' +
    'From: "Linekeeper" <sip:uacsta@example.test>;tag=s1\r\n' +
    'To: <sip:000413aabbcc@example.test>;tag=p1\r\n' +
    'Call-ID: dlg-1@127.0.0.1\r\n' +
    'CSeq: 2 INFO\r\n' +
    extra +
    'Content-Type: application/csta+xml\r\n' +
    `Content-Length: ${len}\r\n\r\n` +
    body
  );
}

function feed(p: SipStreamParser, ...parts: Array<string | Buffer>): ParsedItem[] {
  return parts.flatMap((x) => p.push(typeof x === 'string' ? Buffer.from(x) : x));
}
const messages = (items: ParsedItem[]): SipMessage[] => items.flatMap((i) => (i.type === 'message' ? [i.message] : []));

describe('SIP stream parser', () => {
  it('reads a request with its body, header values, tags, branch and CSeq', () => {
    const [m] = messages(feed(new SipStreamParser(), info()));
    expect(m).toMatchObject({ kind: 'request', method: 'INFO', uri: 'sip:000413aabbcc@127.0.0.2:5060;transport=tcp' });
    expect(bodyText(m)).toBe(CSTA);
    expect(topVia(m)).toMatchObject({ transport: 'TCP', host: '127.0.0.1', port: 5060, params: { branch: 'z9hG4bK-1', rport: null } });
    expect(fromOf(m)).toMatchObject({ displayName: 'Linekeeper', uri: { user: 'uacsta', host: 'example.test' }, params: { tag: 's1' } });
    expect(toOf(m).params.tag).toBe('p1');
    expect(cseqOf(m)).toEqual({ seq: 2, method: 'INFO' });
    expect(callIdOf(m)).toBe('dlg-1@127.0.0.1');
  });

  it('frames a body by its UTF-8 byte length, not its character count', () => {
    const body = '<n>Jürgen Müßig</n>';
    const [m] = messages(feed(new SipStreamParser(), info(body) + info()));
    expect(bodyText(m)).toBe(body);
  });

  it('joins folded header lines and expands compact header names', () => {
    const raw =
      'MESSAGE sip:a@b SIP/2.0\r\nv: SIP/2.0/TCP h:1;branch=z9hG4bK-c\r\nf: <sip:x@y>\r\n  ;tag=1\r\nt: sip:a@b\r\ni: c1\r\nCSeq: 1\r\n\tMESSAGE\r\n' +
      'm: <sip:x@h:1>\r\nk: path, outbound\r\ns: hi\r\ne: identity\r\nc: text/plain\r\nl: 2\r\n\r\nhi';
    const [m] = messages(feed(new SipStreamParser(), raw));
    expect(header(m, 'From')).toBe('<sip:x@y> ;tag=1');
    // an empty continuation line adds nothing (the fuzzer found it added a space)
    const [blank] = messages(feed(new SipStreamParser(), info().replace('CSeq: 2 INFO\r\n', 'CSeq: 2 INFO\r\n \r\n')));
    expect(header(blank, 'CSeq')).toBe('2 INFO');
    expect(fromOf(m).params.tag).toBe('1');
    expect(cseqOf(m)).toEqual({ seq: 1, method: 'MESSAGE' });
    expect(m.headers.map((h) => h.name)).toEqual(['Via', 'From', 'To', 'Call-ID', 'CSeq', 'Contact', 'Supported', 'Subject', 'Content-Encoding', 'Content-Type', 'Content-Length']);
    expect(headerValues(m, 'Supported')).toEqual(['path', 'outbound']);
    expect(bodyText(m)).toBe('hi');
  });

  it('splits multi-value headers on commas outside quotes and brackets, across several lines', () => {
    const raw = info('', 'Via: SIP/2.0/TCP proxy:5061;branch=z9hG4bK-2, SIP/2.0/TCP p3;branch=z9hG4bK-3\r\nContact: "Doe, J" <sip:j@h;a=1,2>;expires=60, <sip:k@h>\r\nRecord-Route: <sip:p1;lr>\r\nRecord-Route: <sip:p2;lr>\r\n');
    const [m] = messages(feed(new SipStreamParser(), raw));
    expect(vias(m).map((v) => v.params.branch)).toEqual(['z9hG4bK-1', 'z9hG4bK-2', 'z9hG4bK-3']);
    expect(headerValues(m, 'Contact')).toEqual(['"Doe, J" <sip:j@h;a=1,2>;expires=60', '<sip:k@h>']);
    expect(headerValues(m, 'Record-Route')).toEqual(['<sip:p1;lr>', '<sip:p2;lr>']);
  });

  it('assembles a message fed one byte at a time, and several messages from one read', () => {
    const p = new SipStreamParser();
    const bytes = Buffer.from(info());
    const out: ParsedItem[] = [];
    for (let i = 0; i < bytes.length; i++) out.push(...p.push(bytes.subarray(i, i + 1)));
    expect(messages(out)).toHaveLength(1);
    expect(p.buffered).toBe(0);
    const three = feed(new SipStreamParser(), info() + info('x') + info('yz').slice(0, 50));
    expect(messages(three).map(bodyText)).toEqual([CSTA, 'x']);
  });

  it('reads responses, with and without a reason phrase', () => {
    const raw = 'SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK-1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>;tag=2\r\nCall-ID: x\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n';
    const [m] = messages(feed(new SipStreamParser(), raw, raw.replace('200 OK', '404')));
    expect(m).toMatchObject({ kind: 'response', status: 200, reason: 'OK' });
  });

  it('tells pings (CRLFCRLF) from pongs (CRLF) between messages', () => {
    const server = feed(new SipStreamParser({ role: 'server' }), '\r\n\r\n', info(), '\r\n', '\r\n');
    expect(server.map((i) => i.type)).toEqual(['ping', 'message', 'ping']);
    const client = feed(new SipStreamParser({ role: 'client' }), '\r\n');
    expect(client.map((i) => i.type)).toEqual(['pong']);
  });

  it('reports a message missing a required header as invalid with what is missing, and keeps reading', () => {
    const p = new SipStreamParser();
    const out = feed(p, info().replace('Call-ID: dlg-1@127.0.0.1\r\n', ''), info());
    expect(out[0]).toMatchObject({ type: 'invalid', fatal: false, status: 400, error: { code: 'SIP_MISSING_HEADER', params: { header: 'Call-ID' } } });
    // without a Call-ID no well-formed answer exists (RFC 3261 §8.2.6 copies it): nothing to answer with
    expect((out[0] as { request?: SipRequest }).request).toBeUndefined();
    expect(out[1].type).toBe('message');
  });

  it.each([
    ['a CSeq whose method differs', (s: string) => s.replace('CSeq: 2 INFO', 'CSeq: 2 INVITE'), 'SIP_BAD_HEADER'],
    ['a header line without a colon', (s: string) => s.replace('CSeq: 2 INFO\r\n', 'CSeq: 2 INFO\r\nno colon here\r\n'), 'SIP_BAD_HEADER'],
    ['a bare CR inside a header line', (s: string) => s.replace('Content-Type: application', 'Content-Type: app\rlication'), 'SIP_BAD_HEADER'],
    ['a bad Request-URI', (s: string) => s.replace('INFO sip:000413aabbcc@127.0.0.2:5060;transport=tcp', 'INFO sip:a@b:99999'), 'SIP_BAD_URI'],
    ['SIP/3.0', (s: string) => s.replace('SIP/2.0\r\n', 'SIP/3.0\r\n'), 'SIP_BAD_VERSION'],
  ])('answers %s with an invalid item that allows a well-formed 400', (_n, change, code) => {
    const out = feed(new SipStreamParser(), change(info()), info());
    expect(out[0]).toMatchObject({ type: 'invalid', fatal: false, error: { code } });
    const req = (out[0] as { request: SipRequest }).request;
    expect(req.method).toBe('INFO');
    const answer = serializeMessage(createResponse(req, 400, { reason: 'Bad Request' }));
    expect(messages(feed(new SipStreamParser({ role: 'client' }), answer))[0]).toMatchObject({ kind: 'response', status: 400 });
    expect(out[1].type).toBe('message');
  });

  it.each([
    ['a malformed From', (s: string) => s.replace(/From: .*\r\n/, 'From: <sip:broken\r\n'), 'From'],
    ['a Call-ID with a bare CR', (s: string) => s.replace('Call-ID: dlg-1@127.0.0.1\r\nCSeq: 2 INFO', 'Call-ID: dlg-1@127.0.0.1\rCSeq: 2 INFO'), 'Call-ID'],
  ])('reports %s without an answer (none could be well-formed), and keeps reading', (_n, change, header) => {
    const out = feed(new SipStreamParser(), change(info()), info());
    expect(out[0]).toMatchObject({ type: 'invalid', fatal: false });
    expect((out[0] as { error: { params: { header?: string } } }).error.params.header ?? header).toBe(header);
    expect((out[0] as { request?: SipRequest }).request).toBeUndefined();
    expect(out[1].type).toBe('message');
  });

  it('gives up on a stream that cannot be framed: garbage start line, bad Content-Length', () => {
    const garbage = feed(new SipStreamParser(), 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', info());
    expect(garbage).toEqual([expect.objectContaining({ type: 'invalid', fatal: true, error: expect.objectContaining({ code: 'SIP_BAD_START_LINE' }) })]);
    const cl = feed(new SipStreamParser(), info().replace(/Content-Length: \d+/, 'Content-Length: -5'));
    expect(cl[0]).toMatchObject({ type: 'invalid', fatal: true, error: { code: 'SIP_BAD_CONTENT_LENGTH' } });
    const two = feed(new SipStreamParser(), info('', 'Content-Length: 7\r\n'));
    expect(two[0]).toMatchObject({ fatal: true, error: { code: 'SIP_BAD_CONTENT_LENGTH' } });
  });

  it('refuses a header block over the limit without waiting for its end, holding no more than the limit', () => {
    const p = new SipStreamParser({ maxHeaderBytes: 1000 });
    const out = feed(p, 'INFO sip:a@b SIP/2.0\r\n', `X-Long: ${'a'.repeat(2000)}`);
    expect(out).toEqual([expect.objectContaining({ type: 'invalid', fatal: true, status: 513, error: expect.objectContaining({ code: 'SIP_MESSAGE_TOO_LARGE', params: { part: 'header', size: 2030, limit: 1000 } }) })]);
    expect(p.buffered).toBe(0);
    expect(p.push(Buffer.from(info()))).toEqual([]);
  });

  it('skips a body over the limit as it arrives, answers 513, and reads the next message', () => {
    const p = new SipStreamParser({ maxBodyBytes: 1000 });
    const big = info('x'.repeat(5000));
    const out = feed(p, big.slice(0, 700), big.slice(700, 3000), big.slice(3000) + info('ok'));
    expect(out[0]).toMatchObject({ type: 'invalid', fatal: false, status: 513, error: { code: 'SIP_MESSAGE_TOO_LARGE', params: { part: 'body', size: 5000, limit: 1000 } } });
    expect((out[0] as { request?: SipRequest }).request?.method).toBe('INFO');
    expect(messages(out).map(bodyText)).toEqual(['ok']);
    expect(p.buffered).toBe(0);
  });

  it('gives up at once on a body far over the limit (more than 16 times), answering 513', () => {
    const p = new SipStreamParser({ maxBodyBytes: 100 });
    const out = feed(p, info().replace(/Content-Length: \d+/, 'Content-Length: 99999999'));
    expect(out).toEqual([expect.objectContaining({ type: 'invalid', fatal: true, status: 513, request: expect.objectContaining({ method: 'INFO' }) })]);
  });

  it('writes what it reads: serialize then parse gives the same message', () => {
    const [m] = messages(feed(new SipStreamParser(), info('<ä/>')));
    const [again] = messages(feed(new SipStreamParser(), serializeMessage(m)));
    expect(again).toEqual(m);
  });
});
