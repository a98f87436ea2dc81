import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness } from '../main/api/handlers/api-harness';
import type { Services } from '../main/app/services';

// Whoever can call the API (the console's page, or a page that got hold of the serve token) must not make main
// open a file it names. Lines have their own tests (main/api/handlers/lines-io.test.ts); this is the multiplexer's TLS.
let dir: string;
let certFile: string;
let keyFile: string;
let services: Services;
let dataDir: string;
let call: (method: string, input?: unknown) => Promise<any>;
let fail: (method: string, input: unknown) => Promise<any>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lk-api-files-'));
  certFile = join(dir, 'cert.pem');
  keyFile = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  const h = apiHarness('lk-api-files-');
  services = h.services;
  dataDir = h.dataDir;
  call = h.call;
  fail = h.fail;
});
afterAll(async () => {
  await services.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('the multiplexer started through the API', () => {
  it('does not open certificate or key files the caller names', async () => {
    const reply = await fail('mux.start', { pbxHost: '127.0.0.1', pbxPort: 1, tcpPort: 0, tlsPort: 0, bind: '127.0.0.1', cert: certFile, key: keyFile });
    expect(reply).toMatchObject({ code: 'MUX_CERTIFICATE_INVALID' });
    expect(JSON.stringify(reply)).not.toContain('BEGIN');
  });

  it('takes the certificate and key as PEM text and serves TLS with them', async () => {
    const status = await call('mux.start', { pbxHost: '127.0.0.1', pbxPort: 1, tcpPort: 0, tlsPort: 0, bind: '127.0.0.1', cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') });
    const port = status.listening.tlsPort as number;
    const peer = await new Promise<string>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
        resolve(s.getPeerCertificate().subject.CN as string);
        s.destroy();
      });
      s.on('error', reject);
    });
    expect(peer).toBe('localhost');
    await call('mux.stop');
  });
});

describe('the multiplexer service settings', () => {
  it('refuse a certificate or key given as a path, and never read that file', async () => {
    const before = (await call('services.list'))[0].settings;
    // The files hold a good certificate and key: had main opened them, these settings would have been saved.
    for (const [cert, key] of [
      [certFile, keyFile],
      [certFile, undefined],
      ['C:\\certs\\mux.pfx', undefined],
    ]) {
      const reply = await fail('services.setSettings', { name: 'mux', settings: { pbxHost: '127.0.0.1', tlsPort: 33334, cert, ...(key && { key }) } });
      expect(reply).toMatchObject({ code: 'SERVICE_TLS_CERT_UNREADABLE' });
      expect(JSON.stringify(reply)).not.toContain('BEGIN');
    }
    const keyAsPath = await fail('services.setSettings', { name: 'mux', settings: { pbxHost: '127.0.0.1', tlsPort: 33334, cert: readFileSync(certFile, 'utf8'), key: keyFile } });
    expect(keyAsPath).toMatchObject({ code: 'SERVICE_TLS_KEY_UNREADABLE' });
    expect(JSON.stringify(keyAsPath)).not.toContain('PRIVATE KEY');
    const [mux] = await call('services.list');
    expect(mux.settings).toEqual(before);
    expect(mux.settings?.certificate).toBeUndefined();
    expect(existsSync(join(dataDir, 'services')) ? readdirSync(join(dataDir, 'services')) : []).toEqual([]);
  });
});
