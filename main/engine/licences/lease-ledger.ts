import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type LeaseKind = 'line' | 'phone';

/** One process holding a licence for one (instance, kind, line). Several processes may hold the same key. */
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

/**
 * Where the leases of every process on this PC are written down, so the pool is one pool even when the app
 * and `linekeeper serve` run side by side. Entries of processes that are gone are dropped on every access,
 * so a crashed driver does not keep its licences.
 */
export interface LeaseLedger {
  /** Runs `fn` on the live entries with exclusive access and stores the entries it returns. */
  update<T>(fn: (entries: LedgerEntry[]) => { entries: LedgerEntry[]; result: T }): T;
  read(): LedgerEntry[];
}

/** A ledger for one process only (tests, or a pool that needs no sharing). */
export class MemoryLedger implements LeaseLedger {
  private entries: LedgerEntry[] = [];
  update<T>(fn: (entries: LedgerEntry[]) => { entries: LedgerEntry[]; result: T }): T {
    const { entries, result } = fn([...this.entries]);
    this.entries = entries;
    return result;
  }
  read(): LedgerEntry[] {
    return [...this.entries];
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
/** A lock older than this is left over by a process killed while holding it (updates take milliseconds). */
const STALE_LOCK_MS = 5000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * A JSON file of entries changed under an exclusive lock file (`<file>.lock`, created with O_EXCL). Synchronous
 * on purpose: the check for a free licence and the write that takes it cannot interleave with another lease.
 */
export class FileLedger implements LeaseLedger {
  constructor(
    readonly file: string,
    private readonly isAlive: (pid: number) => boolean = processAlive,
  ) {
    mkdirSync(dirname(file), { recursive: true });
  }

  read(): LedgerEntry[] {
    return this.live(this.load());
  }

  update<T>(fn: (entries: LedgerEntry[]) => { entries: LedgerEntry[]; result: T }): T {
    this.lock();
    try {
      const { entries, result } = fn(this.live(this.load()));
      const temp = `${this.file}.tmp-${process.pid}`;
      writeFileSync(temp, JSON.stringify({ entries }));
      renameSync(temp, this.file);
      return result;
    } finally {
      this.unlock();
    }
  }

  private live(entries: LedgerEntry[]): LedgerEntry[] {
    const alive = new Map<number, boolean>();
    return entries.filter((e) => {
      let a = alive.get(e.pid);
      if (a === undefined) alive.set(e.pid, (a = this.isAlive(e.pid)));
      return a;
    });
  }

  private load(): LedgerEntry[] {
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as { entries?: LedgerEntry[] };
      return Array.isArray(data.entries) ? data.entries : [];
    } catch {
      // Missing, or cut short by a crash: leases are rebuilt by the processes that still hold lines.
      return [];
    }
  }

  private get lockFile(): string {
    return `${this.file}.lock`;
  }

  private lock(): void {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const fd = openSync(this.lockFile, 'wx');
        writeFileSync(fd, String(process.pid));
        closeSync(fd);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      if (this.lockIsStale()) {
        try {
          unlinkSync(this.lockFile);
        } catch {
          /* another process removed it first */
        }
        continue;
      }
      if (Date.now() > deadline) throw new Error(`the licence lease ledger ${this.file} stays locked (by ${this.lockHolder() ?? 'an unknown process'})`);
      Atomics.wait(sleeper, 0, 0, 5);
    }
  }

  private lockHolder(): string | undefined {
    try {
      return `process ${readFileSync(this.lockFile, 'utf8').trim()}`;
    } catch {
      return undefined;
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

  private unlock(): void {
    try {
      unlinkSync(this.lockFile);
    } catch {
      /* already gone */
    }
  }
}
