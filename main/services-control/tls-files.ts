// The multiplexer service's TLS certificate: checked when the console sends it, kept in files main names inside
// the shared data directory, and described back without a path.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { ApiFailure } from '../../shared/api/errors';
import type { ServiceTlsErrorCode, StoredCertificate } from '../../shared/api/services';
import { makePrivateDir, privateModes, writeFileAtomic } from '../store';

/** The only names the settings document may hold; the service's command line points to them. */
export const MUX_TLS_FILES = { cert: 'mux-tls-cert.pem', key: 'mux-tls-key.pem', pfx: 'mux-tls.pfx' } as const;
/** The uaCSTA server's certificate (PEM only: `linekeeper uacsta` takes no PFX). */
export const UACSTA_TLS_FILES = { cert: 'uacsta-tls-cert.pem', key: 'uacsta-tls-key.pem' } as const;

/** One service's file names: PEM certificate and key, and a PFX where the server takes one. */
export interface TlsFileNames {
  cert: string;
  key: string;
  pfx?: string;
}

/** Where the services' files live in a data directory (created private when first needed). */
export function servicesFilesDir(dataDir: string): string {
  return join(dataDir, 'services');
}

export interface CheckedCertificate {
  format: 'pem' | 'pfx';
  cert: Buffer;
  key?: Buffer;
}

const refuse = (code: ServiceTlsErrorCode, message: string, params: Record<string, string> = {}): never => {
  throw new ApiFailure(code, message, params);
};

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Checks what the console sent: a PEM certificate with its PEM private key (they must belong together and the
 * certificate be valid now, as the multiplexer checks at start), or a PFX as base64 that opens without a password.
 * Anything else, a file name included, is refused with a SERVICE_TLS_* code; nothing is ever read from a path.
 */
export function checkMuxCertificate(cert: string, key: string | undefined, now = new Date()): CheckedCertificate {
  if (!cert.includes('-----BEGIN')) {
    const compact = cert.replace(/\s+/g, '');
    if (!BASE64.test(compact) || compact.length % 4 !== 0) refuse('SERVICE_TLS_CERT_UNREADABLE', 'the certificate is neither PEM text nor a PFX file (base64)');
    if (key !== undefined) refuse('SERVICE_TLS_KEY_WITH_PFX', 'a PFX file holds its own key; send no separate key with it');
    const pfx = Buffer.from(compact, 'base64');
    try {
      createSecureContext({ pfx });
    } catch (e) {
      refuse('SERVICE_TLS_CERT_UNREADABLE', `the PFX file cannot be opened without a password: ${(e as Error).message}`);
    }
    return { format: 'pfx', cert: pfx };
  }
  if (key === undefined) return refuse('SERVICE_TLS_KEY_MISSING', 'a PEM certificate needs its private key');
  let x509: X509Certificate | undefined;
  try {
    x509 = new X509Certificate(cert);
  } catch (e) {
    refuse('SERVICE_TLS_CERT_UNREADABLE', `the PEM certificate cannot be read: ${(e as Error).message}`);
  }
  let privateKey: KeyObject | undefined;
  try {
    if (!key.includes('-----BEGIN')) throw new Error('not PEM text');
    privateKey = createPrivateKey(key);
  } catch (e) {
    refuse('SERVICE_TLS_KEY_UNREADABLE', `the private key cannot be read (PEM without a password expected): ${(e as Error).message}`);
  }
  if (!x509!.checkPrivateKey(privateKey!)) refuse('SERVICE_TLS_KEY_MISMATCH', 'the private key does not belong to the certificate');
  const validFrom = new Date(x509!.validFrom);
  const validTo = new Date(x509!.validTo);
  if (now < validFrom || now > validTo) {
    refuse('SERVICE_TLS_CERT_NOT_VALID_NOW', `the certificate is valid from ${validFrom.toISOString()} to ${validTo.toISOString()} only`, { validFrom: validFrom.toISOString(), validTo: validTo.toISOString() });
  }
  return { format: 'pem', cert: Buffer.from(cert), key: Buffer.from(key) };
}

export interface StoredTlsFiles<N extends TlsFileNames = TlsFileNames> {
  certFile: N['cert'] | NonNullable<N['pfx']>;
  keyFile?: N['key'];
}

/**
 * Writes a checked certificate into the data directory, each file atomically and readable only by the user (or
 * the service group of a shared data directory, whose service account must read it). Key before certificate, so
 * that a certificate on disk never waits for its key.
 */
export async function writeMuxCertificate<N extends TlsFileNames = typeof MUX_TLS_FILES>(dataDir: string, checked: CheckedCertificate, names: N = MUX_TLS_FILES as unknown as N): Promise<StoredTlsFiles<N>> {
  const dir = servicesFilesDir(dataDir);
  const modes = privateModes(dataDir);
  makePrivateDir(dir, modes);
  if (checked.format === 'pfx') {
    if (!names.pfx) refuse('SERVICE_TLS_PFX_NOT_SUPPORTED', 'this server takes a PEM certificate with its PEM private key, not a PFX file');
    await writeFileAtomic(join(dir, names.pfx!), checked.cert, modes.file);
    return { certFile: names.pfx as NonNullable<N['pfx']> };
  }
  await writeFileAtomic(join(dir, names.key), checked.key!, modes.file);
  await writeFileAtomic(join(dir, names.cert), checked.cert, modes.file);
  return { certFile: names.cert, keyFile: names.key };
}

/** Removes the files of the other format once the settings point to the new certificate. */
export async function removeUnusedTlsFiles(dataDir: string, used: StoredTlsFiles, names: TlsFileNames = MUX_TLS_FILES): Promise<void> {
  const keep = new Set<string>([used.certFile, used.keyFile ?? '']);
  for (const name of Object.values(names)) {
    if (keep.has(name)) continue;
    await unlink(join(servicesFilesDir(dataDir), name)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }
}

/** What the console may know of the stored certificate; undefined when none is stored or its file is gone. */
export function describeStoredCertificate(dataDir: string, files: Partial<StoredTlsFiles>): StoredCertificate | undefined {
  if (!files.certFile) return undefined;
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(servicesFilesDir(dataDir), files.certFile));
  } catch {
    return undefined;
  }
  if (files.certFile.endsWith('.pfx')) return { format: 'pfx' };
  try {
    const x509 = new X509Certificate(bytes);
    return { format: 'pem', subject: x509.subject.replace(/\n/g, ', '), validTo: new Date(x509.validTo).toISOString() };
  } catch {
    return { format: 'pem' };
  }
}
