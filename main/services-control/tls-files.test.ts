import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDocumentStore } from '../store';
import { checkMuxCertificate, describeStoredCertificate, removeUnusedTlsFiles, writeMuxCertificate } from './tls-files';
import { muxArguments, readMuxServiceSettings, MUX_SERVICE_DOC } from './settings';
import { makeTestCert } from '../protocols/sip/testing/certs';

const pfxOf = (c: { certPath: string; keyPath: string }, password: string) => {
  const out = join(mkdtempSync(join(tmpdir(), 'lk-pfx-')), 'mux.pfx');
  execFileSync('openssl', ['pkcs12', '-export', '-in', c.certPath, '-inkey', c.keyPath, '-out', out, '-passout', `pass:${password}`], { stdio: 'ignore' });
  return readFileSync(out).toString('base64');
};

describe('the multiplexer service’s certificate', () => {
  it('takes a PFX without a password as base64, and refuses one with a password or anything else', () => {
    const c = makeTestCert();
    expect(checkMuxCertificate(pfxOf(c, ''), undefined).format).toBe('pfx');
    expect(() => checkMuxCertificate(pfxOf(c, 'geheim'), undefined)).toThrow(expect.objectContaining({ code: 'SERVICE_TLS_CERT_UNREADABLE' }));
    expect(() => checkMuxCertificate('/etc/ssl/private/mux.pem', undefined)).toThrow(expect.objectContaining({ code: 'SERVICE_TLS_CERT_UNREADABLE' }));
    expect(() => checkMuxCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', c.key)).toThrow(expect.objectContaining({ code: 'SERVICE_TLS_CERT_UNREADABLE' }));
  });

  it('refuses a PEM certificate outside its validity period, saying when it is valid', () => {
    const c = makeTestCert();
    const later = new Date(Date.now() + 3 * 86_400_000);
    expect(() => checkMuxCertificate(c.cert, c.key, later)).toThrow(expect.objectContaining({ code: 'SERVICE_TLS_CERT_NOT_VALID_NOW', details: { validFrom: expect.any(String), validTo: expect.any(String) } }));
  });

  it('replacing PEM by PFX leaves only the PFX, and the command line points into the data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lk-tls-files-'));
    const c = makeTestCert();
    const pem = await writeMuxCertificate(dataDir, checkMuxCertificate(c.cert, c.key));
    expect(describeStoredCertificate(dataDir, pem)).toMatchObject({ format: 'pem', subject: 'CN=localhost' });
    const pfx = await writeMuxCertificate(dataDir, checkMuxCertificate(pfxOf(c, ''), undefined));
    await removeUnusedTlsFiles(dataDir, pfx);
    expect(readdirSync(join(dataDir, 'services'))).toEqual(['mux-tls.pfx']);
    expect(describeStoredCertificate(dataDir, pfx)).toEqual({ format: 'pfx' });
    const args = muxArguments({ pbxHost: 'pbx', pbxPort: 33333, tcpPort: 33333, bind: '127.0.0.1', requireLogin: false, tlsPort: 33334, ...pfx }, dataDir);
    expect(args.slice(args.indexOf('--tls-port'))).toEqual(['--tls-port', '33334', '--cert', join(dataDir, 'services', 'mux-tls.pfx')]);
  });

  it('settings saved with certificate paths (schema 1) load without them: TLS waits for a certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-svc-doc-'));
    const docs = openDocumentStore(dir);
    const v1 = { pbxHost: 'pbx', pbxPort: 33333, tcpPort: 33333, bind: '127.0.0.1', requireLogin: false, tlsPort: 33334, cert: '/etc/ssl/mux.pem', key: '/etc/ssl/mux.key' };
    writeFileSync(docs.fileOf(MUX_SERVICE_DOC), JSON.stringify({ kind: 'service-mux', schemaVersion: 1, savedAt: new Date().toISOString(), data: v1 }));
    const settings = await readMuxServiceSettings(docs);
    expect(settings).toEqual({ pbxHost: 'pbx', pbxPort: 33333, tcpPort: 33333, bind: '127.0.0.1', requireLogin: false, tlsPort: 33334 });
    expect(muxArguments(settings!, '/data')).not.toContain('--cert');
  });
});
