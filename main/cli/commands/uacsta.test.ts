import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCstaDialog } from '../../protocols/csta-xml';
import { SipEndpoint } from '../../protocols/sip';
import { makeTestCert } from '../../protocols/sip/testing/certs';
import { SimSipPhone } from '../../sim/sip-phones/phone';
import { runCli } from '../run';
import { runCliCapture } from '../testing';

/** A self-signed certificate and key issued to `name` (the computer name the server checks it against). */
function certFor(name: string) {
  const dir = dataDir();
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name},DNS:localhost,IP:127.0.0.1`], { stdio: 'ignore' });
  return { keyPath, certPath, cert: readFileSync(certPath, 'utf8') };
}

const dirs: string[] = [];
const dataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'lk-uacsta-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const until = async (f: () => boolean, what: string) => {
  for (let i = 0; i < 300 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(f(), what).toBe(true);
};

/** Runs `linekeeper uacsta` until `stop()`; resolves once it listens, with its ports and output so far. */
async function runServer(args: string[]) {
  let stop!: () => void;
  const stopSignal = new Promise<void>((resolve) => (stop = resolve));
  const io = { out: '' };
  const run = runCli(['uacsta', '--phone-tcp', '0', ...args], { stdout: (t) => (io.out += t), stderr: (t) => (io.out += t), stopSignal });
  await until(() => /Press Ctrl-C|uacsta:/.test(io.out), 'started');
  const phonePort = Number(/phones \(TCP\): [^:]+:(\d+)/.exec(io.out)?.[1]);
  const clientPort = Number(/clients \(TCP\): [^:]+:(\d+)/.exec(io.out)?.[1]);
  return { io, run, stop, phonePort, clientPort };
}

describe('linekeeper uacsta', () => {
  it('serves phones and clients until stopped; the passwords given are kept for the next run', async () => {
    const dir = dataDir();
    const first = await runServer(['--client-tcp', '0', '--phone-password', 'phones', '--client-user', 'cti', '--client-password', 'c1', '--auto-activate', '--data-dir', dir]);
    expect(first.io.out).toContain(`phones (TCP): 127.0.0.1:${first.phonePort}`);
    expect(first.io.out).toMatch(/new phones: put into operation at once/);
    const phone = await SimSipPhone.start({ mac: '000413aabb01', password: 'phones', server: { host: '127.0.0.1', port: first.phonePort } });
    expect((await phone.register()).status).toBe(200);
    await until(() => /phone 000413aabb01 \(snomD785\/10\.1\.73\.14, 127\.0\.0\.1\): controllable as sip:201@127\.0\.0\.1/.test(first.io.out), 'controllable in the log');

    const cti = await SipEndpoint.start({ user: 'cti', credentials: { user: 'cti', password: 'c1' } });
    const session = await openCstaDialog(cti, { uri: `sip:uacsta@127.0.0.1:${first.clientPort};transport=tcp` });
    const events: string[] = [];
    session.onEvent((e) => events.push(e.name));
    await session.invoke('monitorStart', { monitorObject: { device: { id: '201' } } });
    await until(() => events.includes('backInService'), 'back in service');
    await session.close();
    await cti.close();
    await phone.close();
    first.stop();
    expect(await first.run).toBe(0);
    expect(first.io.out).toMatch(/uaCSTA server stopped/);

    // no password on the command line: the stored one is used
    const second = await runServer(['--data-dir', dir]);
    expect(second.io.out).toMatch(/new phones: wait to be enabled/);
    const again = await SimSipPhone.start({ mac: '000413aabb02', password: 'phones', server: { host: '127.0.0.1', port: second.phonePort } });
    expect((await again.register()).status).toBe(200);
    await until(() => /phone 000413aabb02 .*: disabled/.test(second.io.out), 'waits disabled');
    await again.close();
    second.stop();
    expect(await second.run).toBe(0);
  });

  it('keeps the phone list between runs; --enable puts a waiting phone into operation; a broken list is refused and left alone', async () => {
    const dir = dataDir();
    const first = await runServer(['--phone-password', 'phones', '--data-dir', dir]);
    const phone = await SimSipPhone.start({ mac: '000413aabb01', password: 'phones', server: { host: '127.0.0.1', port: first.phonePort } });
    expect((await phone.register()).status).toBe(200);
    await until(() => /phone 000413aabb01 .*: disabled/.test(first.io.out), 'waits disabled');
    await phone.close();
    first.stop();
    expect(await first.run).toBe(0);
    const listPath = join(dir, 'uacsta', 'phones.json');
    expect(JSON.parse(readFileSync(listPath, 'utf8')).phones).toEqual([expect.objectContaining({ mac: '000413aabb01', enabled: false, type: 'snomD785/10.1.73.14' })]);

    const unknown = await runCliCapture(['uacsta', '--enable', '001122334455', '--data-dir', dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/phone 001122334455 has never registered here/);

    const second = await runServer(['--enable', '00:04:13:AA:BB:01', '--data-dir', dir]);
    const again = await SimSipPhone.start({ mac: '000413aabb01', password: 'phones', server: { host: '127.0.0.1', port: second.phonePort } });
    expect((await again.register()).status).toBe(200);
    await until(() => /phone 000413aabb01 .*: controllable/.test(second.io.out), 'controllable after --enable');
    await again.close();
    second.stop();
    expect(await second.run).toBe(0);
    expect(JSON.parse(readFileSync(listPath, 'utf8')).phones[0]).toMatchObject({ enabled: true, identity: 'sip:201@127.0.0.1' });

    writeFileSync(listPath, '{"phones": [{"mac": "xyz"}]}');
    const broken = await runCliCapture(['uacsta', '--phone-tcp', '0', '--data-dir', dir]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/is not a phone list \(phones\.0\.mac: .*\); fix or move it away, it was left as it is \(UACSTA_PHONE_LIST_UNREADABLE\)/);
    expect(readFileSync(listPath, 'utf8')).toBe('{"phones": [{"mac": "xyz"}]}');
  });

  it('speaks NOTIFY to the --notify-vendors', async () => {
    const srv = await runServer(['--notify-vendors', 'yealink', '--phone-password', 'phones', '--auto-activate', '--data-dir', dataDir()]);
    const phone = await SimSipPhone.start({ mac: '001565aabb01', vendor: 'yealink', mode: 'notify', password: 'phones', server: { host: '127.0.0.1', port: srv.phonePort } });
    expect((await phone.register()).status).toBe(200);
    await until(() => /phone 001565aabb01 .*: controllable/.test(srv.io.out), 'controllable over NOTIFY');
    expect(phone.endpoint.dialogCount).toBe(0);
    await phone.close();
    srv.stop();
    expect(await srv.run).toBe(0);
  });

  it('takes phones over TLS with --phone-tls, --cert and --key (issued to the computer name), and refuses a garbled certificate or one for another name at start', async () => {
    const cert = certFor(hostname());
    const srv = await runServer(['--phone-tls', '0', '--cert', cert.certPath, '--key', cert.keyPath, '--phone-password', 'phones', '--auto-activate', '--data-dir', dataDir()]);
    const tlsPort = Number(/phones \(TLS\): [^:]+:(\d+)/.exec(srv.io.out)?.[1]);
    expect(tlsPort).toBeGreaterThan(0);
    const phone = await SimSipPhone.start({ mac: '000413aabb01', password: 'phones', server: { host: '127.0.0.1', port: tlsPort }, tls: { ca: cert.cert } });
    expect((await phone.register()).status).toBe(200);
    await until(() => /phone 000413aabb01 .*: controllable/.test(srv.io.out), 'controllable over TLS');
    await phone.close();
    srv.stop();
    expect(await srv.run).toBe(0);

    const garbled = join(dataDir(), 'garbled.pem');
    writeFileSync(garbled, '-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n');
    const bad = await runCliCapture(['uacsta', '--phone-tcp', '0', '--phone-tls', '0', '--cert', garbled, '--key', cert.keyPath, '--phone-password', 'p', '--data-dir', dataDir()]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^linekeeper uacsta: /);
    const other = makeTestCert();
    const wrongName = await runCliCapture(['uacsta', '--phone-tcp', '0', '--phone-tls', '0', '--cert', other.certPath, '--key', other.keyPath, '--phone-password', 'p', '--data-dir', dataDir()]);
    expect(wrongName.code).toBe(1);
    expect(wrongName.stderr).toBe(`linekeeper uacsta: the TLS certificate is not issued to this computer's name ${hostname()} (it is for DNS:localhost, IP Address:127.0.0.1) (uacsta.certificateWrongName)\n`);
    const half = await runCliCapture(['uacsta', '--phone-tls', '0', '--phone-password', 'p', '--data-dir', dataDir()]);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/--phone-tls or --client-tls, --cert and --key go together/);
  });

  it('says what is missing, and names the code when the port is taken', async () => {
    const none = await runCliCapture(['uacsta', '--phone-tcp', '0', '--data-dir', dataDir()]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no phone password is stored yet: give --phone-password once/);
    const vendor = await runCliCapture(['uacsta', '--notify-vendors', 'yealink,cisco', '--phone-password', 'p', '--data-dir', dataDir()]);
    expect(vendor.code).toBe(2);
    expect(vendor.stderr).toMatch(/--notify-vendors: "cisco" is not one of snom, yealink, auerswald, mitel/);
    const mac = await runCliCapture(['uacsta', '--log-macs', '000413aabb01,nope', '--phone-password', 'p', '--data-dir', dataDir()]);
    expect(mac.code).toBe(2);
    expect(mac.stderr).toMatch(/--log-macs: "nope" is not a MAC address/);
    const half = await runCliCapture(['uacsta', '--client-user', 'x', '--data-dir', dataDir()]);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/--client-user and --client-password go together/);

    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as AddressInfo).port;
    const taken = await runCliCapture(['uacsta', '--phone-tcp', String(port), '--phone-password', 'p', '--data-dir', dataDir()]);
    blocker.close();
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(new RegExp(`^linekeeper uacsta: the phones interface cannot listen on 127\\.0\\.0\\.1:${port} \\(.*EADDRINUSE.*\\) \\(uacsta\\.listenFailed\\)\\n$`));
  });
});
