import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => ({ backend: 'gnome_libsecret', available: true }));
vi.mock('electron', () => ({
  safeStorage: {
    getSelectedStorageBackend: () => fake.backend,
    isEncryptionAvailable: () => fake.available,
    // A reversible stand-in for the OS keychain: enough to see that the store encrypts through it.
    encryptString: (s: string) => Buffer.from(s, 'utf8').map((b) => b ^ 0x5a),
    decryptString: (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
  },
}));

const { appSecretStore } = await import('../main/electron/secrets');
const dir = mkdtempSync(join(tmpdir(), 'lk-safe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('secrets in the desktop app', () => {
  it('go through the OS keychain when one is available, and never sit on disk in clear text', async () => {
    const { store, warning } = appSecretStore(dir);
    expect(warning).toBeUndefined();
    await store!.set('instance/x/multiplexerPassword', 'S3cret-Passw0rd');
    expect(await store!.get('instance/x/multiplexerPassword')).toBe('S3cret-Passw0rd');
    for (const f of readdirSync(join(dir, 'safe-secrets'))) expect(readFileSync(join(dir, 'safe-secrets', f), 'utf8')).not.toContain('S3cret-Passw0rd');
  });

  it('fall back to the key file, with a warning, where Linux has no keyring', () => {
    if (process.platform !== 'linux') return;
    fake.backend = 'basic_text';
    const { store, warning } = appSecretStore(dir);
    expect(store).toBeUndefined();
    expect(warning).toMatch(/keychain is not available \(basic_text\)/);
  });
});
