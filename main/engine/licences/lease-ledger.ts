import { randomUUID } from 'node:crypto';
import { appendFileSync, closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makePrivateDir, privateModes } from '../../store';

export type LeaseKind = 'line' | 'phone';

/** A licence held for one (instance, kind, line) by one pool; several pools may hold the same key. */
export interface LedgerEntry {
  /** The process holding it; its entries go when it is gone. */
  pid: number;
  /** The pool within that process. */
  owner: string;
  key: string;
  instanceId: string;
  kind: LeaseKind;
  line: string;
}

export type LedgerLine = Pick<LedgerEntry, 'key' | 'instanceId' | 'kind' | 'line'>;

/**
 * Where a pool writes down the licences it holds, so that pools in several processes (the app and
 * `linekeeper serve` side by side) are one pool. A licence is one distinct key, however many pools hold it.
 */
export interface LeaseLedger {
  /** Records this pool holding `entry`, unless `total` distinct keys are held and it is not one of them: then
   * nothing is recorded and every live entry is returned (for the error). Atomic across processes. */
  take(entry: LedgerLine, total: number): LedgerEntry[] | undefined;
  /**
   * `take` for many entries at once, in order, under one lock and with one write: what opening many lines costs.
   * Returns how many of them (from the front) were taken; the rest found no free licence. Atomic across processes.
   */
  takeMany(entries: LedgerLine[], total: number): number;
  /** Records that this pool no longer holds these keys. */
  give(keys: string[]): void;
  /** Every live entry of every pool. */
  read(): LedgerEntry[];
}

/** A ledger for one pool in one process (tests, or a pool that shares with nobody). */
export class MemoryLedger implements LeaseLedger {
  private readonly owner = randomUUID();
  private readonly entries = new Map<string, LedgerEntry>();
  take(entry: LedgerLine, total: number): LedgerEntry[] | undefined {
    if (!this.entries.has(entry.key) && this.entries.size >= total) return this.read();
    this.entries.set(entry.key, { ...entry, pid: process.pid, owner: this.owner });
    return undefined;
  }
  takeMany(entries: LedgerLine[], total: number): number {
    let n = 0;
    while (n < entries.length && !this.take(entries[n], total)) n++;
    return n;
  }
  give(keys: string[]): void {
    for (const k of keys) this.entries.delete(k);
  }
  read(): LedgerEntry[] {
    return [...this.entries.values()];
  }
}

export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const LOCK_WAIT_MS = 3000;
/** A lock older than this is left over by a process killed while holding it (each change takes microseconds). */
const STALE_LOCK_MS = 5000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const FILE_RE = /^(\d+)-([0-9a-f-]{36})\.log$/;

interface Peer {
  pid: number;
  owner: string;
  ino: number;
  offset: number;
  partial: string;
  entries: Map<string, LedgerEntry>;
}

/**
 * A folder with one append-only journal per pool (`<pid>-<owner>.log`, lines `+{entry}` / `-{key}`) and a lock
 * file taken (O_EXCL) around every decision. Each pool keeps the others' journals read incrementally and the
 * count of distinct keys up to date, so a lease costs a few system calls however many lines are open; a
 * journal is compacted when it is mostly releases. Journals of processes that are gone are deleted, so a
 * crashed driver does not keep its licences. Synchronous on purpose: the check for a free licence and the
 * write that takes it cannot interleave with another lease.
 */
export class FileLedger implements LeaseLedger {
  private readonly owner = randomUUID();
  private readonly ownFile: string;
  /** This pool's entries; its process and pool are added when they are read. */
  private readonly own = new Map<string, LedgerLine>();
  private ownRecords = 0;
  private readonly peers = new Map<string, Peer>();
  /** How many peers hold each key. */
  private readonly peerCounts = new Map<string, number>();
  /** Own keys no peer holds; distinct keys = peerCounts.size + ownOnly. */
  private ownOnly = 0;
  private readonly fileMode: number;

  constructor(
    readonly dir: string,
    private readonly isAlive: (pid: number) => boolean = processAlive,
  ) {
    const modes = privateModes(dirname(dir));
    // Journals name instances and lines: private to the user, or to a shared data directory's group.
    this.fileMode = modes.file;
    makePrivateDir(dir, modes);
    this.ownFile = join(dir, `${process.pid}-${this.owner}.log`);
  }

  take(entry: LedgerLine, total: number): LedgerEntry[] | undefined {
    return this.locked(() => {
      this.refresh();
      if (this.own.has(entry.key)) return undefined;
      const known = this.peerCounts.has(entry.key);
      if (!known && this.peerCounts.size + this.ownOnly >= total) return this.entries();
      const mine: LedgerLine = { key: entry.key, instanceId: entry.instanceId, kind: entry.kind, line: entry.line };
      appendFileSync(this.ownFile, `+${record(mine)}\n`, { mode: this.fileMode });
      this.ownRecords++;
      this.own.set(entry.key, mine);
      if (!known) this.ownOnly++;
      return undefined;
    });
  }

  takeMany(entries: LedgerLine[], total: number): number {
    if (!entries.length) return 0;
    return this.locked(() => {
      this.refresh();
      // Records of one shape joined once: spreading each entry and growing one string cost more than the write.
      const records: string[] = [];
      let n = 0;
      for (; n < entries.length; n++) {
        const { key, instanceId, kind, line } = entries[n];
        if (this.own.has(key)) continue;
        const known = this.peerCounts.has(key);
        if (!known && this.peerCounts.size + this.ownOnly >= total) break;
        const mine: LedgerLine = { key, instanceId, kind, line };
        records.push(record(mine));
        this.own.set(key, mine);
        this.ownRecords++;
        if (!known) this.ownOnly++;
      }
      if (records.length) appendFileSync(this.ownFile, `+${records.join('\n+')}\n`, { mode: this.fileMode });
      return n;
    });
  }

  give(keys: string[]): void {
    const held = keys.filter((k) => this.own.has(k));
    if (!held.length) return;
    this.locked(() => {
      this.refresh();
      for (const k of held) {
        this.own.delete(k);
        if (!this.peerCounts.has(k)) this.ownOnly--;
      }
      if (!this.own.size) {
        unlinkQuietly(this.ownFile);
        this.ownRecords = 0;
      } else if (this.ownRecords + held.length > 2 * this.own.size + 256) {
        // Mostly releases: rewrite with what is held; readers see the new file (inode) and read it afresh.
        const temp = `${this.ownFile}.tmp`;
        writeFileSync(temp, [...this.own.values()].map((e) => `+${record(e)}\n`).join(''), { mode: this.fileMode });
        renameSync(temp, this.ownFile);
        this.ownRecords = this.own.size;
      } else {
        appendFileSync(this.ownFile, held.map((k) => `-${JSON.stringify(k)}\n`).join(''), { mode: this.fileMode });
        this.ownRecords += held.length;
      }
    });
  }

  read(): LedgerEntry[] {
    return this.locked(() => {
      this.refresh();
      return this.entries();
    });
  }

  private entries(): LedgerEntry[] {
    const { pid } = process;
    const mine = [...this.own.values()].map((e): LedgerEntry => ({ ...e, pid, owner: this.owner }));
    return [...mine, ...[...this.peers.values()].flatMap((p) => [...p.entries.values()])];
  }

  /** Brings the peers' journals up to date: new ones read, grown ones read from where we were, gone ones dropped. */
  private refresh(): void {
    const seen = new Set<string>();
    for (const name of readdirSync(this.dir)) {
      const m = FILE_RE.exec(name);
      const file = join(this.dir, name);
      if (!m || file === this.ownFile) continue;
      const pid = Number(m[1]);
      if (!this.isAlive(pid)) {
        unlinkQuietly(file);
        continue;
      }
      seen.add(file);
      this.readPeer(file, pid, m[2]);
    }
    for (const file of [...this.peers.keys()]) if (!seen.has(file)) this.dropPeer(file);
  }

  private readPeer(file: string, pid: number, owner: string): void {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return; // deleted between readdir and open
    }
    try {
      const st = fstatSync(fd);
      let peer = this.peers.get(file);
      if (peer && (peer.ino !== st.ino || st.size < peer.offset)) {
        this.dropPeer(file);
        peer = undefined;
      }
      if (!peer) this.peers.set(file, (peer = { pid, owner, ino: st.ino, offset: 0, partial: '', entries: new Map() }));
      if (st.size === peer.offset) return;
      const buf = Buffer.alloc(st.size - peer.offset);
      const n = readSync(fd, buf, 0, buf.length, peer.offset);
      peer.offset += n;
      const text = peer.partial + buf.subarray(0, n).toString('utf8');
      const lines = text.split('\n');
      peer.partial = lines.pop() ?? '';
      for (const line of lines) this.applyRecord(peer, line);
    } finally {
      closeSync(fd);
    }
  }

  private applyRecord(peer: Peer, record: string): void {
    try {
      if (record.startsWith('+')) {
        const e = JSON.parse(record.slice(1)) as LedgerEntry;
        if (peer.entries.has(e.key)) return;
        peer.entries.set(e.key, { ...e, pid: peer.pid, owner: peer.owner });
        this.countPeerKey(e.key, +1);
      } else if (record.startsWith('-')) {
        const key = JSON.parse(record.slice(1)) as string;
        if (peer.entries.delete(key)) this.countPeerKey(key, -1);
      }
    } catch {
      /* a torn record of a process killed mid-write: ignored */
    }
  }

  private dropPeer(file: string): void {
    const peer = this.peers.get(file);
    if (!peer) return;
    for (const key of peer.entries.keys()) this.countPeerKey(key, -1);
    this.peers.delete(file);
  }

  private countPeerKey(key: string, delta: 1 | -1): void {
    const before = this.peerCounts.get(key) ?? 0;
    const after = before + delta;
    if (after > 0) this.peerCounts.set(key, after);
    else this.peerCounts.delete(key);
    if (this.own.has(key)) {
      if (before === 0 && after > 0) this.ownOnly--;
      if (before > 0 && after === 0) this.ownOnly++;
    }
  }

  private get lockFile(): string {
    return join(this.dir, '.lock');
  }

  private locked<T>(fn: () => T): T {
    this.lock();
    try {
      return fn();
    } finally {
      unlinkQuietly(this.lockFile);
    }
  }

  private lock(): void {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const fd = openSync(this.lockFile, 'wx', this.fileMode);
        writeFileSync(fd, String(process.pid));
        closeSync(fd);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      if (this.lockIsStale()) {
        unlinkQuietly(this.lockFile);
        continue;
      }
      if (Date.now() > deadline) throw new Error(`the licence lease ledger ${this.dir} stays locked (by ${this.lockHolder()})`);
      Atomics.wait(sleeper, 0, 0, 2);
    }
  }

  private lockHolder(): string {
    try {
      return `process ${readFileSync(this.lockFile, 'utf8').trim()}`;
    } catch {
      return 'an unknown process';
    }
  }

  private lockIsStale(): boolean {
    try {
      const pid = Number(readFileSync(this.lockFile, 'utf8').trim());
      if (pid && !this.isAlive(pid)) return true;
      return Date.now() - statSync(this.lockFile).mtimeMs > STALE_LOCK_MS;
    } catch {
      return false;
    }
  }
}

/** A journal record: the entry without its process and pool, which the journal's file name gives (readers take them from there). */
function record(e: LedgerLine): string {
  return JSON.stringify({ key: e.key, instanceId: e.instanceId, kind: e.kind, line: e.line });
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}
