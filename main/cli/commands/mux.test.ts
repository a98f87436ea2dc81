import { mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../run';
import { runCliCapture } from '../testing';
import { startPanasonicSim } from '../../sim/panasonic';
import { CstaTestClient } from '../../protocols/csta-ber/testing/client';
import { startFakePbx } from '../../servers/mux/testing/pbx';

const dataDir = () => mkdtempSync(join(tmpdir(), 'lk-mux-cli-'));

/** Runs `linekeeper mux` with `args` until `stop()`; resolves once it listens, with its TCP port and output so far. */
async function runMux(args: string[]) {
  let stop!: () => void;
  const stopSignal = new Promise<void>((resolve) => (stop = resolve));
  const io = { out: '' };
  const run = runCli(['mux', ...args, '--tcp-port', '0', '--data-dir', dataDir()], { stdout: (t) => (io.out += t), stderr: (t) => (io.out += t), stopSignal });
  for (let i = 0; i < 200 && !/Press Ctrl-C/.test(io.out); i++) await new Promise((r) => setTimeout(r, 20));
  const port = Number(/CSTA \(TCP\): [^:]+:(\d+)/.exec(io.out)![1]);
  return { io, port, run, stop };
}

describe('linekeeper mux', () => {
  it('serves applications against the PBX until stopped, printing ports and the login warnings', async () => {
    const sim = await startPanasonicSim({ port: 0 });
    const { io, port, run, stop } = await runMux(['--pbx', `127.0.0.1:${sim.tcpPort}`, '--bind', '127.0.0.1']);
    expect(io.out).toMatch(/default login admin\/admin/);
    expect(io.out).toMatch(/login: required on TLS, optional on TCP/);
    for (let i = 0; i < 200 && sim.counters().associations.active === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const app = await CstaTestClient.login({ port });
    expect((await app.invoke('monitorStart', { monitorObject: { deviceObject: { deviceIdentifier: { dialingNumber: '100' } } } } as never)).kind).toBe('returnResult');
    app.close();
    stop();
    expect(await run).toBe(0);
    expect(io.out).toMatch(/multiplexer stopped/);
    await sim.close();
  });

  it('listens on 127.0.0.1 without --bind and prints a hostile user name escaped', async () => {
    const sim = await startPanasonicSim({ port: 0 });
    const { io, port, run, stop } = await runMux(['--pbx', `127.0.0.1:${sim.tcpPort}`]);
    expect(io.out).toContain(`CSTA (TCP): 127.0.0.1:${port}`);
    // a login that is sent is checked (and logged) even on TCP
    const { client, aare } = await CstaTestClient.open({ port, login: { user: 'x\u001b[2J\nINFO fake line', password: 'guess' } });
    client.close();
    expect(aare).toMatchObject({ result: 1 });
    for (let i = 0; i < 100 && !/wrong user or password/.test(io.out); i++) await new Promise((r) => setTimeout(r, 20));
    expect(io.out).toContain('wrong user or password for "x\\x1b[2J\\x0aINFO fake line"');
    expect(io.out).not.toMatch(/\u001b/);
    stop();
    expect(await run).toBe(0);
    await sim.close();
  });

  it('refuses an application its requests beyond --max-outstanding while the PBX is slow', async () => {
    const pbx = await startFakePbx({ hold: (op) => op === 316 });
    const { io, port, run, stop } = await runMux(['--pbx', `127.0.0.1:${pbx.port}`, '--max-outstanding', '2']);
    for (let i = 0; i < 200 && !/PBX link .* up/.test(io.out); i++) await new Promise((r) => setTimeout(r, 20));
    const app = await CstaTestClient.login({ port });
    const dnd = { device: { deviceIdentifier: { dialingNumber: '100' } }, doNotDisturbOn: true } as never;
    // the first two wait for the PBX (and fail when the application goes away)
    const answers = [1, 2, 3].map(() => app.invoke('setDoNotDisturb', dnd, 1000).catch((e: Error) => e));
    expect(await answers[2]).toMatchObject({ kind: 'returnError', error: { subscribedResourceAvailability: 'outstandingReqLimitExceeded' } });
    app.close();
    stop();
    expect(await run).toBe(0);
    await pbx.close();
    await Promise.all(answers);
    const bad = await runCliCapture(['mux', '--pbx', 'pbx:33333', '--max-outstanding', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-outstanding must be a whole number 1-32767/);
  });

  it('exits 1 with the reason when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as AddressInfo).port;
    const { code, stderr } = await runCliCapture(['mux', '--pbx', '127.0.0.1:1', '--tcp-port', String(port), '--bind', '127.0.0.1', '--data-dir', dataDir()]);
    blocker.close();
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}.*in use.*MUX_PORT_IN_USE`));
  });

  it('exits 1 when the certificate file cannot be used', async () => {
    const { code, stderr } = await runCliCapture(['mux', '--pbx', '127.0.0.1:1', '--tcp-port', '0', '--tls-port', '0', '--cert', '/nonexistent.pem', '--key', '/nonexistent.key', '--bind', '127.0.0.1', '--data-dir', dataDir()]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/MUX_CERTIFICATE_INVALID/);
  });

  it('exits 2 without --pbx or with a malformed address or port', async () => {
    expect((await runCliCapture(['mux'])).code).toBe(2);
    const bad = await runCliCapture(['mux', '--pbx', 'pbx:99999']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--pbx port must be a port number/);
    const tls = await runCliCapture(['mux', '--pbx', 'pbx:33333', '--tls-port', '33334']);
    expect(tls.code).toBe(2);
    expect(tls.stderr).toMatch(/--cert/);
  });
});
