// One reading of network failures for every driver: socket and TLS errors become the causes "test connection"
// shows (name not resolved, refused, timed out, unreachable, TLS with its reason and the certificate's
// fingerprint), each naming host and port, with the same facts in `params`.
import { connect as tlsConnect } from 'node:tls';
import { DriverErrorCodes as E, DriverFailure } from '../driver';

export interface Endpoint {
  host: string;
  port: number;
  tls?: boolean;
  /** How long the fingerprint read may take (default 5000 ms). */
  connectTimeoutMs?: number;
}

function where(o: Endpoint): string {
  return `${o.host}:${o.port}`;
}

function failure(code: string, message: string, o: Endpoint, cause?: string, fingerprint?: string): DriverFailure {
  return new DriverFailure(code, message, fingerprint, { host: o.host, port: o.port, ...(cause ? { cause } : {}) });
}

/** Turns a socket or TLS error into one of the causes the admin can act on. */
export function classifyNetworkError(e: Error & { code?: string; reason?: string }, o: Endpoint): DriverFailure {
  const at = where(o);
  const code = e.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return failure(E.nameNotResolved, `the host name "${o.host}" could not be resolved (${code}); port ${o.port}`, o, code);
  if (code === 'ECONNREFUSED') return failure(E.refused, `${at} refused the connection: nothing listens on that port, or a firewall rejects it`, o, code);
  if (code === 'ETIMEDOUT') return failure(E.timedOut, `connecting to ${at} timed out`, o, code);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return failure(E.unreachable, `${at} cannot be reached (${code})`, o, code);
  if (code === 'ECONNRESET' && o.tls) return failure(E.tls, `TLS to ${at} failed: the server closed the connection during the handshake (is it a TLS port?)`, o, code);
  if (code === 'ECONNRESET') return failure(E.linkLost, `${at} reset the connection`, o, code);
  if (o.tls || /CERT|TLS|SSL|SELF_SIGNED|HOSTNAME|ALTNAME/i.test(code)) return failure(E.tls, `TLS to ${at} failed: ${e.reason ?? e.message}${code ? ` (${code})` : ''}`, o, code || undefined);
  return failure(E.linkLost, `connection to ${at} failed: ${e.message}`, o, code || undefined);
}

/** Our own connect timer ran out before the socket opened. */
export function connectTimedOut(o: Endpoint, ms: number): DriverFailure {
  return failure(E.timedOut, `connecting to ${where(o)} timed out after ${ms} ms`, o);
}

/**
 * A network error while connecting; for a certificate the chain check refused, the server certificate's
 * fingerprint is read with a second handshake, so the admin can accept that certificate.
 */
export async function connectFailure(e: Error & { code?: string; reason?: string }, o: Endpoint): Promise<DriverFailure> {
  const f = classifyNetworkError(e, o);
  if (f.code !== E.tls) return f;
  const got = await peerFingerprint(o);
  return failure(E.tls, `TLS to ${where(o)} failed: the certificate was not accepted (${e.code ?? e.message})${got ? `; fingerprint ${got}` : ''}`, o, e.code, got);
}

/** The certificate is not the one accepted for this connection. */
export async function pinMismatch(o: Endpoint, accepted: string): Promise<DriverFailure> {
  const got = await peerFingerprint(o);
  return failure(E.tls, `TLS to ${where(o)} failed: the certificate's fingerprint ${got ?? 'unknown'} is not the accepted ${normaliseFingerprint(accepted)}`, o, 'FINGERPRINT_MISMATCH', got);
}

/** The server certificate's SHA-256 fingerprint, read without trusting it, so the admin can accept it. */
export function peerFingerprint(o: Endpoint): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = tlsConnect({ host: o.host, port: o.port, servername: /^[\d.]+$/.test(o.host) || o.host.includes(':') ? undefined : o.host, rejectUnauthorized: false });
    const done = (fp?: string) => {
      clearTimeout(t);
      s.destroy();
      resolve(fp);
    };
    const t = setTimeout(() => done(), o.connectTimeoutMs ?? 5000);
    s.once('secureConnect', () => done(normaliseFingerprint(s.getPeerCertificate().fingerprint256 ?? '') || undefined));
    s.once('error', () => done());
  });
}

/** "aabb…" or "AA:BB:…" as "AA:BB:…". */
export function normaliseFingerprint(f: string): string {
  return f.replace(/[^0-9a-fA-F]/g, '').toUpperCase().replace(/(..)(?!$)/g, '$1:');
}
