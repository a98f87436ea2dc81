import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Logger } from './logger';

const dirs: string[] = [];
function dir() {
  const d = mkdtempSync(join(tmpdir(), 'lk-log-'));
  dirs.push(d);
  return d;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('Logger', () => {
  it('writes one file per day named by the date', () => {
    const d = dir();
    let now = new Date('2026-11-20T10:00:00Z');
    const log = new Logger({ directory: d, now: () => now });
    log.log('info', 'app', 'first day');
    now = new Date('2026-11-21T10:00:00Z');
    log.log('info', 'app', 'second day');
    expect(readdirSync(d).sort()).toEqual(['linekeeper-2026-11-20.log', 'linekeeper-2026-11-21.log']);
    expect(readFileSync(join(d, 'linekeeper-2026-11-21.log'), 'utf8')).toMatch(/INFO +\[app\] second day/);
  });

  it('drops entries below the level and keeps them out of the recent list', () => {
    const log = new Logger({ directory: dir(), level: 'warn' });
    log.log('info', 'app', 'hidden');
    log.log('error', 'app', 'shown');
    expect(log.recent(10).map((e) => e.message)).toEqual(['shown']);
    log.level = 'debug';
    log.log('debug', 'app', 'now shown');
    expect(log.recent(10, 'error').map((e) => e.message)).toEqual(['shown']);
    expect(log.recent(10).map((e) => e.message)).toEqual(['shown', 'now shown']);
  });

  it('rotates a day file at the size cap and keeps a bounded number of rotations', () => {
    const d = dir();
    const log = new Logger({ directory: d, maxFileBytes: 200, maxRotations: 2, now: () => new Date('2026-11-20T10:00:00Z') });
    for (let i = 0; i < 20; i++) log.log('info', 'app', `entry ${i} ${'x'.repeat(40)}`);
    expect(readdirSync(d).sort()).toEqual(['linekeeper-2026-11-20.1.log', 'linekeeper-2026-11-20.2.log', 'linekeeper-2026-11-20.log']);
    for (const f of readdirSync(d)) expect(readFileSync(join(d, f)).length).toBeLessThanOrEqual(200);
    expect(readFileSync(join(d, 'linekeeper-2026-11-20.log'), 'utf8')).toContain('entry 19');
  });

  it('deletes day files older than the given days, with their rotations, and nothing else', () => {
    const d = dir();
    for (const f of ['linekeeper-2026-10-01.log', 'linekeeper-2026-10-01.1.log', 'linekeeper-2026-11-19.log', 'notes.txt']) writeFileSync(join(d, f), 'x');
    const log = new Logger({ directory: d, now: () => new Date('2026-11-20T10:00:00Z') });
    expect(log.deleteOlderThan(30)).toEqual(['linekeeper-2026-10-01.1.log', 'linekeeper-2026-10-01.log']);
    expect(readdirSync(d).sort()).toEqual(['linekeeper-2026-11-19.log', 'notes.txt']);
  });

  it('tells listeners about each entry and keeps multi-line messages on one line in the file', () => {
    const d = dir();
    const log = new Logger({ directory: d, now: () => new Date('2026-11-20T10:00:00Z') });
    const seen: string[] = [];
    log.onEntry((e) => seen.push(`${e.level}:${e.source}:${e.message}`));
    log.child('csta').warn('line one\nline two');
    expect(seen).toEqual(['warn:csta:line one\nline two']);
    expect(readFileSync(join(d, 'linekeeper-2026-11-20.log'), 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
