import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run';
import { runCliCapture } from '../../cli/testing';
import { makeTestCert } from '../../protocols/sip/testing/certs';
import { PhoneInterface } from '../../servers/uacsta';

const until = async (f: () => boolean | Promise<boolean>, what: string) => {
  for (let i = 0; i < 500 && !(await f()); i++) await new Promise((r) => setTimeout(r, 10));
  expect(await f(), what).toBe(true);
};

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

  it('prints its control API: phones listed, a call from outside rings, answer and hang up, calls between its phones, faults', async () => {
    const server = await PhoneInterface.start({ host: '127.0.0.1', port: 0, password: 'phones' });
    let stop!: () => void;
    const stopSignal = new Promise<void>((r) => (stop = r));
    let out = '';
    const run = runCli(['sim', 'sip-phones', '--server', `127.0.0.1:${server.port}`, '--password', 'phones', '--count', '2'], { stdout: (t) => (out += t), stderr: (t) => (out += t), stopSignal });
    try {
      const controllable = (n: number) => server.phones().filter((p) => p.status === 'controllable').length === n;
      await until(() => controllable(2) && /control API: http:\/\/127\.0\.0\.1:\d+/.test(out), 'fleet and control API up');
      const url = /control API: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1];
      const call = async (method: string, path: string, body?: unknown) => {
        const r = await fetch(url + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
        return { status: r.status, body: (await r.json()) as Record<string, any> };
      };
      const list = await call('GET', '/phones');
      expect(list.body.phones.map((p: any) => [p.mac, p.identities, p.registered, p.controlled])).toEqual([
        ['000413000001', ['sip:201@127.0.0.1'], true, true],
        ['000413000002', ['sip:202@127.0.0.1'], true, true],
      ]);

      // a call from outside rings 202; answered and hung up through the API
      const rung = await call('POST', '/calls', { from: '0301234567', to: '202' });
      expect(rung).toMatchObject({ status: 200, body: { mac: '000413000002', callId: '1' } });
      expect((await call('GET', '/phones/000413000002')).body.calls).toEqual([{ id: '1', device: 'sip:202@127.0.0.1', peer: '0301234567', direction: 'in', state: 'alerting', with: [] }]);
      expect((await call('POST', '/phones/000413000002/calls/1/answer')).body.calls[0].state).toBe('connected');
      expect((await call('POST', '/phones/000413000002/calls/1/answer')).status).toBe(409);
      expect((await call('POST', '/phones/000413000002/calls/1/hangup')).body.calls).toEqual([]);

      // 201 calls 202 through the server's CSTA dialog: the fleet's exchange rings 202, answering there connects both
      await server.session('000413000001')!.invoke('makeCall', { callingDevice: { id: '201' }, calledDirectoryNumber: { id: '202' } });
      await until(async () => (await call('GET', '/phones/000413000002')).body.calls[0]?.state === 'alerting', '202 rings');
      const ringing = (await call('GET', '/phones/000413000002')).body.calls[0];
      expect(ringing).toMatchObject({ peer: 'sip:201@127.0.0.1', with: ['000413000001'] });
      await call('POST', `/phones/000413000002/calls/${ringing.id}/answer`);
      expect((await call('GET', '/phones/000413000001')).body.calls).toMatchObject([{ state: 'connected', peer: '202', with: ['000413000002'] }]);
      await call('POST', `/phones/000413000001/calls/${(await call('GET', '/phones/000413000001')).body.calls[0].id}/hangup`);
      expect((await call('GET', '/status')).body).toEqual({ phones: 2, registered: 2, controlled: 2, calls: 0 });

      // refusals name what is wrong
      expect(await call('POST', '/calls', { to: '999' })).toMatchObject({ status: 404, body: { error: { message: 'no simulated phone has the number 999' } } });
      expect((await call('POST', '/calls', { to: '<x>' })).status).toBe(400);
      expect((await call('GET', '/phones/000413999999')).status).toBe(404);
      expect((await call('POST', '/phones/000413000001/calls/7/answer')).status).toBe(404);
      expect((await call('POST', '/phones/000413000001/faults', { unplugged: true })).status).toBe(400);
      expect((await call('DELETE', '/phones')).status).toBe(404);

      // faults: stop answering, drop the connection, unplug; plugged in again it is controlled again
      expect((await call('POST', '/phones/000413000001/faults', { unresponsive: true })).body.unresponsive).toBe(true);
      await expect(server.session('000413000001')!.invoke('snapshotDevice', { snapshotObject: { id: '201' } }, { timeoutMs: 300 })).rejects.toBeDefined();
      await call('POST', '/phones/000413000001/faults', { unresponsive: false });
      expect((await call('POST', '/phones/000413000001/drop-connection')).body).toMatchObject({ registered: false, controlled: false });
      await until(() => server.phone('000413000001')?.status === 'offline', 'offline after the connection dropped');
      expect((await call('POST', '/phones/000413000001/plug')).body.registered).toBe(true);
      await until(() => server.phone('000413000001')?.status === 'controllable', 'controllable again');
      await call('POST', '/phones/000413000002/unplug');
      await until(() => server.phone('000413000002')?.status === 'offline', 'unplugged');
      stop();
      expect(await run).toBe(0);
    } finally {
      stop();
      await run;
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
