import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCapture } from '../testing';
import { openConfigStores } from '../../engine/instances';
import { saveMuxServiceSettings, saveUacstaServiceSettings, uacstaArguments } from '../../services-control/settings';
import { uacstaLogins } from '../../servers/uacsta';
import { startPanasonicSim } from '../../sim/panasonic';

const root = join(__dirname, '..', '..', '..');
const dataDir = () => mkdtempSync(join(tmpdir(), 'lk-service-cli-'));

describe('linekeeper service run', () => {
  it('exits 78 (SERVICE_NOT_CONFIGURED) without settings, and with settings it cannot use', async () => {
    const dir = dataDir();
    const none = await runCliCapture(['service', 'run', 'mux', '--data-dir', dir]);
    expect(none.code).toBe(78);
    expect(none.stderr).toMatch(/SERVICE_NOT_CONFIGURED/);
    openConfigStores(dir);
    writeFileSync(join(dir, 'config', 'service-mux.json'), '{"broken": ');
    const broken = await runCliCapture(['service', 'run', 'mux', '--data-dir', dir]);
    expect(broken.code).toBe(78);
    expect(broken.stderr).toMatch(/saved settings cannot be used/);
    expect((await runCliCapture(['service', 'run', 'nothing', '--data-dir', dir])).code).toBe(2);
  });

  it('uacsta: exits 78 without settings, without the phone password, and with a client port but no client login', async () => {
    const dir = dataDir();
    const none = await runCliCapture(['service', 'run', 'uacsta', '--data-dir', dir]);
    expect(none.code).toBe(78);
    expect(none.stderr).toMatch(/uacsta: not configured yet.*SERVICE_NOT_CONFIGURED/);
    const stores = openConfigStores(dir);
    await saveUacstaServiceSettings(stores.docs, { phonePort: 0, clientPort: 0 });
    const noPassword = await runCliCapture(['service', 'run', 'uacsta', '--data-dir', dir]);
    expect(noPassword.code).toBe(78);
    expect(noPassword.stderr).toMatch(/no phone password is saved yet.*SERVICE_NOT_CONFIGURED/);
    await uacstaLogins(stores.secrets, { phonePassword: 'p' });
    const noClient = await runCliCapture(['service', 'run', 'uacsta', '--data-dir', dir]);
    expect(noClient.code).toBe(78);
    expect(noClient.stderr).toMatch(/--client-tcp needs a client login.*SERVICE_NOT_CONFIGURED/);
  });

  it('uacsta: the saved settings become the command line; TLS waits for a certificate and says so', () => {
    const base = { phonePort: 5070, bind: '0.0.0.0', autoActivate: true, notifyVendors: ['yealink' as const] };
    expect(uacstaArguments(base, '/d')).toEqual(['--phone-tcp', '5070', '--bind', '0.0.0.0', '--data-dir', '/d', '--auto-activate', '--notify-vendors', 'yealink']);
    const tls = uacstaArguments({ ...base, autoActivate: false, notifyVendors: [], clientPort: 5072, phoneTlsPort: 5071, clientTlsPort: 5073, certFile: 'uacsta-tls-cert.pem', keyFile: 'uacsta-tls-key.pem' }, '/d');
    expect(tls).toEqual(['--phone-tcp', '5070', '--bind', '0.0.0.0', '--data-dir', '/d', '--client-tcp', '5072', '--phone-tls', '5071', '--client-tls', '5073', '--cert', join('/d', 'services', 'uacsta-tls-cert.pem'), '--key', join('/d', 'services', 'uacsta-tls-key.pem')]);
    expect(uacstaArguments({ ...base, autoActivate: false, notifyVendors: [], phoneTlsPort: 5071 }, '/d')).not.toContain('--phone-tls');
  });

  it('stops cleanly when its standard input closes (how the Windows service host stops it)', async () => {
    const dir = dataDir();
    const sim = await startPanasonicSim({ port: 0 });
    try {
      // A TLS port without a stored certificate (settings from before certificates were kept): TCP only, and it says so.
      await saveMuxServiceSettings(openConfigStores(dir).docs, { pbxHost: '127.0.0.1', pbxPort: sim.tcpPort, tcpPort: 0, bind: '127.0.0.1', requireLogin: false, tlsPort: 0 });
      const child = spawn(process.execPath, [join(root, 'bin', 'linekeeper.js'), 'service', 'run', 'mux', '--data-dir', dir, '--stop-on-stdin-end'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      for (let i = 0; i < 300 && !/Press Ctrl-C/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
      expect(out).toMatch(/CSTA \(TCP\): 127\.0\.0\.1:\d+/);
      expect(out).toMatch(/TLS port 0 waits for a certificate.*SERVICE_TLS_CERT_MISSING/);
      expect(out).not.toMatch(/CSTA \(TLS\)/);
      const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.stdin.end();
      expect(await exit).toBe(0);
      expect(out).toMatch(/multiplexer stopped/);
    } finally {
      await sim.close();
    }
  }, 40_000);
});

describe.runIf(process.platform === 'linux')('linekeeper service status', () => {
  it('prints each service as systemd reports it, as text or JSON', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'lk-fake-systemctl-'));
    writeFileSync(join(bin, 'systemctl'), '#!/bin/sh\nprintf "LoadState=loaded\\nActiveState=failed\\nResult=exit-code\\nExecMainStatus=78\\nEnvironment=LINEKEEPER_DATA_DIR=/var/lib/linekeeper\\n"\n', { mode: 0o755 });
    const saved = process.env.PATH;
    process.env.PATH = `${bin}:${saved}`;
    try {
      const text = await runCliCapture(['service', 'status']);
      expect(text.code).toBe(0);
      expect(text.stdout).toBe('mux: failed (systemd) SERVICE_NOT_CONFIGURED {} data: /var/lib/linekeeper\nuacsta: failed (systemd) SERVICE_NOT_CONFIGURED {} data: /var/lib/linekeeper\n');
      const json = JSON.parse((await runCliCapture(['service', 'status', '--json'])).stdout);
      const failed = { manager: 'systemd', state: 'failed', problem: { code: 'SERVICE_NOT_CONFIGURED', params: {} }, dataDir: '/var/lib/linekeeper' };
      expect(json).toEqual([{ name: 'mux', ...failed }, { name: 'uacsta', ...failed }]);
    } finally {
      process.env.PATH = saved;
    }
  });
});
