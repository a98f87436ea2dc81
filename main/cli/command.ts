import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** What a command can touch; tests pass buffers instead of the real streams. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Resolves when the process is asked to stop (Ctrl-C, SIGTERM); long-running commands await it. */
  stopSignal: Promise<void>;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the exit code: 0 success, 1 the job failed (failed tests, bad rows), 2 usage or invalid input. */
  run(argv: string[], io: CliIO): Promise<number>;
  /** A group answers `--help` of its verbs itself (`rules check --help` shows the verb's usage). */
  readonly isGroup?: boolean;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A problem with how the command was called; printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs in strict mode, with its errors turned into UsageErrors that name the option. */
export function parseOptions<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function requireOption<T>(value: T | undefined, flag: string): T {
  if (value === undefined || value === '') throw new UsageError(`missing required option ${flag}`);
  return value;
}

/** A whole-number option from `min` to `max` (`fallback` when absent); `problem` words the error for a bad one. */
export function parseWholeNumber(value: string | undefined, fallback: number, min: number, max: number, problem: (value: string) => string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(problem(value));
  return n;
}

export function parsePort(value: string | undefined, flag: string, fallback: number): number {
  return parseWholeNumber(value, fallback, 0, 65535, (v) => `${flag} must be a port number 0-65535, got "${v}"`);
}

/** Rows as columns two spaces apart (the last column unpadded), the first row the header. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ') + '\n').join('');
}

/** A command with verbs below it (`rules check`, `rules test`); each verb is a Command of its own. */
export function group(name: string, summary: string, verbs: Command[]): Command {
  const usage = [`linekeeper ${name} <verb> ...`, '', 'Verbs:', ...verbs.map((v) => `  ${v.name.padEnd(12)} ${v.summary}`)].join('\n');
  return {
    name,
    summary,
    usage,
    isGroup: true,
    async run(argv, io) {
      const [verbName, ...rest] = argv;
      if (!verbName || verbName === '--help' || verbName === '-h') {
        io.stdout(usage + '\n');
        return verbName ? EXIT_OK : EXIT_USAGE;
      }
      const verb = verbs.find((v) => v.name === verbName);
      if (!verb) {
        io.stderr(`linekeeper ${name}: unknown verb "${verbName}"\n\n${usage}\n`);
        return EXIT_USAGE;
      }
      return runCommand(verb, rest, io, `${name} ${verb.name}`);
    },
  };
}

/** Runs a command, turning UsageErrors into a message with the usage and exit code 2. */
export async function runCommand(cmd: Command, argv: string[], io: CliIO, fullName = cmd.name): Promise<number> {
  if (!cmd.isGroup && (argv.includes('--help') || argv.includes('-h'))) {
    io.stdout(cmd.usage + '\n');
    return EXIT_OK;
  }
  try {
    return await cmd.run(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`linekeeper ${fullName}: ${e.message}\nusage: ${cmd.usage}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

/** A certificate or key file named by a flag; an unreadable one is a usage error naming the flag. */
export function readPemFile(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`${flag}: cannot read ${path}: ${(e as Error).message}`);
  }
}
