import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeThrown, guardProcess } from './process-guard';

/** Runs ESM code in a fresh Node (with tsx for the TypeScript import), so a real uncaught error can happen. */
function child(code: string) {
  const guard = pathToFileURL(join(__dirname, 'process-guard.ts')).href;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `import { guardProcess } from ${JSON.stringify(guard)};\n${code}`], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('process guard of the long-running commands', () => {
  it('logs an uncaught exception and an unhandled rejection with context, and the process keeps running', () => {
    const r = child(`
      guardProcess('linekeeper test', (m) => console.log('LOGGED ' + m.split('\\n')[0]));
      setTimeout(() => { throw new TypeError('thrown in a timer'); }, 1);
      setTimeout(() => { Promise.reject(new RangeError('rejected and forgotten')); }, 5);
      setTimeout(() => { console.log('STILL RUNNING'); }, 50);
    `);
    expect(r.stdout).toContain('LOGGED linekeeper test: uncaught exception (uncaughtException), the process keeps running; please report this: TypeError: thrown in a timer');
    expect(r.stdout).toContain('LOGGED linekeeper test: unhandled promise rejection, the process keeps running; please report this: RangeError: rejected and forgotten');
    expect(r.stdout).toContain('STILL RUNNING');
    expect(r.status).toBe(0);
  });

  it('writes to stderr when the log itself fails, instead of ending the process', () => {
    const r = child(`
      guardProcess('linekeeper test', () => { throw new Error('disk full'); });
      setTimeout(() => { throw new Error('first problem'); }, 1);
      setTimeout(() => { console.log('STILL RUNNING'); }, 30);
    `);
    expect(r.stderr).toContain('linekeeper test: uncaught exception (uncaughtException), the process keeps running; please report this: Error: first problem');
    expect(r.stdout).toContain('STILL RUNNING');
    expect(r.status).toBe(0);
  });

  it('removes its handlers again when the command ends', () => {
    const before = [process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')];
    const unguard = guardProcess('x', () => {});
    expect([process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')]).toEqual([before[0] + 1, before[1] + 1]);
    unguard();
    expect([process.listenerCount('uncaughtException'), process.listenerCount('unhandledRejection')]).toEqual(before);
  });

  it('describes any thrown value in one bounded text', () => {
    expect(describeThrown(new Error('m'))).toMatch(/^Error: m\n {4}at /);
    expect(describeThrown({ code: 7 })).toBe('{"code":7}');
    expect(describeThrown(undefined)).toBe('undefined');
    const hostile = { toJSON() { throw new Error('no'); } };
    expect(describeThrown(hostile)).toBe('[object Object]');
    expect(describeThrown('x'.repeat(5000))).toMatch(/… \(5000 characters\)$/);
  });
});
