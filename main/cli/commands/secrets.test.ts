import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCapture } from '../testing';
import { openConfigStores } from '../../engine/instances';

describe('linekeeper secrets status', () => {
  it('names the protector and the number of passwords, never a password; an unreadable key exits 1 with the code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-secrets-cli-'));
    await openConfigStores(dir).secrets.set('mux/password', 'never-printed');
    const text = await runCliCapture(['secrets', 'status', '--data-dir', dir]);
    expect(text.code).toBe(0);
    // The tests run without a session bus, so a per-user store on Linux keeps the key file and says why.
    expect(text.stdout).toBe('protector: keyfile (the key file)\nentries: 1\nkey file because: no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)\n');
    const json = JSON.parse((await runCliCapture(['secrets', 'status', '--data-dir', dir, '--json'])).stdout);
    expect(json).toMatchObject({ dataDir: dir, protector: 'keyfile', entries: 1, migrated: false });
    expect(JSON.stringify(json) + text.stdout).not.toContain('never-printed');

    writeFileSync(join(dir, 'secrets', 'protector.json'), '{"protector":"vault"}');
    const bad = await runCliCapture(['secrets', 'status', '--data-dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/protector\.json names no known protector \(expected one of keyfile, secret-service, keychain, dpapi\) \(SECRET_STORE_FAILED\)/);
  });
});
