// The manual's rule for TLS: the certificate must be issued to the computer name. The server checks it at start
// (readable, matching its key, in its validity period, issued to the name) and refuses with a coded problem.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { coded, type Coded } from '../../../shared/problems';

/** Undefined when the certificate is fine for `computerName` at `now`; else why not. */
export function checkCertificate(pem: { cert: string | Buffer; key: string | Buffer }, computerName: string, now: Date): Coded | undefined {
  let x: X509Certificate;
  try {
    x = new X509Certificate(pem.cert);
  } catch (e) {
    return coded('uacsta.certificateUnreadable', { cause: (e as Error).message });
  }
  try {
    if (!x.checkPrivateKey(createPrivateKey(pem.key))) return coded('uacsta.certificateKeyMismatch', { subject: x.subject.replace(/\n/g, ', ') });
  } catch (e) {
    return coded('uacsta.certificateUnreadable', { cause: `the key: ${(e as Error).message}` });
  }
  if (now.getTime() < Date.parse(x.validFrom)) return coded('uacsta.certificateNotYetValid', { validFrom: new Date(x.validFrom).toISOString() });
  if (now.getTime() > Date.parse(x.validTo)) return coded('uacsta.certificateExpired', { validTo: new Date(x.validTo).toISOString() });
  const issuedTo = isIP(computerName) ? x.checkIP(computerName) : x.checkHost(computerName, { subject: 'default' });
  if (issuedTo === undefined) {
    return coded('uacsta.certificateWrongName', { computerName, subject: (x.subjectAltName ?? x.subject).replace(/\n/g, ', ') });
  }
  return undefined;
}
