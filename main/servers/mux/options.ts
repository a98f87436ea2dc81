// Multiplexer settings with their defaults, and the TLS credential check done before anything listens.
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { LoginGuardOptions } from './login-guard';
import { causeProblem, type Coded } from '../../../shared/problems';

export interface MuxOptions {
  pbx: { host: string; port: number; login?: { user: string; password: string } };
  /** Interface to listen on (default 127.0.0.1: applications on this computer only; 0.0.0.0 for all). */
  bind?: string;
  /** Plain TCP port (default 33333; 0 = any free port). */
  tcpPort?: number;
  /** TLS port and credentials: PEM cert + key, or a PFX (with passphrase). Buffers or file paths. */
  tls?: { port: number; cert?: string | Buffer; key?: string | Buffer; pfx?: string | Buffer; passphrase?: string };
  /** Require the login on TCP too (always required on TLS). */
  requireLogin?: boolean;
  /** The login applications send (default admin/admin). */
  login?: { user: string; password: string };
  /** CTI applications served at once (default 1000). */
  maxApplications?: number;
  /** Requests of one application waiting for an answer before its next one is refused at once (default 256). */
  maxOutstandingPerApplication?: number;
  /** SystemStatus keep-alive to each logged-in application (default 30000 ms; 0 = off). */
  applicationKeepAliveMs?: number;
  /** Time an application has to answer that keep-alive before it is disconnected (default 10000 ms). */
  applicationKeepAliveTimeoutMs?: number;
  /** Failed logins per source address: growing wait, then lockout (defaults in login-guard.ts). */
  loginGuard?: LoginGuardOptions;
  /** Bytes queued for one application before it counts as stalled and is disconnected (default 1 MiB). */
  maxBufferedBytes?: number;
  /** Time an application has to acknowledge a CDR report (default 10000 ms). */
  cdrAckTimeoutMs?: number;
  /** Time an application has to send its AARQ after connecting (default 10000 ms). */
  loginTimeoutMs?: number;
  /** Requests unanswered by the PBX this long are failed back to the application (default 30000 ms). */
  requestTimeoutMs?: number;
  /** SystemStatus keep-alive towards the PBX (default 20000 ms; 0 = off). */
  keepAliveMs?: number;
  /** Upstream reconnect delays. */
  reconnectMs?: number;
  maxReconnectMs?: number;
  /** Minimum spacing of status notifications (default 200 ms). */
  statusIntervalMs?: number;
  logger?: MuxLogger;
}

/** Every entry is coded (`logMux.*`), so the console words it in the admin's language; `message` is the file's English. */
export interface MuxLogger {
  error(entry: Coded): void;
  warn(entry: Coded): void;
  info(entry: Coded): void;
  debug(entry: Coded): void;
}

/** A socket error's code (ECONNRESET …) as the coded cause a log entry names. */
export function causeOf(e: NodeJS.ErrnoException): Coded {
  return causeProblem(e.code ?? 'EUNKNOWN');
}

export const DEFAULT_TCP_PORT = 33333;
export const DEFAULT_TLS_PORT = 33334;
export const DEFAULT_LOGIN = { user: 'admin', password: 'admin' } as const;
export const DEFAULT_MAX_APPLICATIONS = 1000;
export const DEFAULT_BIND = '127.0.0.1';
export const DEFAULT_MAX_OUTSTANDING = 256;
export const DEFAULT_APPLICATION_KEEP_ALIVE_MS = 30_000;
export const DEFAULT_APPLICATION_KEEP_ALIVE_TIMEOUT_MS = 10_000;

export class MuxStartError extends Error {
  constructor(
    readonly code: 'MUX_PORT_IN_USE' | 'MUX_LISTEN_FAILED' | 'MUX_CERTIFICATE_INVALID' | 'MUX_OPTIONS_INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'MuxStartError';
  }
}

function load(v: string | Buffer, what: string): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v.includes('-----BEGIN')) return Buffer.from(v);
  try {
    return readFileSync(v);
  } catch (e) {
    throw new MuxStartError('MUX_CERTIFICATE_INVALID', `cannot read the ${what} ${v}: ${(e as Error).message}`);
  }
}

/**
 * Loads and checks the TLS credentials: the key must match the certificate, and a PEM certificate must be inside
 * its validity period. Throws MuxStartError('MUX_CERTIFICATE_INVALID') with the reason.
 */
export function loadTlsCredentials(tls: NonNullable<MuxOptions['tls']>, now = new Date()): SecureContextOptions {
  let ctx: SecureContextOptions;
  if (tls.pfx !== undefined || (tls.cert !== undefined && tls.key === undefined)) {
    ctx = { pfx: load((tls.pfx ?? tls.cert)!, 'PFX file'), passphrase: tls.passphrase };
  } else {
    if (tls.cert === undefined || tls.key === undefined) throw new MuxStartError('MUX_CERTIFICATE_INVALID', 'TLS needs a certificate and its private key');
    ctx = { cert: load(tls.cert, 'certificate'), key: load(tls.key, 'private key'), passphrase: tls.passphrase };
  }
  try {
    createSecureContext(ctx);
  } catch (e) {
    throw new MuxStartError('MUX_CERTIFICATE_INVALID', `the TLS certificate or key is not usable: ${(e as Error).message}`);
  }
  if (ctx.cert) {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(ctx.cert as Buffer);
    } catch (e) {
      throw new MuxStartError('MUX_CERTIFICATE_INVALID', `the TLS certificate cannot be read: ${(e as Error).message}`);
    }
    const from = new Date(cert.validFrom);
    const to = new Date(cert.validTo);
    if (now < from) throw new MuxStartError('MUX_CERTIFICATE_INVALID', `the TLS certificate for ${cert.subject.replace(/\n/g, ', ')} is not valid before ${from.toISOString()}`);
    if (now > to) throw new MuxStartError('MUX_CERTIFICATE_INVALID', `the TLS certificate for ${cert.subject.replace(/\n/g, ', ')} expired on ${to.toISOString()}`);
  }
  return ctx;
}
