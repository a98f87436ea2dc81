// A corpus of well-formed SIP messages and seeded mutators that break them the ways peers do: at the byte level
// (the CSTA fuzzers' byteMutation) and at the line level (headers dropped, doubled, folded, garbled; lengths
// that lie; start lines changed). Test support only.
import { byteMutation, rng } from '../../csta-ber/testing/mutations';

export { byteMutation, rng };

const CSTA_BODY = '<?xml version="1.0" encoding="utf-8"?><MonitorStart xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"><monitorObject><deviceObject>sip:201@pbx.example.test</deviceObject></monitorObject></MonitorStart>';

function msg(start: string, headers: string[], body = ''): string {
  return `${start}\r\n${headers.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

const base = (method: string, n: number, extra: string[] = []) => [
  `Via: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bK-f${n};rport`,
  'Max-Forwards: 70',
  `From: "Phone ${n}" <sip:000413aabb${(10 + n).toString(16)}@127.0.0.1>;tag=f${n}`,
  `To: <sip:000413aabb${(10 + n).toString(16)}@127.0.0.1>`,
  `Call-ID: fuzz-${n}@127.0.0.1`,
  `CSeq: ${n + 1} ${method}`,
  ...extra,
];

/** Requests and responses of every kind the stack handles (as text: line mutations need lines). */
export const sipCorpus: string[] = [
  msg('REGISTER sip:127.0.0.1;transport=tcp SIP/2.0', base('REGISTER', 1, ['Contact: <sip:000413aabb0b@127.0.0.1:5070;transport=tcp>;expires=120', 'Expires: 120'])),
  msg('REGISTER sip:127.0.0.1 SIP/2.0', base('REGISTER', 2, ['Contact: <sip:000413aabb0c@127.0.0.1:5070>', 'Authorization: Digest username="000413aabb0c", realm="uacsta", nonce="1a.2b.3c", uri="sip:127.0.0.1", response="00112233445566778899aabbccddeeff", algorithm=MD5, qop=auth, nc=00000001, cnonce="x"'])),
  msg('REGISTER sip:127.0.0.1 SIP/2.0', base('REGISTER', 3, ['Contact: *', 'Expires: 0'])),
  msg('INVITE sip:000413aabbcc@127.0.0.1:5060;transport=tcp SIP/2.0', base('INVITE', 4, ['Contact: <sip:cti@127.0.0.1:5070;transport=tcp>', 'Content-Disposition: signal;handling=required', 'Content-Type: application/csta+xml']), CSTA_BODY),
  msg('INFO sip:000413aabbcc@127.0.0.1:5060 SIP/2.0', base('INFO', 5, ['Content-Type: application/csta+xml']).map((h) => (h.startsWith('To:') ? `${h};tag=p5` : h)), CSTA_BODY),
  msg('NOTIFY sip:000413aabbcc@127.0.0.1 SIP/2.0', base('NOTIFY', 6, ['Event: uaCSTA', 'Subscription-State: active', 'c: application/csta+xml']), CSTA_BODY),
  msg('MESSAGE sip:a@127.0.0.1 SIP/2.0', ['v: SIP/2.0/TCP 127.0.0.1;branch=z9hG4bK-c7', 'f: <sip:x@127.0.0.1>;tag=7', 't: sip:a@127.0.0.1', 'i: c7', 'CSeq: 1\r\n MESSAGE', 'k: path, outbound', 'c: text/plain'], 'Grüße'),
  msg('OPTIONS sip:127.0.0.1 SIP/2.0', base('OPTIONS', 8, ['Accept: application/sdp, application/csta+xml'])),
  msg('ACK sip:000413aabbcc@127.0.0.1 SIP/2.0', base('ACK', 9).map((h) => (h.startsWith('CSeq') ? 'CSeq: 5 ACK' : h))),
  msg('BYE sip:000413aabbcc@127.0.0.1 SIP/2.0', base('BYE', 10, ['Route: <sip:127.0.0.1:5060;lr>, <sip:127.0.0.2;lr>', 'Record-Route: <sip:p1;lr>']).map((h) => (h.startsWith('To:') ? `${h};tag=p10` : h))),
  msg('SIP/2.0 200 OK', base('INVITE', 11, ['Contact: <sip:000413aabbcc@127.0.0.2:5060>', 'Content-Type: application/csta+xml']).map((h) => (h.startsWith('To:') ? `${h};tag=p11` : h)), CSTA_BODY),
  msg('SIP/2.0 401 Unauthorized', base('REGISTER', 12, ['WWW-Authenticate: Digest realm="uacsta", nonce="abc", algorithm=SHA-256, qop="auth"'])),
];

const GARBAGE = ['', ' ', ':', ';', '<', '>', '"', ',', '\t', '=', 'sip:', '@', '\u0000', 'ä', '%', '999999999999', '-1', 'z9hG4bK', ';tag=', '<sip:a@b', 'SIP/2.0'];

function pick<T>(r: () => number, a: readonly T[]): T {
  return a[Math.floor(r() * a.length)];
}

/** Changes whole lines: what a buggy or hostile SIP peer writes, mostly still framed by CRLFs. */
export function lineMutation(r: () => number, src: string): string {
  const cut = src.indexOf('\r\n\r\n');
  const lines = src.slice(0, cut).split('\r\n');
  let body = src.slice(cut + 4);
  const n = 1 + Math.floor(r() * 3);
  for (let k = 0; k < n; k++) {
    const i = Math.floor(r() * lines.length);
    switch (Math.floor(r() * 12)) {
      case 0: lines.splice(Math.max(1, i), 1); break;
      case 1: lines.splice(i + 1, 0, lines[i]); break;
      case 2: lines[i] = lines[i].replace(/:.*/, `: ${pick(r, GARBAGE)}${pick(r, GARBAGE)}`); break;
      case 3: lines[i] = lines[i].slice(0, Math.floor(r() * lines[i].length)); break;
      case 4: lines.splice(i + 1, 0, ` ${pick(r, GARBAGE)}folded`); break;
      case 5: lines[i] = lines[i].replace(/^([^:]+):/, (_m, name: string) => `${r() < 0.5 ? name.toLowerCase() : name[0]}:`); break;
      case 6: lines[0] = pick(r, ['INVITE sip:x SIP/2.0', 'FOO bar SIP/2.0', 'SIP/2.0 999 X', 'SIP/2.0 099 Low', 'INFO sip:a@b SIP/9.9', 'INFO sip:a@b:0x SIP/2.0', 'GET / HTTP/1.1', '', ' INFO sip:a@b SIP/2.0']); break;
      case 7: {
        const j = lines.findIndex((l) => /^(Content-Length|l):/i.test(l));
        if (j >= 0) lines[j] = `Content-Length: ${pick(r, ['0', '1', '5', String(Buffer.byteLength(body) + 3), '-1', 'abc', '99999999', ' 12'])}`;
        break;
      }
      case 8: body = body.slice(0, Math.floor(r() * body.length)) + pick(r, GARBAGE); break;
      case 9: lines.splice(i, 0, `X-Long: ${'x'.repeat(Math.floor(r() * 3000))}`); break;
      case 10: lines[i] = lines[i].replace(/[0-9]/g, () => String(Math.floor(r() * 10))); break;
      default: lines[i] = lines[i].replace(/;tag=[^;]*/, '').replace(/;branch=[^;]*/, ';branch=');
    }
  }
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** One fuzz input: a line mutation, a byte mutation, random bytes, or an untouched message (in that mix). */
export function fuzzInput(r: () => number, i: number): Buffer {
  const src = sipCorpus[i % sipCorpus.length];
  const kind = r();
  if (kind < 0.55) return Buffer.from(lineMutation(r, src));
  if (kind < 0.85) return Buffer.from(byteMutation(r, Buffer.from(src)));
  if (kind < 0.95) return Buffer.from(Array.from({ length: 1 + Math.floor(r() * 200) }, () => Math.floor(r() * 256)));
  return Buffer.from(src);
}
