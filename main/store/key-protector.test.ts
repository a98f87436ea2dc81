import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  dpapiScript,
  keychainAddScript,
  keychainFindArgs,
  parseKey,
  powershellArgs,
  preferredProtector,
  readProtectorRecord,
  resolveKey,
  secretToolArgs,
  SYSTEM_KEYCHAIN,
  type CommandRunner,
  type ProtectorContext,
} from './key-protector';
import { EncryptedSecretStore, keyFileCipher, openSecretStore } from './secret-store';

/**
 * What runs only on macOS and Windows is checked here through the command lines and input we give `security`
 * and PowerShell, answered by an in-memory stand-in; the Linux keyring runs for real in test/secret-service.test.ts.
 */
const tempDir = () => mkdtempSync(join(tmpdir(), 'lk-prot-'));

/** A stand-in for `security` (macOS keychains) that keeps items by keychain, service and account. */
function fakeSecurity(opts: { failAdd?: boolean } = {}) {
  const items = new Map<string, string>();
  const calls: Array<{ args: string[]; input?: string }> = [];
  const run: CommandRunner = (cmd, args, input) => {
    calls.push({ args, input });
    expect(cmd).toBe('/usr/bin/security');
    if (args[0] === '-i') {
      const w = input!.trim().split(' ');
      expect(w[0]).toBe('add-generic-password');
      if (opts.failAdd) return { status: 0, stdout: '', stderr: 'security: SecKeychainItemCreateFromContent: Write permissions error.\n' };
      // The keychain is the word after the password, if any (a base64 key may itself start with '/').
      const keychain = w.indexOf('-w') + 2 < w.length ? w[w.length - 1] : 'login';
      items.set(`${keychain}|${w[w.indexOf('-s') + 1]}|${w[w.indexOf('-a') + 1]}`, w[w.indexOf('-w') + 1]);
      return { status: 0, stdout: '', stderr: '' };
    }
    const keychain = args[args.length - 1].startsWith('/') ? args[args.length - 1] : 'login';
    const k = `${keychain}|${args[args.indexOf('-s') + 1]}|${args[args.indexOf('-a') + 1]}`;
    if (args[0] === 'find-generic-password') return items.has(k) ? { status: 0, stdout: `${items.get(k)}\n`, stderr: '' } : { status: 44, stdout: '', stderr: 'security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.\n' };
    if (args[0] === 'delete-generic-password') return { status: items.delete(k) ? 0 : 44, stdout: '', stderr: '' };
    throw new Error(`unexpected security ${args.join(' ')}`);
  };
  return { run, items, calls };
}

/** A stand-in for PowerShell's ProtectedData: "protects" by xor with a per-scope byte, so a wrong scope fails. */
function fakeDpapi() {
  const scripts: string[] = [];
  const run: CommandRunner = (cmd, args, input) => {
    expect(cmd).toBe('powershell.exe');
    const script = Buffer.from(args[args.indexOf('-EncodedCommand') + 1], 'base64').toString('utf16le');
    scripts.push(script);
    const scope = /DataProtectionScope\]::(\w+)/.exec(script)![1];
    const x = scope === 'LocalMachine' ? 0x5a : 0x3c;
    const data = Buffer.from(input!.trim(), 'base64').map((b) => b ^ x);
    return { status: 0, stdout: Buffer.from(data).toString('base64'), stderr: '' };
  };
  return { run, scripts };
}

const ctx = (dir: string, over: Partial<ProtectorContext>): ProtectorContext => ({ dir, shared: false, platform: 'linux', env: {}, run: () => ({ status: 127, stdout: '', stderr: '' }), ...over });

describe('which protector a store gets', () => {
  it('per OS: keyring with a session bus on Linux, the key file for a shared directory or without a bus, keychain on macOS, DPAPI on Windows', () => {
    const dir = '/data/secrets';
    expect(preferredProtector({ dir, shared: false, platform: 'linux', env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus' } }).protector).toBe('secret-service');
    expect(preferredProtector({ dir, shared: false, platform: 'linux', env: {} })).toMatchObject({ protector: 'keyfile', reason: expect.stringMatching(/no D-Bus session/) });
    expect(preferredProtector({ dir, shared: true, platform: 'linux', env: { DBUS_SESSION_BUS_ADDRESS: 'x' } })).toMatchObject({ protector: 'keyfile', reason: expect.stringMatching(/service account/) });
    const userMac = preferredProtector({ dir, shared: false, platform: 'darwin', env: {} });
    expect(userMac.protector).toBe('keychain');
    expect(userMac.keychain).toBeUndefined();
    expect(preferredProtector({ dir, shared: true, platform: 'darwin', env: {} }).keychain).toBe(SYSTEM_KEYCHAIN);
    const env = { ProgramData: 'C:\\ProgramData' };
    expect(preferredProtector({ dir: join('C:\\ProgramData', 'Linekeeper', 'secrets'), shared: false, platform: 'win32', env })).toMatchObject({ protector: 'dpapi', scope: 'LocalMachine' });
    expect(preferredProtector({ dir: join('C:\\Users', 'ann', 'AppData', 'Roaming', 'Linekeeper', 'secrets'), shared: false, platform: 'win32', env })).toMatchObject({ protector: 'dpapi', scope: 'CurrentUser' });
    expect(preferredProtector({ dir, shared: false, platform: 'win32', env: { LINEKEEPER_SECRET_PROTECTOR: 'keyfile' } }).protector).toBe('keyfile');
    expect(() => preferredProtector({ dir, shared: false, platform: 'linux', env: { LINEKEEPER_SECRET_PROTECTOR: 'vault' } })).toThrow(/LINEKEEPER_SECRET_PROTECTOR=vault is not one of auto, keyfile, secret-service, keychain, dpapi/);
    expect(() => preferredProtector({ dir, shared: false, platform: 'linux', env: { LINEKEEPER_SECRET_PROTECTOR: 'dpapi' } })).toThrow(/only on Windows/);
  });

  it('builds the tool command lines with the key only on stdin', () => {
    expect(secretToolArgs('lookup', 'ab12cd34')).toEqual(['lookup', 'application', 'org.linekeeper.secret-store', 'store', 'ab12cd34']);
    expect(secretToolArgs('store', 'ab12cd34')).toEqual(['store', '--label=Linekeeper secret store key ab12cd34', 'application', 'org.linekeeper.secret-store', 'store', 'ab12cd34']);
    expect(keychainFindArgs('ab12cd34', SYSTEM_KEYCHAIN)).toEqual(['find-generic-password', '-s', 'org.linekeeper.secret-store', '-a', 'ab12cd34', '-w', SYSTEM_KEYCHAIN]);
    expect(keychainAddScript('ab12cd34', 'S2V5/+=')).toBe('add-generic-password -U -s org.linekeeper.secret-store -a ab12cd34 -l Linekeeper-secret-store -T /usr/bin/security -w S2V5/+=\n');
    expect(() => keychainAddScript('ab 12', 'x')).toThrow(/unsafe word/);
    const args = powershellArgs(dpapiScript('Unprotect', 'LocalMachine'));
    expect(args.slice(0, 5)).toEqual(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
    const script = Buffer.from(args[5], 'base64').toString('utf16le');
    expect(script).toContain('[Security.Cryptography.ProtectedData]::Unprotect($data, $entropy, [Security.Cryptography.DataProtectionScope]::LocalMachine)');
    expect(script).toContain('[Console]::In.ReadToEnd()');
    expect(parseKey(`${Buffer.alloc(32, 7).toString('base64')}\n`, 'x')).toEqual(Buffer.alloc(32, 7));
    expect(() => parseKey('', 'secret-tool lookup')).toThrow(/secret-tool lookup returned nothing, expected a 32-byte key/);
    expect(() => parseKey(Buffer.alloc(16).toString('base64'), 'x')).toThrow(/16 key bytes/);
    expect(() => parseKey('not base64!', 'x')).toThrow(/no key bytes/);
  });
});

describe('macOS keychain (through a stand-in for security)', () => {
  it('the daemon directory keeps its key in the System keychain; a key file of an earlier version moves there with its entries', async () => {
    const dir = join(tempDir(), 'secrets');
    mkdirSync(dir);
    const old = new EncryptedSecretStore(dir, keyFileCipher(join(dir, 'secret.key')));
    await old.set('mux/password', 'kept');
    const oldKey = readFileSync(join(dir, 'secret.key'));
    const sec = fakeSecurity();
    const r = resolveKey(ctx(dir, { platform: 'darwin', shared: true, run: sec.run }));
    expect(r).toMatchObject({ migrated: true, record: { protector: 'keychain', keychain: SYSTEM_KEYCHAIN } });
    expect(r.key.equals(oldKey)).toBe(true);
    expect([...sec.items.keys()]).toEqual([`${SYSTEM_KEYCHAIN}|org.linekeeper.secret-store|${r.record.id}`]);
    expect(sec.calls.every((c) => !c.args.join(' ').includes(oldKey.toString('base64')))).toBe(true);
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
    const store = openSecretStore(dir, { platform: 'darwin', run: sec.run, env: {} });
    expect(await store.get('mux/password')).toBe('kept');
  });

  it('a keychain that does not take the key leaves the key file, and the record says why; asked for explicitly, it is an error', () => {
    const dir = tempDir();
    const r = resolveKey(ctx(dir, { platform: 'darwin', shared: true, run: fakeSecurity({ failAdd: true }).run }));
    expect(r.record).toMatchObject({ protector: 'keyfile', reason: expect.stringMatching(/System\.keychain has no key for this store: \/usr\/bin\/security exited with 44/) });
    expect(readFileSync(join(dir, 'secret.key')).equals(r.key)).toBe(true);
    const forced = tempDir();
    expect(() => resolveKey(ctx(forced, { platform: 'darwin', env: { LINEKEEPER_SECRET_PROTECTOR: 'keychain' }, run: fakeSecurity({ failAdd: true }).run }))).toThrow(/cannot keep the key of the secret store .* in the login keychain/);
    expect(readProtectorRecord(forced)).toBeUndefined();
    expect(existsSync(join(forced, 'secret.key'))).toBe(false);
  });

  it('two openers racing on a new store end up with one key: the one that recorded first', () => {
    const dir = tempDir();
    const sec = fakeSecurity();
    const winner = resolveKey(ctx(dir, { platform: 'darwin', run: sec.run }));
    // The loser stored its own key before it saw the record; simulate by hiding the record during its save.
    const recordFile = join(dir, 'protector.json');
    const recordText = readFileSync(recordFile, 'utf8');
    let hidden = false;
    const racing: CommandRunner = (cmd, args, input) => {
      const out = sec.run(cmd, args, input);
      if (args[0] === '-i' && hidden) writeFileSync(recordFile, recordText);
      return out;
    };
    rmSync(recordFile);
    hidden = true;
    const loser = resolveKey(ctx(dir, { platform: 'darwin', run: racing }));
    expect(loser.key.equals(winner.key)).toBe(true);
    expect(loser.record.id).toBe(winner.record.id);
    expect(sec.items.size).toBe(1);
  });

  it('a recorded keychain that cannot give the key is an error naming it, never a new key', async () => {
    const dir = join(tempDir(), 'secrets');
    const sec = fakeSecurity();
    await openSecretStore(dir, { platform: 'darwin', run: sec.run, env: {} }).set('k', 'v');
    sec.items.clear();
    await expect(openSecretStore(dir, { platform: 'darwin', run: sec.run, env: {} }).get('k')).rejects.toThrow(/kept in the login keychain \(protector\.json\) and cannot be read: .*exited with 44: security: SecKeychainSearchCopyNext.*Unlock that keychain/);
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
  });
});

describe('Windows DPAPI (through a stand-in for PowerShell)', () => {
  it('ProgramData stores are protected for the machine, so the service account and an elevated console share them', async () => {
    const programData = tempDir();
    const dir = join(programData, 'Linekeeper', 'secrets');
    const ps = fakeDpapi();
    const env = { ProgramData: programData };
    await openSecretStore(dir, { platform: 'win32', env, run: ps.run }).set('mux/password', 'svc');
    const record = readProtectorRecord(dir)!;
    expect(record).toEqual({ protector: 'dpapi', id: expect.stringMatching(/^[0-9a-f]{24}$/), scope: 'LocalMachine' });
    expect(existsSync(join(dir, 'secret.key'))).toBe(false);
    const blobFile = join(dir, `secret-key-${record.id}.dpapi`);
    const blob = readFileSync(blobFile, 'utf8');
    expect(Buffer.from(blob, 'base64')).toHaveLength(32);
    // Another process (the service) unprotects with the recorded scope.
    expect(await openSecretStore(dir, { platform: 'win32', env, run: ps.run }).get('mux/password')).toBe('svc');
    expect(ps.scripts.map((s) => /::(Protect|Unprotect)\(/.exec(s)![1])).toEqual(['Protect', 'Unprotect', 'Unprotect']);
    // A blob that does not unprotect (another machine) is an error naming DPAPI.
    writeFileSync(blobFile, 'AAAA');
    await expect(openSecretStore(dir, { platform: 'win32', env, run: ps.run }).get('mux/password')).rejects.toThrow(/Windows DPAPI \(LocalMachine\).*DPAPI returned 3 key bytes.*another machine/);
  });
});

describe('Windows DPAPI, two openers at once', () => {
  it('the loser removes its own protected key and uses the winner\'s; the winner\'s file is untouched', async () => {
    const programData = tempDir();
    const dir = join(programData, 'Linekeeper', 'secrets');
    mkdirSync(dir, { recursive: true });
    const ps = fakeDpapi();
    const env = { ProgramData: programData };
    const winner = resolveKey(ctx(dir, { platform: 'win32', env, run: ps.run }));
    const recordFile = join(dir, 'protector.json');
    const recordText = readFileSync(recordFile, 'utf8');
    rmSync(recordFile);
    // The record appears while the loser is protecting its own key, as if the winner had just written it.
    const racing: CommandRunner = (cmd, args, input) => {
      const out = ps.run(cmd, args, input);
      if (!existsSync(recordFile)) writeFileSync(recordFile, recordText);
      return out;
    };
    const loser = resolveKey(ctx(dir, { platform: 'win32', env, run: racing }));
    expect(loser.key.equals(winner.key)).toBe(true);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(dir).filter((f) => f.endsWith('.dpapi'))).toEqual([`secret-key-${winner.record.id}.dpapi`]);
  });
});
