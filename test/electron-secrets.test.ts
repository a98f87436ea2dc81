import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createServices, type Services } from '../main/app/services';
import { createApi } from '../main/api';
import { defaultDataDir, openKeyFileSecretStore, openSafeStorageSecretStore } from '../main/store';
import { consoleDataDir } from '../main/services-control/data-dir';
import { startPanasonicSim } from '../main/sim/panasonic';
import { CstaTestClient } from '../main/protocols/csta-ber/testing/client';
import { spawnMuxProcess, spawnUacstaProcess } from '../main/services-control/testing/linekeeper-process';
import { SimSipPhone } from '../main/sim/sip-phones/phone';
import { SipEndpoint } from '../main/protocols/sip';
import { openCstaDialog } from '../main/protocols/csta-xml';
import { UACSTA_DEFAULT_SETTINGS } from '../shared/api/uacsta';

const fake = vi.hoisted(() => ({ available: true }));
// A reversible stand-in for the OS keychain, enough for the secrets an earlier version saved through it.
const fakeSafeStorage = vi.hoisted(() => ({
  getSelectedStorageBackend: () => 'gnome_libsecret',
  isEncryptionAvailable: () => fake.available,
  encryptString: (s: string) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
  decryptString: (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
}));
vi.mock('electron', () => ({ safeStorage: fakeSafeStorage }));

const { appSecretStore } = await import('../main/electron/secrets');
const work = mkdtempSync(join(tmpdir(), 'lk-secrets-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let children: ChildProcess[] = [];
let live: Services[] = [];
let clients: CstaTestClient[] = [];
let closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of clients) c.close();
  for (const c of closers.splice(0).reverse()) await c();
  for (const c of children) c.kill('SIGTERM');
  for (const s of live) await s.dispose();
  children = [];
  live = [];
  clients = [];
});

describe('one secret store for console, CLI and services', () => {
  it('a multiplexer login set in the console is the one `linekeeper mux` accepts on the same data directory', async () => {
    const dataDir = mkdtempSync(join(work, 'data-'));
    const sim = await startPanasonicSim({ port: 0 });
    try {
      // The console's path: the app's secret store, the services over it, the Multiplexer page's API call.
      const { store } = await appSecretStore(dataDir);
      const services = createServices({ dataDir, transport: 'electron', secretStore: store });
      live.push(services);
      const api = createApi(services);
      const started = await api('mux.start', { pbxHost: '127.0.0.1', pbxPort: sim.tcpPort, tcpPort: 0, bind: '127.0.0.1', requireLogin: true, user: 'ops', password: 'Pässwort-7' });
      expect(started.ok).toBe(true);
      expect((await api('mux.stop', {})).ok).toBe(true);

      const mux = spawnMuxProcess(['mux', '--pbx', `127.0.0.1:${sim.tcpPort}`, '--tcp-port', '0', '--bind', '127.0.0.1', '--require-login', '--data-dir', dataDir]);
      children.push(mux.child);
      const { port } = await mux.ready;
      const ok = await CstaTestClient.open({ port, login: { user: 'ops', password: 'Pässwort-7' } });
      clients.push(ok.client);
      expect(ok.aare).toMatchObject({ kind: 'aare', result: 0 });
      const stale = await CstaTestClient.open({ port, login: { user: 'admin', password: 'admin' } });
      clients.push(stale.client);
      expect(stale.aare).toMatchObject({ kind: 'aare', result: 1 });
    } finally {
      await sim.close();
    }
  }, 60_000);

  it('on an installed machine a plain `linekeeper mux` (no --data-dir) works on the console\'s directory, so with its login', async () => {
    // The installer's machine directory (a stand-in the user may write) and a home of our own for the per-user one.
    const machine = mkdtempSync(join(work, 'machine-'));
    const home = mkdtempSync(join(work, 'home-'));
    const env: NodeJS.ProcessEnv = { ...process.env, LINEKEEPER_MACHINE_DATA_DIR: machine, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), APPDATA: join(home, 'AppData') };
    delete env.LINEKEEPER_DATA_DIR;
    const data = consoleDataDir({ env });
    expect(data).toEqual({ dir: machine, shared: true });
    const sim = await startPanasonicSim({ port: 0 });
    try {
      const { store } = await appSecretStore(data.dir);
      const services = createServices({ dataDir: data.dir, transport: 'electron', secretStore: store });
      live.push(services);
      const api = createApi(services);
      expect((await api('mux.start', { pbxHost: '127.0.0.1', pbxPort: sim.tcpPort, tcpPort: 0, bind: '127.0.0.1', requireLogin: true, user: 'ops', password: 'Pässwort-9' })).ok).toBe(true);
      expect((await api('mux.stop', {})).ok).toBe(true);

      const mux = spawnMuxProcess(['mux', '--pbx', `127.0.0.1:${sim.tcpPort}`, '--tcp-port', '0', '--bind', '127.0.0.1', '--require-login'], env);
      children.push(mux.child);
      const { port } = await mux.ready;
      const ok = await CstaTestClient.open({ port, login: { user: 'ops', password: 'Pässwort-9' } });
      clients.push(ok.client);
      expect(ok.aare).toMatchObject({ kind: 'aare', result: 0 });
      // It logs into the shared directory, and nothing went to the per-user one.
      expect(readdirSync(join(machine, 'logs')).length).toBeGreaterThan(0);
      expect(existsSync(join(home, '.config', 'linekeeper'))).toBe(false);
    } finally {
      await sim.close();
    }
    // Without a machine directory both fall back to the same per-user folder.
    const perUser = consoleDataDir({ env: { ...env, LINEKEEPER_MACHINE_DATA_DIR: join(machine, 'absent') } });
    expect(perUser).toEqual({ dir: defaultDataDir(env), shared: false });
  }, 60_000);

  it('the phone password and client login saved in the SIP phone server area are the ones `linekeeper service run uacsta` uses', async () => {
    const dataDir = mkdtempSync(join(work, 'data-'));
    const { store } = await appSecretStore(dataDir);
    const services = createServices({ dataDir, transport: 'electron', secretStore: store });
    live.push(services);
    const api = createApi(services);
    const settings = { ...UACSTA_DEFAULT_SETTINGS, phone: { lan: '127.0.0.1', tcpPort: 0 }, client: { lan: '127.0.0.1', tcpPort: 0 }, autoActivate: true, configured: true };
    const saved = await api('uacsta.saveSettings', { settings, phonePassword: 'Telefon-Pass-3', clientUser: 'cti', clientPassword: 'Pässwort-8' });
    expect(saved.ok && saved.result).toMatchObject({ settings, phonePasswordSet: true, clientUser: 'cti', clientPasswordSet: true });
    expect(JSON.stringify(saved)).not.toMatch(/Telefon-Pass-3|Pässwort-8/);
    const listed = await api('services.list', {});
    expect(listed.ok && (listed.result as unknown[])[1]).toMatchObject({ name: 'uacsta', configured: true, hasLogin: true, hasClientLogin: true });

    // What the installed service runs, as its own process on the same data directory.
    const server = spawnUacstaProcess(['service', 'run', 'uacsta', '--data-dir', dataDir]);
    children.push(server.child);
    const { phonePort, clientPort, output } = await server.ready;
    expect(output()).toMatch(/new phones: put into operation at once/);

    const stranger = await SimSipPhone.start({ mac: '000413aabb09', password: 'admin', server: { host: '127.0.0.1', port: phonePort } });
    closers.push(() => stranger.close());
    expect((await stranger.register()).status).toBe(401);
    const phone = await SimSipPhone.start({ mac: '000413aabb01', password: 'Telefon-Pass-3', server: { host: '127.0.0.1', port: phonePort } });
    closers.push(() => phone.close());
    expect((await phone.register()).status).toBe(200);
    for (let i = 0; i < 300 && !/phone 000413aabb01 .*: controllable/.test(output()); i++) await new Promise((r) => setTimeout(r, 20));
    expect(output()).toMatch(/phone 000413aabb01 .*: controllable/);

    const login = async (password: string) => {
      const ep = await SipEndpoint.start({ user: 'cti', credentials: { user: 'cti', password } });
      closers.push(() => ep.close());
      const reg = await ep.register({ registrar: `sip:127.0.0.1:${clientPort};transport=tcp`, aor: 'sip:cti@127.0.0.1', expires: 300 });
      return { reg, open: () => openCstaDialog(ep, { uri: `sip:uacsta@127.0.0.1:${clientPort};transport=tcp` }) };
    };
    expect((await login('admin')).reg.status).toBe(401);
    const cti = await login('Pässwort-8');
    expect(cti.reg.status).toBe(200);
    const session = await cti.open();
    closers.push(() => session.close());
    const events: string[] = [];
    session.onEvent((e) => events.push(e.name));
    await session.invoke('monitorStart', { monitorObject: { device: { id: '201' } } });
    for (let i = 0; i < 300 && !events.includes('backInService'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(events).toContain('backInService');
  }, 60_000);

  it('passwords an earlier console kept through safeStorage move into the shared store once; the old folder is kept', async () => {
    const dataDir = mkdtempSync(join(work, 'data-'));
    const old = openSafeStorageSecretStore(join(dataDir, 'safe-secrets'), fakeSafeStorage);
    await old.set('instance/a/multiplexerPassword', 'from-the-keychain');
    await old.set('mux/user', 'old-user');
    // Already in the shared store (set by the CLI): that one wins.
    await openKeyFileSecretStore(join(dataDir, 'secrets')).set('mux/user', 'cli-user');

    const first = await appSecretStore(dataDir);
    expect(first.migrated).toEqual(['instance/a/multiplexerPassword']);
    const shared = openKeyFileSecretStore(join(dataDir, 'secrets'));
    expect(await shared.get('instance/a/multiplexerPassword')).toBe('from-the-keychain');
    expect(await shared.get('mux/user')).toBe('cli-user');
    expect(existsSync(join(dataDir, 'safe-secrets'))).toBe(false);
    expect(readdirSync(dataDir).filter((f) => f.startsWith('safe-secrets.migrated-'))).toHaveLength(1);
    expect((await appSecretStore(dataDir)).migrated).toEqual([]);
  });

  it('without the keychain the old entries stay untouched and the console says so', async () => {
    const dataDir = mkdtempSync(join(work, 'data-'));
    await openSafeStorageSecretStore(join(dataDir, 'safe-secrets'), fakeSafeStorage).set('mux/password', 'x');
    fake.available = false;
    try {
      const r = await appSecretStore(dataDir);
      expect(r.migrated).toEqual([]);
      expect(r.warning?.message).toMatch(/cannot be read without the OS keychain/);
      expect(existsSync(join(dataDir, 'safe-secrets'))).toBe(true);
    } finally {
      fake.available = true;
    }
  });

  it('in a data directory shared with the service group (setgid) the key is group-readable, never world-readable', async () => {
    if (process.platform === 'win32') return;
    const dataDir = join(work, 'shared');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o2770);
    const store = openKeyFileSecretStore(join(dataDir, 'secrets'));
    await store.set('mux/password', 'p');
    expect(statSync(join(dataDir, 'secrets', 'secret.key')).mode & 0o777).toBe(0o640);
    expect(statSync(join(dataDir, 'secrets')).mode & 0o2777).toBe(0o2770);
    expect(await openKeyFileSecretStore(join(dataDir, 'secrets')).get('mux/password')).toBe('p');
    chmodSync(join(dataDir, 'secrets', 'secret.key'), 0o644);
    expect(() => openKeyFileSecretStore(join(dataDir, 'secrets'))).toThrow(/readable by other users.*chmod 640/);
    // Outside a shared directory a group-readable key is still refused.
    const privateDir = mkdtempSync(join(work, 'private-'));
    openKeyFileSecretStore(join(privateDir, 'secrets'));
    chmodSync(join(privateDir, 'secrets', 'secret.key'), 0o640);
    expect(() => openKeyFileSecretStore(join(privateDir, 'secrets'))).toThrow(/chmod 600/);
  });
});
