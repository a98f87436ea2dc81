import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCapture } from '../testing';
import { startPanasonicSim, type PanasonicSim } from '../../sim/panasonic';
import { defaultLayout, SHARED_NUMBER, startCmeSim } from '../../sim/cme';
import { makeTestCert } from '../../protocols/sip/testing/certs';

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

describe('linekeeper lines discover --family cme --https', () => {
  it('names an untrusted certificate with its fingerprint, then reads the lines with that fingerprint or the CA; --json gives buttons as a list', async () => {
    const cert = makeTestCert();
    // Phone 1 carries a third button, so its other buttons are two.
    const layout = defaultLayout(4);
    layout.extensions.push({ id: 99, number: '2099', name: 'Night', ctiWatch: false, ctiNotify: false });
    layout.ephones[0].buttons.set(3, 99);
    const sim = await startCmeSim({ layout, tls: { port: 0, cert: cert.cert, key: cert.key }, user: 'axl', password: 'axl-pw' });
    try {
      const args = ['lines', 'discover', '--family', 'cme', '--host', '127.0.0.1', '--https', '--axl-port', String(sim.tlsPort), '--user', 'axl', '--password', 'axl-pw', '--names', '--buttons'];
      const untrusted = await runCliCapture(args);
      expect(untrusted.code).toBe(1);
      expect(untrusted.stderr).toMatch(/^TLS_FAILED: /);
      const seen = /certificate SHA-256 fingerprint: (\S+) \(to trust it: --fingerprint \1\)/.exec(untrusted.stderr)![1];
      expect(seen.replace(/:/g, '').toLowerCase()).toBe(cert.fingerprint256);
      expect(sim.xml.requests).toBe(0);

      const pinned = await runCliCapture([...args, '--fingerprint', seen, '--json']);
      expect(pinned.code, pinned.stderr).toBe(0);
      const rows = pinned.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(rows[0]).toEqual({ number: '2001', name: 'User 1', deviceId: 'SEP001122000001', buttons: [SHARED_NUMBER, '2099'], kind: 'proprietary' });
      expect(rows[2]).toEqual({ number: SHARED_NUMBER, name: 'Sales', deviceId: 'SEP001122000003', buttons: [], kind: 'proprietary' });
      expect(rows.find((r) => r.number === '3001')).toEqual({ number: '3001', name: 'Anna Roam', deviceId: '', buttons: ['3002'], kind: 'proprietary' });
      expect(pinned.stderr).toContain('warning: SIP phone 0013.1978.3CA5 (2501) is skipped');
      expect(sim.xml.requests).toBeGreaterThan(0);

      // With the CA file, the plain text rows: the buttons joined with ';' as before.
      const withCa = await runCliCapture([...args, '--ca', cert.certPath]);
      expect(withCa.code, withCa.stderr).toBe(0);
      expect(withCa.stdout.split('\n')[0]).toBe(`2001\tUser 1\tSEP001122000001\t${SHARED_NUMBER};2099\tproprietary`);

      const badPin = await runCliCapture([...args, '--fingerprint', 'AB:CD']);
      expect(badPin.code).toBe(2);
      expect(badPin.stderr).toContain('--fingerprint');
      const both = await runCliCapture([...args, '--fingerprint', seen, '--ca', cert.certPath]);
      expect(both.code).toBe(2);
      const noFile = await runCliCapture([...args, '--ca', `${cert.certPath}.missing`]);
      expect(noFile.code).toBe(2);
      expect(noFile.stderr).toContain('cannot read the CA file');
    } finally {
      await sim.close();
    }
  });
});
