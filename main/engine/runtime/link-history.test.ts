import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionState, ConnectionStatus } from '../../../shared/api/drivers';
import { LinkHistory, LINK_HISTORY_MAX_EVENTS } from './link-history';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function fileIn(): string {
  const d = mkdtempSync(join(tmpdir(), 'lk-link-history-'));
  dirs.push(d);
  return join(d, 'run', 'link-history.jsonl');
}

const status = (state: ConnectionState, error?: string): ConnectionStatus => ({
  instanceId: 'pbx',
  state,
  since: '',
  step: '',
  stepCode: 'open',
  stepParams: {},
  lastError: error ? { code: error, message: `${error} at 10.0.0.1:33333` } : null,
  attempts: 0,
  nextAttemptAt: null,
  eventsPerSecond: 0,
  warnings: [],
  target: null,
});

describe('reconnect history', () => {
  it('records one drop with its cause per outage and the recovery with the time the link was down', () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const h = new LinkHistory({ clock: () => now });
    h.observe(status('connecting'));
    h.observe(status('connected'));
    now += 60_000;
    h.observe(status('lost', 'LINK_LOST'));
    now += 1000;
    h.observe(status('retrying', 'CONNECT_REFUSED'));
    now += 4000;
    h.observe(status('retrying', 'CONNECT_REFUSED'));
    now += 2000;
    h.observe(status('connected'));
    h.observe(status('stopped'));
    expect(h.list('pbx')).toEqual([
      { at: '2026-12-01T10:00:00.000Z', kind: 'up' },
      { at: '2026-12-01T10:01:00.000Z', kind: 'down', code: 'LINK_LOST', message: 'LINK_LOST at 10.0.0.1:33333' },
      { at: '2026-12-01T10:01:07.000Z', kind: 'up', downMs: 7000 },
      { at: '2026-12-01T10:01:07.000Z', kind: 'stopped' },
    ]);
  });

  it('is kept across a restart for 7 days, and a damaged line loses only itself', () => {
    const file = fileIn();
    let now = Date.parse('2026-12-01T10:00:00Z');
    const first = new LinkHistory({ file, clock: () => now });
    first.observe(status('retrying', 'CONNECT_REFUSED'));
    now += 3 * 86_400_000;
    first.observe(status('connected'));
    appendFileSync(file, '{"instanceId":"pbx","at":"2026-12-0');
    now += 3 * 86_400_000;
    const second = new LinkHistory({ file, clock: () => now });
    expect(second.list('pbx').map((e) => e.kind)).toEqual(['down', 'up']);
    now += 2 * 86_400_000;
    // the drop is now 8 days old, the recovery 5
    expect(new LinkHistory({ file, clock: () => now }).list('pbx').map((e) => e.kind)).toEqual(['up']);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('keeps a bounded number of events per instance', () => {
    const h = new LinkHistory();
    for (let i = 0; i < LINK_HISTORY_MAX_EVENTS; i++) {
      h.observe(status('lost', 'LINK_LOST'));
      h.observe(status('connected'));
    }
    expect(h.list('pbx')).toHaveLength(LINK_HISTORY_MAX_EVENTS);
  });
});
