import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run';
import { runCliCapture } from '../../cli/testing';
import { makeTestCert } from '../../protocols/sip/testing/certs';
import { PhoneInterface } from '../../servers/uacsta';

describe('linekeeper sim sip-phones', () => {
  it('runs a fleet that registers at a uaCSTA server and becomes controllable, until stopped', async () => {
    const server = await PhoneInterface.start({ host: '127.0.0.1', port: 0, password: 'phones' });
    try {
      let stop!: () => void;
      const stopSignal = new Promise<void>((r) => (stop = r));
      let out = '';
      const run = runCli(['sim', 'sip-phones', '--server', `127.0.0.1:${server.port}`, '--password', 'phones', '--count', '3', '--vendor', 'yealink', '--first-number', '301'], { stdout: (t) => (out += t), stderr: (t) => (out += t), stopSignal });
      for (let i = 0; i < 300 && server.phones().filter((p) => p.status === 'controllable').length < 3; i++) await new Promise((r) => setTimeout(r, 10));
      expect(server.phones().map((p) => [p.mac, p.vendor, p.status, p.identity]).sort()).toEqual([
        ['001565000001', 'yealink', 'controllable', `sip:301@127.0.0.1:${server.port}`],
        ['001565000002', 'yealink', 'controllable', `sip:302@127.0.0.1:${server.port}`],
        ['001565000003', 'yealink', 'controllable', `sip:303@127.0.0.1:${server.port}`],
      ]);
      expect(out).toContain(`3 simulated yealink phone(s) for the uaCSTA server at 127.0.0.1:${server.port}`);
      expect(out).toMatch(/phone 001565000001: REGISTER answered 200 OK/);
      stop();
      expect(await run).toBe(0);
      // the phones went with the command
      for (let i = 0; i < 300 && server.phones().some((p) => p.status !== 'offline'); i++) await new Promise((r) => setTimeout(r, 10));
      expect(server.phones().map((p) => p.status)).toEqual(['offline', 'offline', 'offline']);
    } finally {
      await server.close();
    }
  });

  it('registers over TLS with --tls and --ca', async () => {
    const cert = makeTestCert();
    const server = await PhoneInterface.start({ host: '127.0.0.1', port: 0, password: 'phones', tls: { port: 0, key: cert.key, cert: cert.cert } });
    try {
      let stop!: () => void;
      const stopSignal = new Promise<void>((r) => (stop = r));
      const run = runCli(['sim', 'sip-phones', '--server', `127.0.0.1:${server.tlsPort}`, '--password', 'phones', '--tls', '--ca', cert.certPath], { stdout: () => undefined, stderr: () => undefined, stopSignal });
      for (let i = 0; i < 300 && server.phone('000413000001')?.status !== 'controllable'; i++) await new Promise((r) => setTimeout(r, 10));
      expect(server.phone('000413000001')?.status).toBe('controllable');
      expect([...server.endpoint.servers.find((l) => l.transport === 'TLS')!.connections].length).toBe(1);
      stop();
      expect(await run).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('refuses a bad server address, vendor or count with its usage', async () => {
    for (const [args, msg] of [
      [['--server', 'nohost', '--password', 'p'], /--server must be HOST:PORT, got "nohost"/],
      [['--server', 'h:5060'], /missing required option --password/],
      [['--server', 'h:5060', '--password', 'p', '--vendor', 'cisco'], /--vendor must be one of snom, yealink, auerswald, mitel, got "cisco"/],
      [['--server', 'h:5060', '--password', 'p', '--count', '0'], /--count: "0" is not a number from 1 to 500/],
      [['--server', 'h:5060', '--password', 'p', '--ca', 'x.pem'], /--ca goes with --tls/],
    ] as const) {
      const r = await runCliCapture(['sim', 'sip-phones', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
  });
});
