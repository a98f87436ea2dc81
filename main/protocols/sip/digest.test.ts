import { describe, expect, it } from 'vitest';
import { authorize, DigestServer, formatChallenge, parseChallenge, parseDigestParams } from './digest';

describe('digest authentication', () => {
  it('computes the RFC 7616 §3.9.1 example responses for MD5 and SHA-256', () => {
    // The RFC's example (HTTP GET); SIP uses the same computation with the SIP method and Request-URI.
    const base = { realm: 'http-auth@example.org', nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', qop: ['auth'], opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS' };
    const a = { user: 'Mufasa', password: 'Circle of Life', method: 'GET', uri: '/dir/index.html', nc: 1, cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ' };
    expect(parseDigestParams(authorize({ ...base, algorithm: 'MD5' }, a))?.response).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(parseDigestParams(authorize({ ...base, algorithm: 'SHA-256' }, a))?.response).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it('reads and writes challenges', () => {
    const c = parseChallenge('Digest realm="uacsta", nonce="abc", algorithm=SHA-256, qop="auth,auth-int", stale=TRUE, opaque="o"');
    expect(c).toEqual({ realm: 'uacsta', nonce: 'abc', algorithm: 'SHA-256', qop: ['auth', 'auth-int'], stale: true, opaque: 'o' });
    expect(parseChallenge(formatChallenge(c!))).toEqual(c);
    expect(parseChallenge('Basic realm="x"')).toBeUndefined();
    expect(parseChallenge('Digest realm="x", nonce="n", algorithm=SHA-512-256')).toBeUndefined();
  });

  it('accepts the right password with either algorithm and refuses a wrong one', () => {
    const server = new DigestServer({ realm: 'uacsta' });
    const passwords: Record<string, string> = { '000413aabbcc': 's3cret' };
    const challenges = server.challenges().map((v) => parseChallenge(v)!);
    expect(challenges.map((c) => c.algorithm)).toEqual(['SHA-256', 'MD5']);
    for (const c of challenges) {
      const ok = authorize(c, { user: '000413aabbcc', password: 's3cret', method: 'REGISTER', uri: 'sip:127.0.0.1' });
      expect(server.check([ok], 'REGISTER', (u) => passwords[u])).toEqual({ ok: true, user: '000413aabbcc' });
      const wrong = authorize(c, { user: '000413aabbcc', password: 'guess', method: 'REGISTER', uri: 'sip:127.0.0.1' });
      expect(server.check([wrong], 'REGISTER', (u) => passwords[u])).toMatchObject({ ok: false, reason: 'wrong-response', user: '000413aabbcc' });
      // the answer is bound to the method
      expect(server.check([ok], 'INVITE', (u) => passwords[u])).toMatchObject({ ok: false, reason: 'wrong-response' });
    }
    expect(server.check([], 'REGISTER', () => 'x')).toMatchObject({ ok: false, reason: 'missing' });
    const stranger = authorize(challenges[0], { user: 'nobody', password: 'x', method: 'REGISTER', uri: 'sip:h' });
    expect(server.check([stranger], 'REGISTER', (u) => passwords[u])).toMatchObject({ ok: false, reason: 'unknown-user' });
  });

  it('refuses a nonce it did not issue', () => {
    const server = new DigestServer({ realm: 'r' });
    const other = new DigestServer({ realm: 'r' });
    const forged = authorize(parseChallenge(other.challenges()[0])!, { user: 'u', password: 'p', method: 'REGISTER', uri: 'sip:h' });
    expect(server.check([forged], 'REGISTER', () => 'p')).toMatchObject({ ok: false, reason: 'bad-nonce' });
  });

  it('answers the right password with an expired nonce by a fresh challenge with stale=true', () => {
    let now = 1_000_000;
    const server = new DigestServer({ realm: 'r', nonceTtlMs: 60_000, now: () => now });
    const c = parseChallenge(server.challenges()[0])!;
    const auth = authorize(c, { user: 'u', password: 'p', method: 'REGISTER', uri: 'sip:h' });
    now += 59_000;
    expect(server.check([auth], 'REGISTER', () => 'p').ok).toBe(true);
    now += 2_000;
    const r = server.check([auth], 'REGISTER', () => 'p');
    expect(r).toMatchObject({ ok: false, reason: 'stale' });
    expect(parseChallenge((r as { challenges: string[] }).challenges[0])).toMatchObject({ stale: true });
    // a wrong password with an expired nonce is not stale: the user must be asked
    const wrong = authorize(c, { user: 'u', password: 'x', method: 'REGISTER', uri: 'sip:h' });
    expect(server.check([wrong], 'REGISTER', () => 'p')).toMatchObject({ ok: false, reason: 'wrong-response' });
  });
});
