// A throw-away self-signed certificate for TLS tests (openssl is on every machine the tests run on).
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  key: string;
  cert: string;
  keyPath: string;
  certPath: string;
  /** SHA-256 of the DER certificate, lower-case hex. */
  fingerprint256: string;
}

/** A certificate for `localhost` and 127.0.0.1 (and `name` first, when given), valid for a day. */
export function makeTestCert(name?: string): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'sip-cert-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', `/CN=${name ?? 'localhost'}`, '-addext', `subjectAltName=${name ? `DNS:${name},` : ''}DNS:localhost,IP:127.0.0.1`], { stdio: 'ignore' });
  const cert = readFileSync(certPath, 'utf8');
  return { key: readFileSync(keyPath, 'utf8'), cert, keyPath, certPath, fingerprint256: createHash('sha256').update(new X509Certificate(cert).raw).digest('hex') };
}
