// baresip (Debian baresip-core) as an independent SIP phone without uaCSTA: it registers with its MAC and digest
// over TCP, refuses the server's CSTA INVITE (a call with no SDP it could answer), and unregisters when it quits.
// The server lists it registered but not controllable, with the reason, and offline once it has gone.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requireTool } from '../../protocols/sip/testing/sipp';
import { UacstaServer } from './server';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
const until = async (f: () => boolean, what: string, ms = 10_000) => {
  for (let t = 0; t < ms && !f(); t += 20) await new Promise((r) => setTimeout(r, 20));
  expect(f(), what).toBe(true);
};

describe('uaCSTA server with baresip as a phone', () => {
  it('baresip registers with its MAC and digest, refuses the CSTA dialog, and goes offline when it quits', { timeout: 30_000 }, async () => {
    requireTool('baresip', 'baresip-core');
    const server = new UacstaServer({ settings: { phones: { host: '127.0.0.1', tcpPort: 0 }, phonePassword: 'phones', clientLogins: [], autoActivate: true, expirySeconds: 300, keepAliveSeconds: 60, notifyVendors: [] } });
    cleanup.push(() => server.close());
    await server.start();
    const port = server.status().listening[0].port;
    const dir = mkdtempSync(join(tmpdir(), 'baresip-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'accounts'), `<sip:0004130a0b0d@127.0.0.1:${port};transport=tcp>;auth_pass=phones;regint=300\n`);
    writeFileSync(join(dir, 'config'), ['sip_listen\t127.0.0.1:0', 'sip_transports\ttcp', 'module_path\t/usr/lib/baresip/modules', 'module\tg711.so', 'module\tauloop.so', 'module_app\taccount.so', ''].join('\n'));
    const phone = spawn('baresip', ['-f', dir, '-t', '4'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    phone.stdout.on('data', (d) => (out += d));
    phone.stderr.on('data', (d) => (out += d));
    const exited = new Promise((r) => phone.on('exit', r));
    cleanup.push(() => phone.kill());

    await until(() => server.phone('0004130a0b0d')?.problem?.code === 'uacsta.dialogFailed', `registered, CSTA refused (baresip: ${out})`);
    expect(server.phone('0004130a0b0d')).toMatchObject({ type: expect.stringMatching(/^baresip v\d/), vendor: 'unknown', status: 'registered', lastIp: '127.0.0.1', dialog: 'none' });
    await exited;
    await until(() => server.phone('0004130a0b0d')?.status === 'offline', 'offline after baresip quit');
  });
});
