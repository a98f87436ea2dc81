import { describe, expect, it } from 'vitest';
import { createServer, connect } from 'node:net';
import { classifyNetworkError, connectTimedOut, normaliseFingerprint } from './network-errors';

const at = { host: 'pbx.example', port: 33333 };
const err = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('network error classification', () => {
  it('gives each socket error the cause the admin can act on, with host, port and the error code', () => {
    const cases: Array<[string, boolean, string]> = [
      ['ENOTFOUND', false, 'NAME_NOT_RESOLVED'],
      ['EAI_AGAIN', false, 'NAME_NOT_RESOLVED'],
      ['ECONNREFUSED', false, 'CONNECT_REFUSED'],
      ['ETIMEDOUT', false, 'CONNECT_TIMEOUT'],
      ['EHOSTUNREACH', false, 'HOST_UNREACHABLE'],
      ['ENETUNREACH', false, 'HOST_UNREACHABLE'],
      ['ECONNRESET', false, 'LINK_LOST'],
      ['ECONNRESET', true, 'TLS_FAILED'],
      ['DEPTH_ZERO_SELF_SIGNED_CERT', false, 'TLS_FAILED'],
      ['ERR_TLS_CERT_ALTNAME_INVALID', true, 'TLS_FAILED'],
      ['EPIPE', false, 'LINK_LOST'],
    ];
    for (const [code, tls, want] of cases) {
      const f = classifyNetworkError(err(code), { ...at, tls });
      expect(f.code, code).toBe(want);
      expect(f.params, code).toEqual({ host: 'pbx.example', port: 33333, cause: code });
      expect(f.message, code).toContain(want === 'NAME_NOT_RESOLVED' ? '"pbx.example"' : 'pbx.example:33333');
    }
    expect(classifyNetworkError(Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED', reason: 'certificate has expired' }), at).message).toBe('TLS to pbx.example:33333 failed: certificate has expired (CERT_HAS_EXPIRED)');
    expect(connectTimedOut(at, 300)).toMatchObject({ code: 'CONNECT_TIMEOUT', message: 'connecting to pbx.example:33333 timed out after 300 ms', params: { host: 'pbx.example', port: 33333 } });
  });

  it('reads a real refused connection as CONNECT_REFUSED', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    const port = (s.address() as { port: number }).port;
    await new Promise((r) => s.close(r));
    const e = await new Promise<Error>((resolve) => connect({ host: '127.0.0.1', port }).once('error', resolve));
    expect(classifyNetworkError(e, { host: '127.0.0.1', port }).code).toBe('CONNECT_REFUSED');
  });

  it('writes a fingerprint in one form whatever form it came in', () => {
    expect(normaliseFingerprint('aabbcc')).toBe('AA:BB:CC');
    expect(normaliseFingerprint('AA:bb:Cc')).toBe('AA:BB:CC');
    expect(normaliseFingerprint(' aa bb-cc ')).toBe('AA:BB:CC');
  });
});
