import { existsSync, readFileSync } from 'node:fs';

/**
 * The vendor's Ed25519 public keys (SPKI PEM) that licence keys are checked against, as the build decided:
 * `scripts/build.mjs --release` puts the real key(s) in (from LINEKEEPER_VENDOR_PUBLIC_KEY, docs/release.md) and
 * marks the build a release; every other build, and the sources run through tsx or Vitest, has the development
 * key below, whose private half is `testing/development-vendor.key` in this repository.
 */
declare const __LINEKEEPER_LICENCE_BUILD__: { release: boolean; keys: string[] } | undefined;

/** The development build's key: licences for trying and testing, issued with testing/development-vendor.key. */
export const DEVELOPMENT_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAE4/z8yWFRAm/IOz5TpeG2+su4bmwBC6q8n2vWJQY63E=
-----END PUBLIC KEY-----
`;

export interface LicenceBuild {
  /** A release build trusts its built-in keys only. */
  release: boolean;
  keys: readonly string[];
}

export const LICENCE_BUILD: LicenceBuild = typeof __LINEKEEPER_LICENCE_BUILD__ !== 'undefined' ? __LINEKEEPER_LICENCE_BUILD__ : { release: false, keys: [DEVELOPMENT_PUBLIC_KEY] };

/** An extra public key: PEM text or the path of a PEM file. Development and test builds only; a release ignores it. */
export const PUBLIC_KEY_ENV = 'LINEKEEPER_LICENCE_PUBLIC_KEY';

export function configuredPublicKeys(env: NodeJS.ProcessEnv = process.env, build: LicenceBuild = LICENCE_BUILD): string[] {
  const extra = env[PUBLIC_KEY_ENV]?.trim();
  // A release never takes a key from the environment: anyone could otherwise sign their own licences.
  if (build.release || !extra) return [...build.keys];
  const pem = extra.includes('-----BEGIN') ? extra : existsSync(extra) ? readFileSync(extra, 'utf8') : undefined;
  if (pem === undefined) throw new Error(`${PUBLIC_KEY_ENV} is neither a PEM public key nor the path of an existing file: ${extra}`);
  return [...build.keys, pem];
}
