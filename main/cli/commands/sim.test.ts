import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCapture } from '../testing';

describe('linekeeper sim panasonic', () => {
  it('starts a simulator, prints its ports and control API, and stops on the stop signal', async () => {
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    const run = runCliCapture(['sim', 'panasonic', '--port', '0', '--extensions', '100-109', '--sip', '200-201', '--names'], stopSignal);
    stop();
    const { code, stdout } = await run;
    expect(code).toBe(0);
    expect(stdout).toMatch(/12 devices/);
    expect(stdout).toMatch(/CSTA \(TCP\): 127\.0\.0\.1:\d+/);
    expect(stdout).toMatch(/control API: http:\/\/127\.0\.0\.1:\d+/);
    expect(stdout).toMatch(/simulator stopped/);
  });

  it('answers a control API request while running', async () => {
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    let out = '';
    const { runCli } = await import('../run');
    const run = runCli(['sim', 'panasonic', '--port', '0', '--extensions', '100-101'], { stdout: (t) => (out += t), stderr: () => {}, stopSignal });
    for (let i = 0; i < 50 && !/control API/.test(out); i++) await new Promise((r) => setTimeout(r, 20));
    const url = /control API: (\S+)/.exec(out)![1];
    const status = (await (await fetch(url + '/status')).json()) as { devices: number };
    expect(status.devices).toBe(2);
    stop();
    expect(await run).toBe(0);
  });

  it('listens on a TLS port too when given a certificate and key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-sim-cli-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const { code, stdout } = await runCliCapture(['sim', 'panasonic', '--port', '0', '--tls-port', '0', '--cert', cert, '--key', key, '--user', 'admin', '--password', 'pw']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/CSTA \(TLS\): 127\.0\.0\.1:\d+/);
    expect(stdout).toMatch(/login: user "admin" required/);
  });

  it('refuses a certificate file that cannot be read', async () => {
    const { code, stderr } = await runCliCapture(['sim', 'panasonic', '--port', '0', '--tls-port', '0', '--cert', '/nonexistent/cert.pem', '--key', '/nonexistent/key.pem']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--cert: cannot read \/nonexistent\/cert\.pem/);
  });

  it('fails with the host and port when the CSTA port is taken', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const { code, stderr } = await runCliCapture(['sim', 'panasonic', '--port', String(port)]);
      expect(code).toBe(1);
      expect(stderr).toContain(`cannot listen on 127.0.0.1:${port}`);
    } finally {
      server.close();
    }
  });

  it('refuses TLS options given without a certificate and key', async () => {
    const { code, stderr } = await runCliCapture(['sim', 'panasonic', '--port', '0', '--tls-port', '0']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--tls-port, --cert and --key go together/);
  });

  it('refuses a malformed extension range with the offending piece', async () => {
    const { code, stderr } = await runCliCapture(['sim', 'panasonic', '--port', '0', '--extensions', '100-1x9']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--extensions: "100-1x9"/);
  });

  it('takes the ring time for forwarding on no answer and refuses one out of range', async () => {
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    let out = '';
    const { runCli } = await import('../run');
    const run = runCli(['sim', 'panasonic', '--port', '0', '--extensions', '100-102', '--no-answer-seconds', '1'], { stdout: (t) => (out += t), stderr: () => {}, stopSignal });
    for (let i = 0; i < 50 && !/control API/.test(out); i++) await new Promise((r) => setTimeout(r, 20));
    const url = /control API: (\S+)/.exec(out)![1];
    const post = (path: string, body: unknown) => fetch(url + path, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
    await post('/devices/101/forwarding', { type: 'forwardNoAns', on: true, to: '102' });
    const { callID } = await post('/calls', { from: '100', to: '101' });
    const devicesOfCall = async () => ((await (await fetch(url + '/calls')).json()) as any).calls.find((c: any) => c.callID === callID).connections.map((c: any) => c.device);
    expect(await devicesOfCall()).toEqual(['100', '101']);
    await new Promise((r) => setTimeout(r, 1300));
    expect(await devicesOfCall()).toEqual(['100', '102']);
    stop();
    expect(await run).toBe(0);
    for (const bad of ['0', '601', '1.5', 'x']) {
      const { code, stderr } = await runCliCapture(['sim', 'panasonic', '--port', '0', '--no-answer-seconds', bad]);
      expect(code).toBe(2);
      expect(stderr).toContain(`--no-answer-seconds: "${bad}" is not a number of seconds from 1 to 600`);
    }
  });

  it('shows its options with --help', async () => {
    const { code, stdout } = await runCliCapture(['sim', 'panasonic', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--extensions 100-199,300-310\] \[--sip 200-219\]/);
    expect(stdout).toMatch(/control API/);
  });

  it('refuses a user without a password', async () => {
    const { code, stderr } = await runCliCapture(['sim', 'panasonic', '--user', 'admin']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--user and --password go together/);
  });
});
