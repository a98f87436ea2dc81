import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCapture } from '../../cli/testing';
import { startBroadWorksSim, type BroadWorksSim } from '../../sim/broadworks';
import { startDnsServer } from '../../protocols/xsi/testing/dns-server';

let sim: BroadWorksSim;
beforeAll(async () => {
  sim = await startBroadWorksSim({ users: 6, prefix: 'nl.cai', ctiPort: 0, ctiFraming: 'length' });
});
afterAll(() => sim.close());

const base = () => ['lines', 'discover', '--family', 'broadworks', '--host', '127.0.0.1', '--type', 'http', '--port', String(sim.port), '--prefix', 'nl.cai'];

describe('linekeeper lines discover --family broadworks', () => {
  it('prints the group lines as {number, name, userId, extension} with --group-user and a group admin login', async () => {
    const r = await runCliCapture([...base(), '--user', sim.admin.userId, '--password', sim.admin.password, '--group-user', '2000@sim.test', '--json']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(6);
    expect(rows[5]).toEqual({ number: '+493055502005', name: '+493055502005 / Felix Schmidt', userId: '2005@sim.test', extension: '2005' });
    expect(Object.keys(rows[0])).toEqual(['number', 'name', 'userId', 'extension']);
    expect(r.stderr).toContain('6 lines from 127.0.0.1');
    // --names says the same thing (the names are read anyway).
    expect(await runCliCapture([...base(), '--user', sim.admin.userId, '--password', sim.admin.password, '--group-user', '2000@sim.test', '--names', '--json'])).toMatchObject({ code: 0, stdout: r.stdout });
  });

  it('with --type cti reaches the CTI socket on --port and reads the lines over HTTP on --http-port', async () => {
    const r = await runCliCapture(['lines', 'discover', '--family', 'broadworks', '--host', '127.0.0.1', '--type', 'cti', '--port', String(sim.ctiPort), '--http-port', String(sim.port), '--prefix', 'nl.cai', '--user', sim.admin.userId, '--password', sim.admin.password, '--group-user', '2000@sim.test', '--json']);
    expect(r.stderr).toContain('6 lines from 127.0.0.1');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(6);
    const wrong = await runCliCapture([...base(), '--http-port', '80', '--user', '2004@sim.test', '--password', 'secret']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--http-port goes with --type cti or ctis');
  });

  it("prints the login's own line without --group-user, tab-separated without --json", async () => {
    const r = await runCliCapture([...base(), '--user', '2004@sim.test', '--password', 'secret']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('+493055502004\t+493055502004 / Eva Schmidt\t2004@sim.test\t2004\n');
  });

  it('finds the platform through the SRV record the --dns resolver serves', async () => {
    const dns = await startDnsServer({ srv: { '_ecsta._tcp.cloud.provider.test': [{ target: 'xsp.provider.test', port: sim.port, priority: 10, weight: 100 }] }, a: { 'xsp.provider.test': '127.0.0.1' } });
    try {
      const r = await runCliCapture(['lines', 'discover', '--family', 'broadworks', '--host', 'cloud.provider.test', '--type', 'http', '--prefix', 'nl.cai', '--dns', dns.address, '--user', '2003@sim.test', '--password', 'secret', '--json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ number: '+493055502003', name: '+493055502003 / David Schmidt', userId: '2003@sim.test', extension: '2003' });
      expect(dns.queries[0]).toBe('SRV _ecsta._tcp.cloud.provider.test');
    } finally {
      await dns.close();
    }
    const bad = await runCliCapture([...base(), '--dns', 'nowhere', '--user', 'u', '--password', 'p']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--dns must be HOST:PORT');
  });

  it('exits 1 naming the failed step, 2 for a bad --type', async () => {
    const scope = await runCliCapture([...base(), '--user', '2001@sim.test', '--password', 'secret', '--group-user', '2000@sim.test']);
    expect(scope.code).toBe(1);
    expect(scope.stderr).toMatch(/^SCOPE_REJECTED/);
    const login = await runCliCapture([...base(), '--user', '2001@sim.test', '--password', 'nope']);
    expect(login.stderr).toMatch(/^LOGIN_REJECTED/);
    const prefix = await runCliCapture(['lines', 'discover', '--family', 'broadworks', '--host', '127.0.0.1', '--type', 'http', '--port', String(sim.port), '--user', '2001@sim.test', '--password', 'secret']);
    expect(prefix.stderr).toMatch(/^PREFIX_NOT_FOUND/);
    const type = await runCliCapture([...base().slice(0, 6), '--type', 'ftp']);
    expect(type.code).toBe(2);
    expect(type.stderr).toContain('--type must be one of http, https, cti, ctis');
  });
});
