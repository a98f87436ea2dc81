import type { Coded } from '../../shared/problems';
import { appendFileSync, mkdirSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makePrivateDir, privateModes } from '../store';
import { LOG_LEVELS, type LogEntry, type LogLevel } from '../../shared/api/app';

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };
const FILE_RE = /^linekeeper-(\d{4}-\d{2}-\d{2})(?:\.(\d+))?\.log$/;

export interface LoggerOptions {
  directory: string;
  level?: LogLevel;
  /** Bytes one daily file may reach before it is rotated to `.1.log`, `.2.log` … */
  maxFileBytes?: number;
  /** How many rotated files of one day are kept. */
  maxRotations?: number;
  /** Entries kept in memory for `log.recent`. */
  recentCapacity?: number;
  now?: () => Date;
}

/**
 * Makes the folder if missing and proves a file can be written and removed in it; throws the system's error
 * (EACCES, EROFS, ENOTDIR …) otherwise. An existing folder the admin chose is left with its own permissions.
 */
export function checkWritableDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const probe = join(dir, `.linekeeper-write-test-${process.pid}`);
  writeFileSync(probe, '', { mode: 0o600 });
  unlinkSync(probe);
}

export function isLogLevel(v: string): v is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(v);
}

/**
 * One log file per day in the data directory, capped in size and rotated, plus a ring buffer of recent entries
 * and listeners (the `log.entry` event). Writes are synchronous and small so a crash loses nothing logged.
 */
export class Logger {
  level: LogLevel;
  private dir: string;
  readonly maxFileBytes: number;
  private readonly maxRotations: number;
  private readonly recentCapacity: number;
  private readonly now: () => Date;
  private recentEntries: LogEntry[] = [];
  private listeners = new Set<(e: LogEntry) => void>();
  private readonly fileMode: number;

  constructor(opts: LoggerOptions) {
    this.dir = opts.directory;
    this.level = opts.level ?? 'info';
    this.maxFileBytes = opts.maxFileBytes ?? 10 * 1024 * 1024;
    this.maxRotations = opts.maxRotations ?? 5;
    this.recentCapacity = opts.recentCapacity ?? 2000;
    this.now = opts.now ?? (() => new Date());
    // Log lines name hosts, users and numbers: readable by the user alone (or a shared data directory's group).
    const modes = privateModes(dirname(this.directory));
    this.fileMode = modes.file;
    makePrivateDir(this.dir, modes);
  }

  /** Where the daily files are written now. */
  get directory(): string {
    return this.dir;
  }

  /** Writes to `dir` from now on; throws (as checkWritableDirectory) and keeps the old folder when it cannot be written. */
  useDirectory(dir: string): void {
    checkWritableDirectory(dir);
    this.dir = dir;
  }

  /** A logger that tags every entry with a component name. */
  child(source: string) {
    return {
      error: (m: string | Coded) => this.log('error', source, m),
      warn: (m: string | Coded) => this.log('warn', source, m),
      info: (m: string | Coded) => this.log('info', source, m),
      debug: (m: string | Coded) => this.log('debug', source, m),
    };
  }

  onEntry(listener: (e: LogEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A coded entry keeps its code and facts, so the console can show it in the admin's language. */
  log(level: LogLevel, source: string, m: string | Coded): void {
    if (RANK[level] > RANK[this.level]) return;
    const time = this.now();
    const message = typeof m === 'string' ? m : m.message;
    const entry: LogEntry = typeof m === 'string' ? { time: time.toISOString(), level, source, message } : { time: time.toISOString(), level, source, message, code: m.code, ...(m.params ? { params: m.params } : {}) };
    this.recentEntries.push(entry);
    if (this.recentEntries.length > this.recentCapacity) this.recentEntries.splice(0, this.recentEntries.length - this.recentCapacity);
    this.write(time, `${entry.time} ${level.toUpperCase().padEnd(5)} [${source}] ${message.replace(/\r?\n/g, ' | ')}\n`);
    for (const l of this.listeners) l(entry);
  }

  recent(limit: number, minLevel?: LogLevel): LogEntry[] {
    const max = minLevel ? RANK[minLevel] : RANK.debug;
    return this.recentEntries.filter((e) => RANK[e.level] <= max).slice(-limit);
  }

  fileFor(day: Date): string {
    return join(this.directory, `linekeeper-${day.toISOString().slice(0, 10)}.log`);
  }

  /** Deletes daily files (and their rotations) older than the given number of days; returns their names. */
  deleteOlderThan(days: number): string[] {
    const cutoff = new Date(this.now().getTime() - days * 86_400_000).toISOString().slice(0, 10);
    const deleted: string[] = [];
    for (const name of readdirSync(this.directory)) {
      const m = FILE_RE.exec(name);
      if (m && m[1] < cutoff) {
        unlinkSync(join(this.directory, name));
        deleted.push(name);
      }
    }
    return deleted.sort();
  }

  private write(time: Date, line: string): void {
    const file = this.fileFor(time);
    try {
      let size = 0;
      try {
        size = statSync(file).size;
      } catch {
        size = 0;
      }
      if (size > 0 && size + Buffer.byteLength(line) > this.maxFileBytes) this.rotate(file);
      appendFileSync(file, line, { mode: this.fileMode });
    } catch {
      // Logging must never take the product down (disk full, directory removed).
    }
  }

  private rotate(file: string): void {
    const base = file.slice(0, -'.log'.length);
    try {
      unlinkSync(`${base}.${this.maxRotations}.log`);
    } catch {
      /* not there */
    }
    for (let i = this.maxRotations - 1; i >= 1; i--) {
      try {
        renameSync(`${base}.${i}.log`, `${base}.${i + 1}.log`);
      } catch {
        /* not there */
      }
    }
    renameSync(file, `${base}.1.log`);
  }
}
