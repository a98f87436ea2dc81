import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptedSecretStore, keyFileCipher, openSecretStore, readProtectorRecord } from '../main/store';
import { openConfigStores } from '../main/engine/instances';

/**
 * The Linux keychain path for real: a private D-Bus session with GNOME Keyring as Secret Service, its login keyring
 * created and unlocked with a password, and libsecret's secret-tool, as on a desktop. Nothing is faked: the
 * checks read the key back out of the keyring and take it away again.
 */
const work = mkdtempSync(join(tmpdir(), 'lk-keyring-'));
let session: ChildProcess | undefined;

const TOOLS = ['dbus-run-session', 'gnome-keyring-daemon', 'secret-tool'];

function lookup(id: string): string {
  const r = spawnSync('secret-tool', ['lookup', 'application', 'org.linekeeper.secret-store', 'store', id], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : '';
}

/** Set when the session could not be started: every test then fails with it (counted as failed, not skipped). */
let unavailable: Error | undefined;
function sessionReady(): void {
  if (unavailable) throw unavailable;
}

beforeAll(async () => {
  try {
    await startSession();
  } catch (e) {
    unavailable = e as Error;
  }
}, 30_000);

async function startSession(): Promise<void> {
  const missing = TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  if (missing.length) {
    throw new Error(`the Secret Service test needs ${missing.join(', ')}: run "bash scripts/ensure-system-deps.sh" (Debian packages gnome-keyring libsecret-tools dbus)`);
  }
  const home = join(work, 'home');
  const runtime = join(work, 'run');
  mkdirSync(home);
  mkdirSync(runtime, { mode: 0o700 });
  // The session lives while this test holds the shell's stdin open; the keyring's files stay in the temp home.
  const script = 'printf %s "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; echo "BUS=$DBUS_SESSION_BUS_ADDRESS"; exec cat >/dev/null';
  const env = { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: join(home, '.local', 'share'), XDG_RUNTIME_DIR: runtime, KEYRING_PASSWORD: 'test-keyring-password' };
  session = spawn('dbus-run-session', ['--', 'sh', '-c', script], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  session.stderr!.on('data', (d) => (err += d));
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    session!.stdout!.on('data', (d) => {
      out += d;
      const m = /BUS=(\S+)\n/.exec(out);
      if (m) resolve(m[1]);
    });
    session!.on('exit', (code) => reject(new Error(`dbus-run-session ended (${code}) before the session was up: ${err}`)));
  });
  process.env.DBUS_SESSION_BUS_ADDRESS = address;
  process.env.HOME = home;
  process.env.XDG_RUNTIME_DIR = runtime;
  // The keyring answers and keeps what it is given: the ground the tests below stand on.
  const probe = spawnSync('secret-tool', ['store', '--label=probe', 'application', 'lk-test', 'probe', '1'], { input: 'ok', encoding: 'utf8' });
  if (probe.status !== 0) throw new Error(`no Secret Service answered on the test's session bus: ${probe.stderr}${err}`);
}

afterAll(() => {
  session?.stdin?.end();
  rmSync(work, { recursive: true, force: true });
});

describe('the secret store with a Secret Service on the session bus', () => {
  it('a new per-user store keeps its key in the keyring, not in a file, and cannot be read once the keyring loses it', async () => {
    sessionReady();
    const dir = join(work, 'user-data', 'secrets');
    await openSecretStore(dir).set('mux/password', 'console-set');
    const record = readProtectorRecord(dir)!;
    expect(record.protector).toBe('secret-service');
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
    expect(Buffer.from(lookup(record.id!), 'base64')).toHaveLength(32);
    // Another opener (the CLI, a service of the same user) finds the key the same way.
    expect(await openConfigStores(join(work, 'user-data')).secrets.get('mux/password')).toBe('console-set');

    const clear = spawnSync('secret-tool', ['clear', 'application', 'org.linekeeper.secret-store', 'store', record.id!]);
    expect(clear.status).toBe(0);
    const err = await openSecretStore(dir)
      .get('mux/password')
      .catch((e: Error & { code?: string }) => e);
    expect(err).toMatchObject({ code: 'SECRET_STORE_FAILED' });
    expect((err as Error).message).toMatch(/kept in the Secret Service \(keyring\).*cannot be read.*Unlock the keyring/);
    // No new key was made behind the admin's back.
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
  });

  it('a key-file store of an earlier version moves its key into the keyring and loses nothing', async () => {
    sessionReady();
    const dir = join(work, 'old-data', 'secrets');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Exactly what earlier versions wrote: secrets.json under secret.key, no protector record.
    const old = new EncryptedSecretStore(dir, keyFileCipher(join(dir, 'secret.key')));
    const values: Record<string, string> = { 'mux/user': 'admin', 'mux/password': 'pä$$ wört', 'instance/a1/pbxPassword': 'x'.repeat(300), 'licence/trial': '{"seal":"abc"}' };
    for (const [k, v] of Object.entries(values)) await old.set(k, v);
    const oldKey = readFileSync(join(dir, 'secret.key'));
    const before = readFileSync(join(dir, 'secrets.json'), 'utf8');

    const store = openSecretStore(dir);
    for (const [k, v] of Object.entries(values)) expect(await store.get(k)).toBe(v);
    const record = readProtectorRecord(dir)!;
    expect(record.protector).toBe('secret-service');
    expect(Buffer.from(lookup(record.id!), 'base64').equals(oldKey)).toBe(true);
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
    // The entries were not rewritten: the same key, the same ciphertexts.
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).toBe(before);
    const again = openSecretStore(dir);
    expect(Object.fromEntries(await Promise.all((await again.keys()).map(async (k) => [k, await again.get(k)])))).toEqual(values);
  });

  it('a store first opened without a session bus (the CLI over SSH) moves its key into the keyring when the desktop opens it', async () => {
    sessionReady();
    const dir = join(work, 'ssh-first', 'secrets');
    const overSsh = openSecretStore(dir, { env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: '' } });
    await overSsh.set('mux/password', 'set-over-ssh');
    expect(readProtectorRecord(dir)).toMatchObject({ protector: 'keyfile', recheck: true });
    const fileKey = readFileSync(join(dir, 'secret.key'));

    const desktop = openSecretStore(dir);
    expect(await desktop.get('mux/password')).toBe('set-over-ssh');
    const record = readProtectorRecord(dir)!;
    expect(record.protector).toBe('secret-service');
    expect(Buffer.from(lookup(record.id!), 'base64').equals(fileKey)).toBe(true);
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
    // The opener that still holds the key from the file keeps writing entries the keyring's key reads.
    await overSsh.set('mux/user', 'admin');
    expect(await openSecretStore(dir).get('mux/user')).toBe('admin');
  });

  it('a data directory shared with the service account keeps the key file even with a keyring at hand', async () => {
    sessionReady();
    const dataDir = join(work, 'machine-data');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o2770);
    const dir = join(dataDir, 'secrets');
    await openSecretStore(dir).set('mux/password', 'shared');
    const record = readProtectorRecord(dir)!;
    expect(record.protector).toBe('keyfile');
    expect(record.reason).toMatch(/service account/);
    expect((readFileSync(join(dir, 'secret.key')).length)).toBe(32);
    // What the service reads without any session bus.
    const service = spawnSync(
      process.execPath,
      ['--import', 'tsx', '-e', `import { openSecretStore } from './main/store/index.ts'; console.log(await openSecretStore(${JSON.stringify(dir)}).get('mux/password'))`],
      { cwd: join(__dirname, '..'), encoding: 'utf8', env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: '' } },
    );
    expect(service.stdout.trim(), service.stderr).toBe('shared');
  }, 30_000);
});
