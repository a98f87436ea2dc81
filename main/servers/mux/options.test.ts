import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTlsCredentials, MuxStartError } from './options';

function selfSigned(): { cert: string; key: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lk-mux-opt-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=mux.example'], { stdio: 'ignore' });
  return { cert, key, dir };
}

describe('TLS certificate check at start', () => {
  const pem = selfSigned();

  it('accepts a certificate and key given as files, and as a PFX', () => {
    expect(loadTlsCredentials({ port: 0, cert: pem.cert, key: pem.key }).cert).toBeInstanceOf(Buffer);
    const pfx = join(pem.dir, 'both.pfx');
    execFileSync('openssl', ['pkcs12', '-export', '-in', pem.cert, '-inkey', pem.key, '-out', pfx, '-passout', 'pass:pw'], { stdio: 'ignore' });
    expect(loadTlsCredentials({ port: 0, pfx, passphrase: 'pw' }).pfx).toBeInstanceOf(Buffer);
    expect(() => loadTlsCredentials({ port: 0, pfx, passphrase: 'wrong' })).toThrow(MuxStartError);
  });

  it('refuses an expired or not yet valid certificate, naming its subject and date', () => {
    const later = new Date(Date.now() + 10 * 86400_000);
    expect(() => loadTlsCredentials({ port: 0, cert: pem.cert, key: pem.key }, later)).toThrow(/CN=mux\.example expired on/);
    const earlier = new Date(Date.now() - 10 * 86400_000);
    expect(() => loadTlsCredentials({ port: 0, cert: pem.cert, key: pem.key }, earlier)).toThrow(/is not valid before/);
  });

  it('refuses a missing file with its path', () => {
    expect(() => loadTlsCredentials({ port: 0, cert: '/nonexistent/cert.pem', key: pem.key })).toThrow(/\/nonexistent\/cert\.pem/);
  });
});
