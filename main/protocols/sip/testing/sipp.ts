// Runs SIPp (Debian `sip-tester`) and friends as real peers in tests: free ports, a private working directory
// for SIPp's logs, and the result read from its exit code and its error log.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SCENARIOS = join(import.meta.dirname, 'sipp');

/** A clear failure when a tool is missing: the tests need it, they are not skipped. */
export function requireTool(name: string, pkg: string): void {
  if (spawnSync('which', [name]).status !== 0) throw new Error(`${name} is not installed: run scripts/ensure-system-deps.sh (Debian package ${pkg})`);
}

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Waits until something listens on 127.0.0.1:port (read from /proc/net/tcp: no probe connection to confuse SIPp). */
export async function listening(port: number, timeoutMs = 5000): Promise<void> {
  const hex = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    const table = readFileSync('/proc/net/tcp', 'utf8');
    if (table.split('\n').some((l) => l.includes(` ${hex} `) && / 0A /.test(l))) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

export interface SippResult {
  code: number | null;
  successful: number;
  failed: number;
  /** SIPp's error log and the messages it sent and received, for assertion messages. */
  log: string;
}

export interface SippRun {
  done: Promise<SippResult>;
  process: ChildProcess;
}

/**
 * Starts SIPp with `scenario` (a file in testing/sipp) on the local `port` (always give one: SIPp would take 5060,
 * which may be in use). `remote` makes it a client of that address; without it SIPp waits as a server.
 * `calls` is how many calls end the run; `timeoutS` bounds it.
 */
export function startSipp(o: { scenario: string; remote?: string; port: number; calls?: number; timeoutS?: number; args?: string[] }): SippRun {
  requireTool('sipp', 'sip-tester');
  const dir = mkdtempSync(join(tmpdir(), 'sipp-'));
  const files = { err: join(dir, 'errors.log'), msg: join(dir, 'messages.log'), screen: join(dir, 'screen.log') };
  const args = [
    '-sf', join(SCENARIOS, o.scenario), '-t', 't1', '-i', '127.0.0.1', '-m', String(o.calls ?? 1), '-nostdin', '-timeout', `${o.timeoutS ?? 15}s`, '-timeout_error',
    '-trace_err', '-error_file', files.err, '-trace_msg', '-message_file', files.msg, '-trace_screen', '-screen_file', files.screen,
    '-p', String(o.port), ...(o.args ?? []), ...(o.remote ? [o.remote] : []),
  ];
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<SippResult>((resolve) => {
    child.on('exit', (code) => {
      const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
      const screen = read(files.screen);
      const count = (label: string) => Number(new RegExp(`${label}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`).exec(screen)?.[1] ?? 0);
      resolve({ code, successful: count('Successful call'), failed: count('Failed call'), log: `${stderr}\n${read(files.err)}\n${read(files.msg).slice(-6000)}` });
    });
  });
  return { done, process: child };
}
