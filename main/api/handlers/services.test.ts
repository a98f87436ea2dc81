import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { connect } from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useApiHarness } from './api-harness';
import { unitState, writeFakeSystemctl } from '../../services-control/testing/fake-systemctl';
import { ServiceControl, parseLaunchctlPrint, parseScQuery, type CommandRunner } from '../../services-control/control';
import { startPanasonicSim } from '../../sim/panasonic';
import { CstaTestClient } from '../../protocols/csta-ber/testing/client';
import { spawnMuxProcess, spawnServerProcess } from '../../services-control/testing/linekeeper-process';
import { makeTestCert } from '../../protocols/sip/testing/certs';
import { UACSTA_DEFAULT_SETTINGS } from '../../../shared/api/uacsta';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });

const harness = useApiHarness('lk-services-');

let fakeDir: string;
const savedPath = process.env.PATH;
beforeEach(() => {
  fakeDir = mkdtempSync(join(tmpdir(), 'lk-fake-systemctl-'));
  writeFakeSystemctl(fakeDir);
  process.env.PATH = `${fakeDir}${delimiter}${savedPath}`;
});
let children: ChildProcess[] = [];
afterEach(() => {
  process.env.PATH = savedPath;
  for (const c of children) c.kill('SIGTERM');
  children = [];
});

const tlsPeerName = (port: number) =>
  new Promise<string>((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(s.getPeerCertificate().subject.CN as string);
      s.destroy();
    });
    s.on('error', reject);
  });
const calls = () => readFileSync(join(fakeDir, 'calls'), 'utf8').trim().split('\n').filter(Boolean);

describe.runIf(process.platform === 'linux')('services API over systemd', () => {
  it('reports a unit the machine does not have as not installed, with the reason', async () => {
    const { call } = harness.setup();
    writeFileSync(join(fakeDir, 'state'), 'LoadState=not-found\nActiveState=inactive\n');
    const [mux] = await call('services.list');
    expect(mux).toMatchObject({ name: 'mux', manager: 'systemd', state: 'not-installed', problem: { code: 'SERVICE_NOT_INSTALLED', params: { unit: 'linekeeper-mux.service' } }, hasLogin: false });
  });

  it('without systemctl at all it says the service manager is missing', async () => {
    const { call } = harness.setup();
    process.env.PATH = mkdtempSync(join(tmpdir(), 'lk-empty-path-'));
    const [mux] = await call('services.list');
    expect(mux).toMatchObject({ state: 'not-installed', problem: { code: 'SERVICE_MANAGER_MISSING', params: { manager: 'systemd' } } });
  });

  it('starts and stops the installed unit and shows the state systemd reports', async () => {
    const { call, dataDir } = harness.setup();
    writeFileSync(join(fakeDir, 'state'), unitState('inactive', { Environment: `LINEKEEPER_DATA_DIR=${dataDir} LANG=C` }));
    expect((await call('services.list'))[0]).toMatchObject({ state: 'stopped', dataDir });
    expect((await call('services.list'))[0].warning).toBeUndefined();
    expect(await call('services.start', { name: 'mux' })).toMatchObject({ state: 'running' });
    expect(await call('services.stop', { name: 'mux' })).toMatchObject({ state: 'stopped' });
    expect(calls().filter((c) => !c.startsWith('show'))).toEqual(['start linekeeper-mux.service', 'stop linekeeper-mux.service']);
  });

  it('a failed unit shows why: not configured (exit 78) or the exit code', async () => {
    const { call } = harness.setup();
    writeFileSync(join(fakeDir, 'state'), unitState('failed', { Result: 'exit-code', ExecMainStatus: '78' }));
    expect((await call('services.list'))[0]).toMatchObject({ state: 'failed', problem: { code: 'SERVICE_NOT_CONFIGURED' } });
    writeFileSync(join(fakeDir, 'state'), unitState('failed', { Result: 'exit-code', ExecMainStatus: '1' }));
    expect((await call('services.list'))[0]).toMatchObject({ state: 'failed', problem: { code: 'SERVICE_EXITED', params: { exitCode: 1, result: 'exit-code' } } });
  });

  it('a refused start comes back as a code with the manager’s answer', async () => {
    const { fail } = harness.setup();
    writeFileSync(join(fakeDir, 'state'), unitState('inactive'));
    writeFileSync(join(fakeDir, 'deny'), '');
    const error = await fail('services.start', { name: 'mux' });
    expect(error).toMatchObject({ code: 'SERVICE_CONTROL_FAILED', details: { action: 'start', detail: 'Interactive authentication required.' } });
  });

  it('warns when the service runs on another data directory than the console', async () => {
    const { call, dataDir } = harness.setup();
    writeFileSync(join(fakeDir, 'state'), unitState('active', { Environment: 'LINEKEEPER_DATA_DIR=/var/lib/linekeeper' }));
    expect((await call('services.list'))[0].warning).toEqual({ code: 'SERVICE_DATA_DIR_DIFFERS', params: { console: dataDir, service: '/var/lib/linekeeper' } });
  });

  it('saved settings and login are what `linekeeper service run mux` starts with; a running service is restarted', async () => {
    const { call, fail, dataDir } = harness.setup();
    writeFileSync(join(fakeDir, 'state'), unitState('active'));
    const bad = await fail('services.setSettings', { name: 'mux', settings: { pbxHost: 'pbx', tlsPort: 1 } });
    expect(bad.code).toBe('SERVICE_TLS_CERT_MISSING');
    expect((await call('services.list'))[0].settings).toBeUndefined();

    const sim = await startPanasonicSim({ port: 0 });
    try {
      const saved = await call('services.setSettings', { name: 'mux', settings: { pbxHost: '127.0.0.1', pbxPort: sim.tcpPort, tcpPort: 0, bind: '127.0.0.1', requireLogin: true }, user: 'svc', password: 'Dienst-Pass' });
      expect(saved).toMatchObject({ state: 'running', hasLogin: true, settings: { pbxHost: '127.0.0.1', pbxPort: sim.tcpPort, requireLogin: true } });
      expect(calls()).toContain('restart linekeeper-mux.service');

      const mux = spawnMuxProcess(['service', 'run', 'mux', '--data-dir', dataDir]);
      children.push(mux.child);
      const { port, output } = await mux.ready;
      expect(output()).toMatch(/login: required on TLS and TCP/);
      const ok = await CstaTestClient.open({ port, login: { user: 'svc', password: 'Dienst-Pass' } });
      expect(ok.aare).toMatchObject({ kind: 'aare', result: 0 });
      ok.client.close();
    } finally {
      await sim.close();
    }
  }, 60_000);
});

describe.runIf(process.platform === 'linux')('the service’s TLS certificate', () => {
  it('is sent as contents, kept in private files main names, and served by `linekeeper service run mux`', async () => {
    const { call, dataDir } = harness.setup();
    writeFileSync(join(fakeDir, 'state'), unitState('inactive'));
    const { cert, key } = makeTestCert();
    const sim = await startPanasonicSim({ port: 0 });
    try {
      const saved = await call('services.setSettings', { name: 'mux', settings: { pbxHost: '127.0.0.1', pbxPort: sim.tcpPort, tcpPort: 0, tlsPort: 0, cert, key } });
      expect(saved.settings).toEqual({ pbxHost: '127.0.0.1', pbxPort: sim.tcpPort, tcpPort: 0, bind: '127.0.0.1', requireLogin: false, tlsPort: 0, certificate: { format: 'pem', subject: 'CN=localhost', validTo: expect.any(String) } });
      expect(JSON.stringify(saved)).not.toContain(dataDir);
      const files = join(dataDir, 'services');
      expect(readdirSync(files).sort()).toEqual(['mux-tls-cert.pem', 'mux-tls-key.pem']);
      for (const f of readdirSync(files)) expect(statSync(join(files, f)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(files, 'mux-tls-key.pem'), 'utf8')).toBe(key);

      // Other settings saved later keep the certificate.
      const again = await call('services.setSettings', { name: 'mux', settings: { pbxHost: '127.0.0.1', pbxPort: sim.tcpPort, tcpPort: 0, tlsPort: 0, requireLogin: true } });
      expect(again.settings.certificate).toMatchObject({ format: 'pem', subject: 'CN=localhost' });

      const mux = spawnMuxProcess(['service', 'run', 'mux', '--data-dir', dataDir]);
      children.push(mux.child);
      const { output } = await mux.ready;
      const tlsPort = Number(/CSTA \(TLS\): 127\.0\.0\.1:(\d+)/.exec(output())?.[1]);
      expect(await tlsPeerName(tlsPort)).toBe('localhost');
    } finally {
      await sim.close();
    }
  }, 60_000);

  it('refuses a key that does not belong, a missing key, a key beside a PFX, and keeps what was stored', async () => {
    const { call, fail, dataDir } = harness.setup();
    writeFileSync(join(fakeDir, 'state'), unitState('inactive'));
    const a = makeTestCert();
    const b = makeTestCert();
    const settings = { pbxHost: '127.0.0.1', tlsPort: 33334 };
    await call('services.setSettings', { name: 'mux', settings: { ...settings, cert: a.cert, key: a.key } });
    expect(await fail('services.setSettings', { name: 'mux', settings: { ...settings, cert: a.cert, key: b.key } })).toMatchObject({ code: 'SERVICE_TLS_KEY_MISMATCH' });
    expect(await fail('services.setSettings', { name: 'mux', settings: { ...settings, cert: b.cert } })).toMatchObject({ code: 'SERVICE_TLS_KEY_MISSING' });
    expect(await fail('services.setSettings', { name: 'mux', settings: { ...settings, cert: Buffer.from('not a pfx at all').toString('base64'), key: b.key } })).toMatchObject({ code: 'SERVICE_TLS_KEY_WITH_PFX' });
    expect(await fail('services.setSettings', { name: 'mux', settings: { ...settings, key: b.key } })).toMatchObject({ code: 'SERVICE_TLS_CERT_MISSING' });
    expect(readFileSync(join(dataDir, 'services', 'mux-tls-cert.pem'), 'utf8')).toBe(a.cert);
    expect(readFileSync(join(dataDir, 'services', 'mux-tls-key.pem'), 'utf8')).toBe(a.key);
  });
});

describe.runIf(process.platform === 'linux')('the uaCSTA server service', () => {
  it('is listed beside the multiplexer, and starts and stops its own unit', async () => {
    const { call } = harness.setup();
    writeFileSync(join(fakeDir, 'state'), unitState('inactive'));
    const list = await call('services.list');
    expect(list.map((s: { name: string }) => s.name)).toEqual(['mux', 'uacsta']);
    expect(list[1]).toMatchObject({ name: 'uacsta', state: 'stopped', hasLogin: false, hasClientLogin: false });
    expect(list[1]).toMatchObject({ configured: false });
    expect(list[1].settings).toBeUndefined();
    expect(await call('services.start', { name: 'uacsta' })).toMatchObject({ name: 'uacsta', state: 'running' });
    expect(await call('services.stop', { name: 'uacsta' })).toMatchObject({ name: 'uacsta', state: 'stopped' });
    expect(calls().filter((c) => !c.startsWith('show'))).toEqual(['start linekeeper-uacsta.service', 'stop linekeeper-uacsta.service']);
    writeFileSync(join(fakeDir, 'state'), 'LoadState=not-found\nActiveState=inactive\n');
    expect((await call('services.list'))[1]).toMatchObject({ state: 'not-installed', problem: { code: 'SERVICE_NOT_INSTALLED', params: { unit: 'linekeeper-uacsta.service' } } });
  });

  it('runs with what the SIP phone server area saved: its ports, passwords and certificate', async () => {
    const { call, dataDir } = harness.setup();
    writeFileSync(join(fakeDir, 'state'), unitState('inactive'));
    // Fixed ports the area sets (free ones, so the test does not collide): the service must listen on exactly these.
    const [phonePort, phoneTlsPort] = [await freePort(), await freePort()];
    const { cert, key } = makeTestCert(hostname());
    await call('uacsta.saveSettings', {
      settings: { ...UACSTA_DEFAULT_SETTINGS, phone: { lan: '127.0.0.1', tcpPort: phonePort, tlsPort: phoneTlsPort }, client: { lan: '127.0.0.1', tcpPort: 0 }, configured: true },
      phonePassword: 'tel',
      clientUser: 'cti',
      clientPassword: 'pw',
      cert,
      key,
    });
    expect((await call('services.list'))[1]).toMatchObject({ name: 'uacsta', configured: true, hasLogin: true, hasClientLogin: true });
    // no second settings document or certificate files beside the area's
    expect(existsSync(join(dataDir, 'config', 'service-uacsta.json'))).toBe(false);
    expect((existsSync(join(dataDir, 'services')) ? readdirSync(join(dataDir, 'services')) : []).filter((f) => f.startsWith('uacsta'))).toEqual([]);

    const server = spawnServerProcess(['service', 'run', 'uacsta', '--data-dir', dataDir], { port: /phones \(TCP\): 127\.0\.0\.1:(\d+)/, tlsPort: /phones \(TLS\): 127\.0\.0\.1:(\d+)/ });
    children.push(server.child);
    const ready = await server.ready;
    expect(ready.port).toBe(phonePort);
    expect(ready.tlsPort).toBe(phoneTlsPort);
    expect(await tlsPeerName(phoneTlsPort)).toBe(hostname());
  }, 60_000);

  it('has no settings of its own on the Services page: setSettings for it is refused', async () => {
    const { fail, dataDir } = harness.setup();
    writeFileSync(join(fakeDir, 'state'), unitState('inactive'));
    expect((await fail('services.setSettings', { name: 'uacsta', settings: { phonePort: 5070 }, phonePassword: 'x' })).code).toBe('INVALID_INPUT');
    expect(existsSync(join(dataDir, 'config', 'service-uacsta.json'))).toBe(false);
  });
});

describe('service managers of Windows and macOS', () => {
  const scQuery = (state: string, win32 = '0', service = '0') =>
    `SERVICE_NAME: linekeeper-mux\r\n        TYPE               : 10  WIN32_OWN_PROCESS\r\n        STATE              : ${state}\r\n        WIN32_EXIT_CODE    : ${win32}  (0x0)\r\n        SERVICE_EXIT_CODE  : ${service}  (0x0)\r\n`;
  const scQc = 'SERVICE_NAME: linekeeper-mux\r\n        BINARY_PATH_NAME   : "C:\\Program Files\\Linekeeper\\resources\\services\\windows\\linekeeper-service.exe" mux "C:\\ProgramData\\Linekeeper"\r\n';

  it('reads sc.exe: running, stopped, failed with its exit code, and the data directory from the program line', () => {
    expect(parseScQuery(scQuery('4  RUNNING'), scQc)).toEqual({ state: 'running', dataDir: 'C:\\ProgramData\\Linekeeper' });
    expect(parseScQuery(scQuery('1  STOPPED'), '')).toEqual({ state: 'stopped', dataDir: undefined });
    expect(parseScQuery(scQuery('1  STOPPED', '1067'), '').problem).toEqual({ code: 'SERVICE_EXITED', params: { exitCode: 1067 } });
    expect(parseScQuery(scQuery('1  STOPPED', '1066', '78'), '').problem).toEqual({ code: 'SERVICE_NOT_CONFIGURED', params: {} });
    // What the service host reports (ServiceBase.ExitCode is the Win32 exit code): the command's own code.
    expect(parseScQuery(scQuery('1  STOPPED', '78'), '').problem).toEqual({ code: 'SERVICE_NOT_CONFIGURED', params: {} });
    expect(parseScQuery(scQuery('1  STOPPED', '1'), '').problem).toEqual({ code: 'SERVICE_EXITED', params: { exitCode: 1 } });
  });

  it('on Windows a missing service is "not installed" and start goes through sc.exe', async () => {
    const seen: string[] = [];
    let installed = false;
    const run: CommandRunner = async (cmd, args) => {
      seen.push(`${cmd} ${args.join(' ')}`);
      if (!installed) return { code: 1060, stdout: '[SC] EnumQueryServicesStatus:OpenService FAILED 1060:\r\n\r\nThe specified service does not exist as an installed service.\r\n', stderr: '' };
      return { code: 0, stdout: args[0] === 'qc' ? scQc : scQuery('4  RUNNING'), stderr: '' };
    };
    const control = new ServiceControl({ platform: 'win32', run });
    expect(await control.query('mux')).toEqual({ state: 'not-installed', problem: { code: 'SERVICE_NOT_INSTALLED', params: { unit: 'linekeeper-mux' } } });
    installed = true;
    expect(await control.control('mux', 'start')).toEqual({ ok: true });
    expect(seen).toContain('sc.exe start linekeeper-mux');
    expect((await control.query('mux')).state).toBe('running');
  });

  it('reads launchctl print, and treats a daemon without its plist as not installed', async () => {
    expect(parseLaunchctlPrint('system/org.linekeeper.mux = {\n\tstate = running\n\tpid = 412\n\tenvironment = {\n\t\tLINEKEEPER_DATA_DIR => /Library/Application Support/Linekeeper\n\t}\n}')).toEqual({ state: 'running', dataDir: '/Library/Application Support/Linekeeper' });
    expect(parseLaunchctlPrint('\tstate = not running\n\tlast exit code = 78\n').problem).toEqual({ code: 'SERVICE_NOT_CONFIGURED', params: {} });
    const daemons = mkdtempSync(join(tmpdir(), 'lk-daemons-'));
    const control = new ServiceControl({ platform: 'darwin', launchDaemons: daemons, run: async () => ({ code: 113, stdout: '', stderr: 'Could not find service' }) });
    expect((await control.query('mux')).problem).toEqual({ code: 'SERVICE_NOT_INSTALLED', params: { unit: 'org.linekeeper.mux' } });
    writeFileSync(join(daemons, 'org.linekeeper.mux.plist'), '');
    expect(await control.query('mux')).toEqual({ state: 'stopped' });
  });
});
