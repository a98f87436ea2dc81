import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './run';
import { startPanasonicSim, type PanasonicSim } from '../sim/panasonic';

const dirs: string[] = [];
let sim: PanasonicSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function dataDir() {
  const d = mkdtempSync(join(tmpdir(), 'lk-guard-'));
  dirs.push(d);
  return d;
}

function logText(dir: string): string {
  const logs = join(dir, 'logs');
  return readdirSync(logs)
    .map((f) => readFileSync(join(logs, f), 'utf8'))
    .join('');
}

type Listener = (...args: unknown[]) => void;

/**
 * Runs a long-running command until it is up, then hands what escaped every handler to the process handlers
 * it installed (called directly: a real uncaught error would also reach the test runner's own handler).
 */
async function whileRunning(argv: string[], ready: RegExp, poke: (exception: Listener, rejection: Listener) => void) {
  const before = { exception: process.listeners('uncaughtException'), rejection: process.listeners('unhandledRejection') };
  let stop!: () => void;
  const stopSignal = new Promise<void>((resolve) => (stop = resolve));
  let out = '';
  const run = runCli(argv, { stdout: (t) => (out += t), stderr: (t) => (out += t), stopSignal });
  for (let i = 0; i < 300 && !ready.test(out); i++) await new Promise((r) => setTimeout(r, 20));
  expect(out).toMatch(ready);
  const added = (now: unknown[], old: unknown[]) => now.filter((l) => !old.includes(l)) as Listener[];
  const exception = added(process.listeners('uncaughtException'), before.exception);
  const rejection = added(process.listeners('unhandledRejection'), before.rejection);
  expect([exception.length, rejection.length]).toEqual([1, 1]);
  poke(exception[0], rejection[0]);
  stop();
  expect(await run).toBe(0);
  expect(process.listeners('uncaughtException')).toEqual(before.exception);
  expect(process.listeners('unhandledRejection')).toEqual(before.rejection);
  return out;
}

describe('long-running commands log what escapes every handler and keep running', () => {
  it('linekeeper serve writes it to the log in the data directory, with the command and the stack', async () => {
    const dir = dataDir();
    await whileRunning(['serve', '--port', '0', '--data-dir', dir], /Linekeeper console: http/, (exception, rejection) => {
      exception(new TypeError('escaped a handler'), 'uncaughtException');
      rejection(new RangeError('nobody awaited this'), Promise.resolve());
    });
    const log = logText(dir);
    expect(log).toMatch(/ERROR \[process\] linekeeper serve: uncaught exception \(uncaughtException\), the process keeps running; please report this: TypeError: escaped a handler \|\s+at /);
    expect(log).toMatch(/ERROR \[process\] linekeeper serve: unhandled promise rejection, the process keeps running; please report this: RangeError: nobody awaited this/);
  });

  it('linekeeper mux writes it to its log and its console output', async () => {
    sim = await startPanasonicSim({ port: 0 });
    const dir = dataDir();
    const out = await whileRunning(['mux', '--pbx', `127.0.0.1:${sim.tcpPort}`, '--tcp-port', '0', '--bind', '127.0.0.1', '--data-dir', dir], /Press Ctrl-C/, (exception) =>
      exception(new Error('mux bug'), 'uncaughtException'),
    );
    expect(out).toMatch(/ERROR linekeeper mux: uncaught exception \(uncaughtException\), the process keeps running; please report this: Error: mux bug/);
    expect(logText(dir)).toMatch(/\[process\] linekeeper mux: uncaught exception/);
  });

  it('linekeeper sim panasonic writes it to its console output', async () => {
    const out = await whileRunning(['sim', 'panasonic', '--port', '0', '--extensions', '100-101'], /Press Ctrl-C/, (_exception, rejection) =>
      rejection(new Error('sim bug'), Promise.resolve()),
    );
    expect(out).toMatch(/ERROR linekeeper sim panasonic: unhandled promise rejection, the process keeps running; please report this: Error: sim bug/);
  });
});
