import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { DocumentStore, type DocumentSpec } from './document-store';
import { StoreError, StoreErrorCodes } from './errors';
import { loadOrCreateKeyFile, preferredProtector, readProtectorRecord, resolveKey, runCommand, type CommandRunner, type ProtectorContext, type ResolvedKey } from './key-protector';

/**
 * Passwords (PBX, multiplexer, AXL, BroadWorks) by key, e.g. `instance/<id>/pbxPassword`. They never go into
 * the configuration documents, exports or backups; only this store holds them, encrypted.
 */
export interface SecretStore {
  /** How entries are encrypted: `keyfile` (AES-256-GCM under a master key, see key-protector.ts) or `safeStorage` (Electron). */
  readonly kind: string;
  get(key: string): Promise<string | undefined>;
  has(key: string): Promise<boolean>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Removes every secret whose key starts with the prefix (all secrets of a deleted instance). */
  deletePrefix(prefix: string): Promise<void>;
  keys(): Promise<string[]>;
}

/** Turns one secret into opaque bytes and back; the key name is bound in so ciphertexts cannot be swapped. */
export interface SecretCipher {
  readonly kind: string;
  encrypt(plain: string, key: string): Buffer;
  decrypt(data: Buffer, key: string): string;
}

/** The part of Electron's `safeStorage` we use; passed in so nothing here imports electron. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(data: Buffer): string;
}

const secretsDocSchema = z.object({
  cipher: z.string(),
  /** key -> base64 ciphertext */
  entries: z.record(z.string(), z.string()),
});
type SecretsDoc = z.output<typeof secretsDocSchema>;
const SECRETS_SPEC: DocumentSpec<SecretsDoc> = { kind: 'secrets', version: 1, schema: secretsDocSchema };
const DOC = 'secrets';

/** Secrets in one atomically written document, each entry encrypted by the cipher. */
export class EncryptedSecretStore implements SecretStore {
  readonly kind: string;
  private readonly docs: DocumentStore;

  constructor(
    dir: string,
    private readonly cipher: SecretCipher,
  ) {
    this.kind = cipher.kind;
    this.docs = new DocumentStore(dir);
  }

  async get(key: string): Promise<string | undefined> {
    const doc = await this.load();
    const value = doc.entries[key];
    if (value === undefined) return undefined;
    try {
      return this.cipher.decrypt(Buffer.from(value, 'base64'), key);
    } catch (e) {
      if (e instanceof StoreError) throw e;
      const how = doc.cipher !== this.cipher.kind ? `it was saved with ${doc.cipher}, this store uses ${this.cipher.kind}` : (e as Error).message;
      throw new StoreError(StoreErrorCodes.secret, `secret "${key}" cannot be decrypted (${how}); was the key replaced? Enter the password again`, { key });
    }
  }

  async has(key: string): Promise<boolean> {
    return (await this.load()).entries[key] !== undefined;
  }

  async set(key: string, value: string): Promise<void> {
    const encrypted = this.cipher.encrypt(value, key).toString('base64');
    await this.docs.update(DOC, SECRETS_SPEC, (cur) => ({ cipher: this.cipher.kind, entries: { ...(cur?.entries ?? {}), [key]: encrypted } }));
  }

  async delete(key: string): Promise<void> {
    await this.deleteWhere((k) => k === key);
  }

  async deletePrefix(prefix: string): Promise<void> {
    await this.deleteWhere((k) => k.startsWith(prefix));
  }

  async keys(): Promise<string[]> {
    return Object.keys((await this.load()).entries).sort();
  }

  private async deleteWhere(match: (key: string) => boolean): Promise<void> {
    const doc = await this.load();
    if (!Object.keys(doc.entries).some(match)) return;
    await this.docs.update(DOC, SECRETS_SPEC, (cur) => {
      const entries = { ...(cur?.entries ?? {}) };
      for (const k of Object.keys(entries)) if (match(k)) delete entries[k];
      return { cipher: this.cipher.kind, entries };
    });
  }

  private async load(): Promise<SecretsDoc> {
    return (await this.docs.read(DOC, SECRETS_SPEC)) ?? { cipher: this.cipher.kind, entries: {} };
  }
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 1;

/** AES-256-GCM with a random key kept in a file only the user (or, shared, the service group) can read. */
export function keyFileCipher(keyFile: string, groupReadable = false): SecretCipher {
  const key = loadOrCreateKeyFile(keyFile, groupReadable);
  return aesGcmCipher(() => key);
}

/**
 * AES-256-GCM under a master key fetched when first needed (a keyring may take a moment or ask to be unlocked).
 * The kind stays `keyfile`, the name earlier versions wrote into secrets.json for this format.
 */
export function aesGcmCipher(masterKey: () => Buffer): SecretCipher {
  return {
    kind: 'keyfile',
    encrypt(plain, name) {
      const iv = randomBytes(IV_BYTES);
      const c = createCipheriv('aes-256-gcm', masterKey(), iv);
      c.setAAD(Buffer.from(name, 'utf8'));
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([Buffer.from([FORMAT]), iv, c.getAuthTag(), body]);
    },
    decrypt(data, name) {
      if (data[0] !== FORMAT || data.length < 1 + IV_BYTES + TAG_BYTES) throw new Error('unknown secret format');
      const iv = data.subarray(1, 1 + IV_BYTES);
      const tag = data.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const d = createDecipheriv('aes-256-gcm', masterKey(), iv);
      d.setAAD(Buffer.from(name, 'utf8'));
      d.setAuthTag(tag);
      return Buffer.concat([d.update(data.subarray(1 + IV_BYTES + TAG_BYTES)), d.final()]).toString('utf8');
    },
  };
}

/** Electron's safeStorage (OS keychain / DPAPI / libsecret); the key name is prefixed to detect swapped entries. */
export function safeStorageCipher(safeStorage: SafeStorageLike): SecretCipher {
  return {
    kind: 'safeStorage',
    encrypt(plain, name) {
      if (!safeStorage.isEncryptionAvailable()) throw new StoreError(StoreErrorCodes.secret, 'the operating system offers no encryption for passwords (safeStorage unavailable)');
      return safeStorage.encryptString(`${name}\n${plain}`);
    },
    decrypt(data, name) {
      const text = safeStorage.decryptString(data);
      const nl = text.indexOf('\n');
      if (nl < 0 || text.slice(0, nl) !== name) throw new Error('entry belongs to another key');
      return text.slice(nl + 1);
    },
  };
}

/**
 * The one secret store of a data directory, used by the console, the CLI and the services alike: `<dir>/secrets.json`
 * (AES-256-GCM entries) under a master key held by the protector recorded in `<dir>/protector.json`: the OS
 * keychain where one serves this store, else the key file `<dir>/secret.key` (see key-protector.ts). In a data
 * directory the installer marked shared (setgid, group "linekeeper": console users and the service account) the
 * key file is readable by that group (0640), else by its owner. A keyring is asked only when a secret is first
 * read or written, so commands that never touch a password never wait for it.
 */
export function openSecretStore(dir: string, options: { env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; run?: CommandRunner } = {}): DataDirSecretStore {
  const shared = isSharedDataDir(dirname(dir));
  mkdirSync(dir, { recursive: true, mode: shared ? 0o2770 : 0o700 });
  if (shared) {
    try {
      // mkdir's mode passes the umask; the group must be able to replace secrets.json here.
      chmodSync(dir, 0o2770);
    } catch {
      /* made by another member of the group, who set the mode */
    }
  }
  const ctx: ProtectorContext = { dir, shared, platform: options.platform ?? process.platform, env: options.env ?? process.env, run: options.run ?? runCommand };
  return new DataDirSecretStore(dir, ctx);
}

/** The store of a data directory, which can say which protector holds its key. */
export class DataDirSecretStore extends EncryptedSecretStore {
  private resolved: ResolvedKey | undefined;

  constructor(
    dir: string,
    private readonly ctx: ProtectorContext,
  ) {
    super(dir, aesGcmCipher(() => this.resolve().key));
    // The key file costs nothing to open, and its errors (loose mode, damage) belong at the start.
    const record = readProtectorRecord(dir);
    if ((record ?? preferredProtector(ctx)).protector === 'keyfile') this.resolve();
  }

  /** Finds (and on first use chooses, records and if need be migrates to) the protector of the key. */
  resolve(): ResolvedKey {
    return (this.resolved ??= resolveKey(this.ctx));
  }
}

/** The data directory's store with the key file as protector, whatever the OS offers (tests, explicit choice). */
export function openKeyFileSecretStore(dir: string): DataDirSecretStore {
  return openSecretStore(dir, { env: { ...process.env, LINEKEEPER_SECRET_PROTECTOR: 'keyfile' } });
}

/** A group-shared data directory: setgid, so what anyone creates inside belongs to the service group. */
export function isSharedDataDir(dataDir: string): boolean {
  if (process.platform === 'win32') return false;
  try {
    return (statSync(dataDir).mode & 0o2000) !== 0;
  } catch {
    return false;
  }
}

/** The app's secret store; `safeStorage` comes from main/electron. */
export function openSafeStorageSecretStore(dir: string, safeStorage: SafeStorageLike): SecretStore {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return new EncryptedSecretStore(dir, safeStorageCipher(safeStorage));
}

/** An in-memory store for tests of other components. */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory';
  private map = new Map<string, string>();
  async get(key: string) {
    return this.map.get(key);
  }
  async has(key: string) {
    return this.map.has(key);
  }
  async set(key: string, value: string) {
    this.map.set(key, value);
  }
  async delete(key: string) {
    this.map.delete(key);
  }
  async deletePrefix(prefix: string) {
    for (const k of [...this.map.keys()]) if (k.startsWith(prefix)) this.map.delete(k);
  }
  async keys() {
    return [...this.map.keys()].sort();
  }
}
