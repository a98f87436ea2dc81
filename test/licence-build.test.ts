// The licence public key is a build-time setting: a development build trusts the development key (and, for tests,
// one from the environment); a release build carries the vendor's key and trusts nothing from the environment.
// Bundles main/engine/licences/public-keys.ts with esbuild as scripts/build.mjs does and loads the result.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLicenceKeyPair, issueLicenceKey, loadPublicKeys, verifyLicenceKey } from '../main/engine/licences';
// @ts-expect-error: a plain ES module of the build scripts, without types
import { licenceDefine, VENDOR_KEY_ENV } from '../scripts/licence-build.mjs';

const dir = mkdtempSync(join(tmpdir(), 'lk-licence-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type PublicKeysModule = typeof import('../main/engine/licences/public-keys');

async function bundle(name: string, define: Record<string, string>): Promise<PublicKeysModule> {
  const outfile = join(dir, `${name}.mjs`);
  await build({ entryPoints: ['main/engine/licences/public-keys.ts'], bundle: true, platform: 'node', format: 'esm', outfile, define, logLevel: 'silent' });
  return (await import(pathToFileURL(outfile).href)) as PublicKeysModule;
}

const vendor = generateLicenceKeyPair();
const stranger = generateLicenceKeyPair();
const ENV = 'LINEKEEPER_LICENCE_PUBLIC_KEY';

describe('the licence key of a build', () => {
  it('a development build trusts the development key, whose private half is in the repository, and a key from the environment', async () => {
    const dev = await bundle('dev', licenceDefine({ release: false, env: {} }));
    expect(dev.LICENCE_BUILD.release).toBe(false);
    const keys = dev.configuredPublicKeys({ [ENV]: stranger.publicKeyPem });
    expect(keys).toEqual([dev.DEVELOPMENT_PUBLIC_KEY, stranger.publicKeyPem.trim()]);
    const devKey = issueLicenceKey(readFileSync('main/engine/licences/testing/development-vendor.key', 'utf8'), { id: 'DEV-1', lines: 50 });
    expect(verifyLicenceKey(devKey, loadPublicKeys(keys))).toMatchObject({ ok: true, payload: { lines: 50 } });
  });

  it('a release build trusts the vendor key it was built with and never one from the environment', async () => {
    const rel = await bundle('release', licenceDefine({ release: true, env: { [VENDOR_KEY_ENV]: vendor.publicKeyPem } }));
    expect(rel.LICENCE_BUILD.release).toBe(true);
    const keys = rel.configuredPublicKeys({ [ENV]: stranger.publicKeyPem });
    expect(keys).toEqual([vendor.publicKeyPem.trim() + '\n']);
    expect(verifyLicenceKey(issueLicenceKey(vendor.privateKeyPem, { id: 'ORDER-1', lines: 10 }), loadPublicKeys(keys))).toMatchObject({ ok: true });
    expect(verifyLicenceKey(issueLicenceKey(stranger.privateKeyPem, { id: 'FORGED', lines: 9999 }), loadPublicKeys(keys))).toMatchObject({ ok: false, code: 'LICENCE_KEY_SIGNATURE' });
    expect(verifyLicenceKey(issueLicenceKey(readFileSync('main/engine/licences/testing/development-vendor.key', 'utf8'), { id: 'DEV-1', lines: 50 }), loadPublicKeys(keys))).toMatchObject({ ok: false });
  });

  it('a release build stops without a usable vendor key, saying which setting is missing or wrong', () => {
    expect(() => licenceDefine({ release: true, env: {} })).toThrow(`set ${VENDOR_KEY_ENV}`);
    expect(() => licenceDefine({ release: true, env: { [VENDOR_KEY_ENV]: '/nowhere/vendor.pem' } })).toThrow('neither PEM text nor the path of an existing file');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => licenceDefine({ release: true, env: { [VENDOR_KEY_ENV]: rsa } })).toThrow('is rsa, licence keys are checked with Ed25519');
  });
});
