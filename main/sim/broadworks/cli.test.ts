import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run';
import { runCliCapture } from '../../cli/testing';

describe('linekeeper sim broadworks', () => {
  it('runs the simulator with the asked number of users, serves Xsi and its control API, and stops on the signal', async () => {
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    let out = '';
    const run = runCli(['sim', 'broadworks', '--port', '0', '--cti-port', '0', '--users', '120'], { stdout: (t) => (out += t), stderr: () => {}, stopSignal });
    for (let i = 0; i < 100 && !/control API/.test(out); i++) await new Promise((r) => setTimeout(r, 20));
    expect(out).toMatch(/120 users in group grp-sim/);
    expect(out).toMatch(/CTI \(TCP\): port \d+ \(framing xml\)/);
    const xsi = /Xsi \(HTTP\): (\S+)/.exec(out)![1];
    const profile = await fetch(`${xsi}user/2119%40sim.test/profile`, { headers: { Authorization: `Basic ${Buffer.from('2119@sim.test:secret').toString('base64')}` } });
    expect(profile.status).toBe(200);
    expect(await profile.text()).toContain('<extension>2119</extension>');
    const status = (await (await fetch(/control API: (\S+)/.exec(out)![1] + '/status')).json()) as { users: number };
    expect(status.users).toBe(120);
    stop();
    expect(await run).toBe(0);
    expect(out).toMatch(/simulator stopped/);
  });

  it('refuses a group larger than 5,000 users and a prefix with a slash', async () => {
    const big = await runCliCapture(['sim', 'broadworks', '--port', '0', '--users', '5001']);
    expect(big.code).toBe(2);
    expect(big.stderr).toContain('--users');
    const prefix = await runCliCapture(['sim', 'broadworks', '--port', '0', '--prefix', 'a/b']);
    expect(prefix.code).toBe(2);
    expect(prefix.stderr).toContain('--prefix');
    const framing = await runCliCapture(['sim', 'broadworks', '--port', '0', '--cti-framing', 'json']);
    expect(framing.code).toBe(2);
    expect(framing.stderr).toContain('--cti-framing must be one of xml, nul, length');
    const ctiTls = await runCliCapture(['sim', 'broadworks', '--port', '0', '--cti-tls-port', '0']);
    expect(ctiTls.code).toBe(2);
    expect(ctiTls.stderr).toContain('--cti-tls-port needs --tls-port');
  });
});
