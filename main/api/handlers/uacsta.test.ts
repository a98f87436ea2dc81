import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listenerOf, UACSTA_DEFAULT_SETTINGS, type UacstaSettings, type UacstaStatus } from '../../../shared/api/uacsta';
import { makeTestCert } from '../../protocols/sip/testing/certs';
import { SimSipPhone } from '../../sim/sip-phones/phone';
import { eventually, useApiHarness } from './api-harness';

const harness = useApiHarness('lk-api-uacsta-');
const phones: SimSipPhone[] = [];
afterEach(async () => {
  for (const p of phones.splice(0)) await p.close();
});

const settings = (patch: Partial<UacstaSettings> = {}): UacstaSettings => ({
  ...UACSTA_DEFAULT_SETTINGS,
  phone: { lan: '127.0.0.1', tcpPort: 0 },
  client: { lan: '127.0.0.1', tcpPort: 0 },
  configured: true,
  ...patch,
});

describe('the SIP phone server through the API', () => {
  it('is configured, started, lists registering phones live, switches one off, shows its detail and stops', async () => {
    const h = harness.setup();
    const pushed: UacstaStatus[] = [];
    h.services.bus.on('uacsta.status', (s) => pushed.push(s));
    expect(await h.call('uacsta.settings')).toMatchObject({ settings: { configured: false, phone: { tcpPort: 5060 } }, phonePasswordSet: false, clientUser: null, running: false });
    expect(await h.fail('uacsta.start', {})).toMatchObject({ code: 'UACSTA_NOT_CONFIGURED', details: { problem: { code: 'uacstaServer.notConfigured' } } });

    const view = await h.call('uacsta.saveSettings', { settings: settings(), phonePassword: 'phones', clientUser: 'cti', clientPassword: 'c' });
    expect(view).toMatchObject({ phonePasswordSet: true, clientUser: 'cti', clientPasswordSet: true, settings: { configured: true } });
    // the passwords never come back over the API
    expect(JSON.stringify(view)).not.toContain('phones');

    const started: UacstaStatus = await h.call('uacsta.start');
    expect(started.running).toBe(true);
    expect(started.listening.map((l) => [l.interface, l.transport, l.host])).toEqual([['phones', 'TCP', '127.0.0.1'], ['clients', 'TCP', '127.0.0.1']]);
    const port = listenerOf(started.listening, 'phones')!.port;
    for (const [mac, vendor, n] of [['000413000001', 'snom', '201'], ['001565000001', 'yealink', '202']] as const) {
      const p = await SimSipPhone.start({ mac, password: 'phones', server: { host: '127.0.0.1', port }, vendor, identities: [n] });
      phones.push(p);
      await p.keepRegistered();
    }
    await eventually(() => (pushed.at(-1)?.phones.filter((p) => p.status === 'controllable').length ?? 0) === 2, 'both phones controllable, pushed');
    const live: UacstaStatus = await h.call('uacsta.status');
    expect(live.phones.map((p) => [p.mac, p.vendor, p.identity, p.lastIp])).toEqual(expect.arrayContaining([
      ['000413000001', 'snom', 'sip:201@127.0.0.1', '127.0.0.1'],
      ['001565000001', 'yealink', expect.stringMatching(/^sip:202@127\.0\.0\.1:\d+$/), '127.0.0.1'],
    ]));

    const detail = await h.call('uacsta.phone', { mac: '00:04:13:00:00:01' });
    expect(detail).toMatchObject({ vendor: 'snom', firmware: '10.1.73.14', dialog: 'open', status: 'controllable', licensed: true });
    expect(detail.features).toEqual(expect.arrayContaining([{ service: 'makeCall', support: 'yes', since: '8.7.3' }, { service: 'alternateCall', support: 'emulated' }, { service: 'directedPickupCall', support: 'no' }]));

    expect(await h.call('uacsta.setPhoneEnabled', { mac: '000413000001', enabled: false })).toMatchObject({ status: 'disabled', enabled: false });
    await eventually(() => !phones[0].controlled, 'the switched-off phone loses its dialog');
    expect((await h.call('uacsta.phone', { mac: '000413000001' })).dialog).toBe('none');

    // connection settings and logins wait for a stop; the rest may change while it runs
    expect(await h.fail('uacsta.saveSettings', { settings: settings({ phone: { lan: '127.0.0.1', tcpPort: 5999 } }) })).toMatchObject({ code: 'UACSTA_RUNNING', details: { problem: { code: 'uacsta.stopToChange', params: { settings: 'phone' } } } });
    expect(await h.fail('uacsta.saveSettings', { settings: settings(), phonePassword: 'new' })).toMatchObject({ code: 'UACSTA_RUNNING' });
    expect(await h.call('uacsta.saveSettings', { settings: settings({ keepAliveSeconds: 30 }) })).toMatchObject({ settings: { keepAliveSeconds: 30 }, running: true });
    // the log directory: an absolute folder the server can write to, else nothing is saved
    const diag = (logDirectory: string) => settings({ keepAliveSeconds: 30, diagnostics: { ...UACSTA_DEFAULT_SETTINGS.diagnostics, logDirectory } });
    expect(await h.fail('uacsta.saveSettings', { settings: diag('relative/logs') })).toMatchObject({ code: 'UACSTA_LOG_DIRECTORY_INVALID', details: { problem: { code: 'uacstaServer.logDirectoryInvalid' } } });
    const blocker = join(h.dataDir, 'a-file');
    writeFileSync(blocker, '');
    expect(await h.fail('uacsta.saveSettings', { settings: diag(join(blocker, 'logs')) })).toMatchObject({ code: 'UACSTA_LOG_DIRECTORY_INVALID' });
    expect((await h.call('uacsta.settings')).settings.diagnostics.logDirectory).toBe('');
    const logs = join(h.dataDir, 'server-logs');
    expect((await h.call('uacsta.saveSettings', { settings: diag(logs) })).settings.diagnostics.logDirectory).toBe(logs);

    expect(await h.call('uacsta.stop')).toMatchObject({ running: false });
    // the running server took the new log directory at once: its stop is logged there
    expect(readdirSync(logs).filter((f) => f.endsWith('.log'))).toHaveLength(1);
    expect(readFileSync(join(logs, readdirSync(logs).find((f) => f.endsWith('.log'))!), 'utf8')).toContain('uaCSTA server stopped');
    // the list survives the stop, offline, with the switch as set
    const stopped: UacstaStatus = await h.call('uacsta.status');
    expect(stopped.phones.map((p) => [p.mac, p.status]).sort()).toEqual([['000413000001', 'disabled'], ['001565000001', 'offline']]);
    expect(await h.call('uacsta.setPhoneEnabled', { mac: '000413000001', enabled: true })).toMatchObject({ status: 'offline', enabled: true });
    expect(await h.fail('uacsta.phone', { mac: '0004130000ff' })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps the WAN interface\'s public ports: saved, read back, advertised and told to a phone on the WAN address', async () => {
    const h = harness.setup();
    const wan = { host: '127.0.0.2', tcpPort: 0, publicHost: 'uacsta.example.net', publicPort: 15060, publicTlsPort: 15061 };
    await h.call('uacsta.saveSettings', { settings: settings({ phone: { lan: '127.0.0.1', tcpPort: 0, wan } }), phonePassword: 'p', clientUser: 'u', clientPassword: 'c' });
    expect((await h.call('uacsta.settings')).settings.phone.wan).toEqual(wan);
    expect(await h.fail('uacsta.saveSettings', { settings: settings({ phone: { lan: '127.0.0.1', tcpPort: 0, wan: { ...wan, publicPort: 70000 } } }) })).toMatchObject({ code: 'INVALID_INPUT' });

    const s: UacstaStatus = await h.call('uacsta.start');
    const onWan = s.listening.find((l) => l.interface === 'phones' && l.host === '127.0.0.2')!;
    expect(onWan.advertised).toBe('uacsta.example.net:15060');
    const p = await SimSipPhone.start({ mac: '000413000008', password: 'p', server: { host: '127.0.0.2', port: onWan.port }, identities: ['208'] });
    phones.push(p);
    expect((await p.register()).status).toBe(200);
    await eventually(() => p.controlled, 'controlled over the WAN address');
    expect(p.invites[0].contact).toContain('@uacsta.example.net:15060');
  });

  it('says why a start failed: the port is taken, the certificate is not issued to this computer', async () => {
    const h = harness.setup();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as AddressInfo).port;
    await h.call('uacsta.saveSettings', { settings: settings({ phone: { lan: '127.0.0.1', tcpPort: taken } }), phonePassword: 'p', clientUser: 'u', clientPassword: 'c' });
    expect(await h.fail('uacsta.start', {})).toMatchObject({ code: 'UACSTA_PORT_IN_USE', details: { port: taken, bind: '127.0.0.1', problem: { code: 'uacstaServer.portInUse' } } });
    blocker.close();
    expect(await h.call('uacsta.status')).toMatchObject({ running: false, startProblem: { code: 'uacstaServer.portInUse', params: { port: taken } } });

    // a key of another certificate is refused at once, nothing saved
    const a = makeTestCert();
    const b = makeTestCert();
    expect(await h.fail('uacsta.saveSettings', { settings: settings(), cert: a.cert, key: b.key })).toMatchObject({ code: 'UACSTA_CERTIFICATE_INVALID' });
    expect((await h.call('uacsta.settings')).certificate).toBeNull();

    // a certificate for another name: stored, but the start refuses it (manual: issued to the computer name)
    const cert = (cn: string, san: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'lk-cert-'));
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', `/CN=${cn}`, '-addext', `subjectAltName=${san}`], { stdio: 'ignore' });
      return { cert: readFileSync(join(dir, 'c.pem'), 'utf8'), key: readFileSync(join(dir, 'k.pem'), 'utf8') };
    };
    const withTls = settings({ phone: { lan: '127.0.0.1', tcpPort: 0, tlsPort: 0 } });
    const saved = await h.call('uacsta.saveSettings', { settings: withTls, ...cert('elsewhere.example', 'DNS:elsewhere.example') });
    expect(saved.certificate).toMatchObject({ names: ['elsewhere.example'] });
    expect(await h.fail('uacsta.start', {})).toMatchObject({ code: 'UACSTA_CERTIFICATE_INVALID', details: { problem: { code: 'uacsta.certificateWrongName', params: { computerName: hostname() } } } });

    // one for this computer's name (and 127.0.0.1, where the phone reaches it) serves phones over TLS
    const mine = cert(hostname(), `DNS:${hostname()},IP:127.0.0.1`);
    await h.call('uacsta.saveSettings', { settings: withTls, ...mine });
    const s: UacstaStatus = await h.call('uacsta.start');
    const tls = listenerOf(s.listening, 'phones', 'TLS')!;
    expect(tls.port).toBeGreaterThan(0);
    expect(s.startProblem).toBeUndefined();
    const p = await SimSipPhone.start({ mac: '000413000009', password: 'p', server: { host: '127.0.0.1', port: tls.port }, tls: { ca: mine.cert }, identities: ['209'] });
    phones.push(p);
    expect((await p.register()).status).toBe(200);
  });
});
