import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/**
 * A licence key is `LK1.<payload>.<signature>`, both parts base64url: the payload is JSON naming the product,
 * the key's ID and its line count; the signature is Ed25519 over `LK1.<payload>` made with the vendor's
 * private key. Only public keys ship with the product.
 */
const PREFIX = 'LK1';
export const PRODUCT = 'linekeeper';

const payloadSchema = z.object({
  product: z.literal(PRODUCT),
  id: z.string().min(1).max(64),
  lines: z.number().int().min(1).max(1_000_000),
  /** Day of issue, YYYY-MM-DD. */
  issued: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  licensee: z.string().max(200).optional(),
});
export type LicencePayload = z.infer<typeof payloadSchema>;

export const LicenceKeyErrorCodes = {
  malformed: 'LICENCE_KEY_MALFORMED',
  signature: 'LICENCE_KEY_SIGNATURE',
  duplicate: 'LICENCE_KEY_DUPLICATE',
  notFound: 'LICENCE_KEY_NOT_FOUND',
  noPublicKey: 'LICENCE_NO_PUBLIC_KEY',
} as const;

export type VerifiedKey = { ok: true; payload: LicencePayload } | { ok: false; code: string; reason: string };

export interface LicenceKeyPair {
  /** SPKI PEM; goes into the product's configuration. */
  publicKeyPem: string;
  /** PKCS#8 PEM; stays with the vendor. */
  privateKeyPem: string;
}

export function generateLicenceKeyPair(): LicenceKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** Signs a licence key (vendor side). */
export function issueLicenceKey(privateKeyPem: string, licence: { id: string; lines: number; issued?: string; licensee?: string }): string {
  const payload = payloadSchema.parse({
    product: PRODUCT,
    id: licence.id,
    lines: licence.lines,
    issued: licence.issued ?? new Date().toISOString().slice(0, 10),
    ...(licence.licensee ? { licensee: licence.licensee } : {}),
  });
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the private key is ${key.asymmetricKeyType}, not Ed25519`);
  const body = `${PREFIX}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${body}.${sign(null, Buffer.from(body), key).toString('base64url')}`;
}

/** Parses PEM public keys once; a key that is not Ed25519 is an error that names it. */
export function loadPublicKeys(pems: readonly string[]): KeyObject[] {
  return pems.map((pem, i) => {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`licence public key ${i + 1} is ${key.asymmetricKeyType}, not Ed25519`);
    return key;
  });
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/** Checks a key against the configured public keys (several, so the vendor can rotate keys). */
export function verifyLicenceKey(text: string, publicKeys: readonly KeyObject[]): VerifiedKey {
  // A key never holds white space; a key wrapped across lines in an e-mail still reads.
  const key = text.replace(/\s+/g, '');
  const parts = key.split('.');
  const malformed = (why: string): VerifiedKey => ({ ok: false, code: LicenceKeyErrorCodes.malformed, reason: `this is not a Linekeeper licence key: ${why}` });
  if (parts.length !== 3 || parts[0] !== PREFIX) return malformed(`a key looks like ${PREFIX}.<payload>.<signature>`);
  if (!B64URL.test(parts[1]) || !B64URL.test(parts[2])) return malformed('it contains characters a key never has (was it copied completely?)');
  const signature = Buffer.from(parts[2], 'base64url');
  if (signature.length !== 64) return malformed(`the signature has ${signature.length} bytes instead of 64 (was it copied completely?)`);
  if (!publicKeys.length) return { ok: false, code: LicenceKeyErrorCodes.noPublicKey, reason: 'no licence public key is configured, so no key can be checked' };
  const body = Buffer.from(`${parts[0]}.${parts[1]}`);
  if (!publicKeys.some((pk) => verify(null, body, pk, signature))) {
    return { ok: false, code: LicenceKeyErrorCodes.signature, reason: 'the signature does not match: the key was changed after it was issued, or it was not issued for this product' };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return malformed('its payload is not readable');
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) return malformed(`its payload is not a licence (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
  return { ok: true, payload: parsed.data };
}
