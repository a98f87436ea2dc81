import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EncryptedSecretStore, keyFileCipher, openKeyFileSecretStore, openSafeStorageSecretStore, type SafeStorageLike } from './secret-store';

const tempDir = () => mkdtempSync(join(tmpdir(), 'lk-secrets-'));

describe('key-file secret store', () => {
  it('keeps a password across restarts and stores it only encrypted', async () => {
    const dir = tempDir();
    await openKeyFileSecretStore(dir).set('instance/a/password', 'correct horse battery');
    const again = openKeyFileSecretStore(dir);
    expect(await again.get('instance/a/password')).toBe('correct horse battery');
    expect(await again.has('instance/a/password')).toBe(true);
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain('correct horse');
  });

  it.runIf(process.platform !== 'win32')('creates the key file readable only by the user (mode 0600)', async () => {
    const dir = tempDir();
    openKeyFileSecretStore(dir);
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  it.runIf(process.platform !== 'win32')('refuses a key file other users can read', () => {
    const dir = tempDir();
    openKeyFileSecretStore(dir);
    chmodSync(join(dir, 'secret.key'), 0o644);
    expect(() => openKeyFileSecretStore(dir)).toThrow(/readable by other users.*chmod 600/);
  });

  it('does not decrypt with another key file and says so', async () => {
    const dir = tempDir();
    await openKeyFileSecretStore(dir).set('k', 'v');
    writeFileSync(join(dir, 'other.key'), Buffer.alloc(32, 7), { mode: 0o600 });
    const wrong = new EncryptedSecretStore(dir, keyFileCipher(join(dir, 'other.key')));
    await expect(wrong.get('k')).rejects.toMatchObject({ code: 'SECRET_STORE_FAILED', message: expect.stringContaining('"k" cannot be decrypted') });
  });

  it('will not hand out an entry moved to another key name', async () => {
    const dir = tempDir();
    const store = openKeyFileSecretStore(dir);
    await store.set('instance/a/password', 'alpha');
    const doc = JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8'));
    doc.data.entries['instance/b/password'] = doc.data.entries['instance/a/password'];
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify(doc));
    await expect(store.get('instance/b/password')).rejects.toMatchObject({ code: 'SECRET_STORE_FAILED' });
  });

  it('deletes one secret or all below a prefix', async () => {
    const store = openKeyFileSecretStore(tempDir());
    await store.set('instance/a/x', '1');
    await store.set('instance/a/y', '2');
    await store.set('instance/b/x', '3');
    await store.delete('instance/b/x');
    expect(await store.keys()).toEqual(['instance/a/x', 'instance/a/y']);
    await store.deletePrefix('instance/a/');
    expect(await store.keys()).toEqual([]);
  });
});

/** Stands in for Electron's safeStorage: reversible, but not clear text. */
function fakeSafeStorage(available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
    decryptString: (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
  };
}

describe('safeStorage secret store', () => {
  it('keeps passwords through the injected safeStorage', async () => {
    const dir = tempDir();
    await openSafeStorageSecretStore(dir, fakeSafeStorage()).set('instance/a/password', 'p@ss');
    expect(await openSafeStorageSecretStore(dir, fakeSafeStorage()).get('instance/a/password')).toBe('p@ss');
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain('p@ss');
  });

  it('refuses to save when the operating system offers no encryption', async () => {
    const store = openSafeStorageSecretStore(tempDir(), fakeSafeStorage(false));
    await expect(store.set('k', 'v')).rejects.toMatchObject({ code: 'SECRET_STORE_FAILED' });
  });
});
