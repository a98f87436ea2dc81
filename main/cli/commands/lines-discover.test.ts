import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCapture } from '../testing';
import { startPanasonicSim, type PanasonicSim } from '../../sim/panasonic';

let sim: PanasonicSim;
beforeAll(async () => {
  sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-104', sip: '200-201', names: true }, login: { user: 'u', password: 'p' } });
});
afterAll(() => sim.close());

describe('linekeeper lines discover', () => {
  it('prints one JSON object per line with number, name, kind and the SIP verdict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-discover-'));
    const filter = join(dir, 'sip.json');
    writeFileSync(filter, JSON.stringify({ mode: 'rules', rules: [{ kind: 'numberRegex', pattern: '^2' }] }));
    const r = await runCliCapture(['lines', 'discover', '--family', 'panasonic', '--host', '127.0.0.1', '--port', String(sim.tcpPort), '--user', 'u', '--password', 'p', '--names', '--sip-filter', filter, '--json']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(7);
    expect(rows[0]).toEqual({ number: '100', name: expect.stringMatching(/\S/), kind: 'proprietary', sip: false });
    expect(rows[5]).toMatchObject({ number: '200', kind: 'sip', sip: true });
    expect(r.stderr).toContain('7 lines from 127.0.0.1');
    expect(r.stderr).toContain('2 detected as SIP');
  });

  it('counts only the numbers inside --ranges and prints plain rows without --json', async () => {
    const r = await runCliCapture(['lines', 'discover', '--family', 'panasonic', '--host', '127.0.0.1', '--port', String(sim.tcpPort), '--user', 'u', '--password', 'p', '--ranges', '101-102']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('101\t\tproprietary\n102\t\tproprietary\n');
    expect(r.stderr).toContain('5 outside the ranges');
  });

  it('exits 1 with the cause when the login is rejected, and 2 for a wrong call', async () => {
    const bad = await runCliCapture(['lines', 'discover', '--family', 'panasonic', '--host', '127.0.0.1', '--port', String(sim.tcpPort), '--user', 'u', '--password', 'wrong']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('LOGIN_REJECTED');
    const family = await runCliCapture(['lines', 'discover', '--family', 'sip-phones', '--host', 'x']);
    expect(family.code).toBe(2);
    expect(family.stderr).toContain('only panasonic');
    const ranges = await runCliCapture(['lines', 'discover', '--family', 'panasonic', '--host', 'x', '--ranges', '200-100']);
    expect(ranges.code).toBe(2);
    expect(ranges.stderr).toContain('--ranges');
  });
});
