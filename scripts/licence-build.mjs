// Which licence public keys a build trusts. A release build carries the vendor's real key(s), given to the
// release pipeline as LINEKEEPER_VENDOR_PUBLIC_KEY (PEM text or a file), and trusts nothing from the environment
// at run time; any other build keeps the development key (main/engine/licences/public-keys.ts).
import { createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

export const VENDOR_KEY_ENV = 'LINEKEEPER_VENDOR_PUBLIC_KEY';

/** esbuild `define` entries for the build: none for a development build; the keys and the release mark for a release. */
export function licenceDefine({ release, env = process.env }) {
  if (!release) return {};
  const value = env[VENDOR_KEY_ENV]?.trim();
  if (!value) throw new Error(`a release build needs the vendor's licence public key: set ${VENDOR_KEY_ENV} to its PEM text or the path of its PEM file`);
  const text = value.includes('-----BEGIN') ? value : existsSync(value) ? readFileSync(value, 'utf8') : undefined;
  if (text === undefined) throw new Error(`${VENDOR_KEY_ENV} is neither PEM text nor the path of an existing file: ${value}`);
  const keys = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? [];
  if (keys.length === 0) throw new Error(`${VENDOR_KEY_ENV} holds no "BEGIN PUBLIC KEY" block`);
  for (const [i, pem] of keys.entries()) {
    let type;
    try {
      type = createPublicKey(pem).asymmetricKeyType;
    } catch (e) {
      throw new Error(`${VENDOR_KEY_ENV}: public key ${i + 1} cannot be read: ${e.message}`);
    }
    if (type !== 'ed25519') throw new Error(`${VENDOR_KEY_ENV}: public key ${i + 1} is ${type}, licence keys are checked with Ed25519`);
  }
  return { __LINEKEEPER_LICENCE_BUILD__: JSON.stringify({ release: true, keys: keys.map((k) => `${k}\n`) }) };
}
