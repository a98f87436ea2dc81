import { describe, expect, it } from 'vitest';
import { generateLicenceKeyPair, issueLicenceKey, loadPublicKeys, verifyLicenceKey } from './licence-key';

const vendor = generateLicenceKeyPair();
const other = generateLicenceKeyPair();
const publicKeys = loadPublicKeys([vendor.publicKeyPem]);

describe('licence keys', () => {
  it('a key issued with the vendor private key verifies and carries its ID and line count', () => {
    const key = issueLicenceKey(vendor.privateKeyPem, { id: 'K-1001', lines: 50, issued: '2026-11-01', licensee: 'ACME GmbH' });
    expect(key).toMatch(/^LK1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyLicenceKey(`  ${key.slice(0, 50)}\n  ${key.slice(50)}\n`, publicKeys)).toEqual({ ok: true, payload: { product: 'linekeeper', id: 'K-1001', lines: 50, issued: '2026-11-01', licensee: 'ACME GmbH' } });
  });

  it('a key whose line count was edited is refused as tampered', () => {
    const key = issueLicenceKey(vendor.privateKeyPem, { id: 'K-1', lines: 5 });
    const [prefix, payload, sig] = key.split('.');
    const edited = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('"lines":5', '"lines":500')).toString('base64url');
    const result = verifyLicenceKey(`${prefix}.${edited}.${sig}`, publicKeys);
    expect(result).toEqual({ ok: false, code: 'LICENCE_KEY_SIGNATURE', reason: expect.stringContaining('changed after it was issued') });
  });

  it('a key signed with another private key is refused', () => {
    const key = issueLicenceKey(other.privateKeyPem, { id: 'K-2', lines: 5 });
    expect(verifyLicenceKey(key, publicKeys)).toMatchObject({ ok: false, code: 'LICENCE_KEY_SIGNATURE' });
  });

  it('accepts keys from any of several public keys (key rotation)', () => {
    const key = issueLicenceKey(other.privateKeyPem, { id: 'K-3', lines: 5 });
    expect(verifyLicenceKey(key, loadPublicKeys([vendor.publicKeyPem, other.publicKeyPem]))).toMatchObject({ ok: true });
  });

  it('refuses text that is not a key, and a key cut short, with the reason', () => {
    const key = issueLicenceKey(vendor.privateKeyPem, { id: 'K-4', lines: 5 });
    expect(verifyLicenceKey('hello', publicKeys)).toMatchObject({ ok: false, code: 'LICENCE_KEY_MALFORMED', reason: expect.stringContaining('LK1.<payload>.<signature>') });
    expect(verifyLicenceKey(key.slice(0, -10), publicKeys)).toMatchObject({ ok: false, code: 'LICENCE_KEY_MALFORMED', reason: expect.stringContaining('copied completely') });
    expect(verifyLicenceKey(key.replace('.', '.+'), publicKeys)).toMatchObject({ ok: false, code: 'LICENCE_KEY_MALFORMED' });
  });

  it('says so when no public key is configured', () => {
    const key = issueLicenceKey(vendor.privateKeyPem, { id: 'K-5', lines: 5 });
    expect(verifyLicenceKey(key, [])).toMatchObject({ ok: false, code: 'LICENCE_NO_PUBLIC_KEY' });
  });

  it('will not issue a key with no lines, and will not sign with a non-Ed25519 key', () => {
    expect(() => issueLicenceKey(vendor.privateKeyPem, { id: 'K', lines: 0 })).toThrow();
    expect(() => loadPublicKeys(['not a pem'])).toThrow();
  });
});
