import { existsSync, readFileSync } from 'node:fs';

/**
 * The vendor's Ed25519 public keys (SPKI PEM) that licence keys are checked against; several, so a key can be
 * rotated. The release build puts the vendor's production key here: it is configuration, not code, and its
 * private half never enters this repository. Empty in development, where keys come from the environment.
 */
export const PRODUCTION_PUBLIC_KEYS: readonly string[] = [];

/** An extra public key: PEM text or the path of a PEM file. For development, tests and vendor evaluation builds. */
export const PUBLIC_KEY_ENV = 'LINEKEEPER_LICENCE_PUBLIC_KEY';

export function configuredPublicKeys(env: NodeJS.ProcessEnv = process.env): string[] {
  const extra = env[PUBLIC_KEY_ENV]?.trim();
  if (!extra) return [...PRODUCTION_PUBLIC_KEYS];
  const pem = extra.includes('-----BEGIN') ? extra : existsSync(extra) ? readFileSync(extra, 'utf8') : undefined;
  if (pem === undefined) throw new Error(`${PUBLIC_KEY_ENV} is neither a PEM public key nor the path of an existing file: ${extra}`);
  return [...PRODUCTION_PUBLIC_KEYS, pem];
}
