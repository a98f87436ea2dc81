import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCert } from '../../protocols/sip/testing/certs';
import { startServerWithPhones } from '../../sim/sip-phones/testing/server';
import type { DriverLineEvent, LineRef } from '../driver';
import { SipPhonesDriver } from './sip-phones-driver';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const until = async (f: () => boolean, what: string) => {
  for (let i = 0; i < 300 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(f(), what).toBe(true);
};

/** Our uaCSTA server on 127.0.0.1 with two controllable simulated phones, 201 and 202. */
async function server() {
  const srv = await startServerWithPhones({ clients: [{ user: 'cti', password: 'c1' }] });
  cleanup.push(srv.close);
  return srv;
}

function driver(port: number, password = 'c1') {
  const d = new SipPhonesDriver({ host: '127.0.0.1', port, tls: false, user: 'cti', password, connectTimeoutMs: 2000 });
  cleanup.push(() => d.close());
  return d;
}

describe('SIP phones driver against our uaCSTA server (TCP, 127.0.0.1)', () => {
  it('logs in, discovers the phones\' numbers as SIP lines, monitors a line and follows a call placed through it', async () => {
    const { clients, sims } = await server();
    const d = driver(clients.port);
    expect(await d.connect()).toBe(`uaCSTA server at 127.0.0.1:${clients.port}, logged in as cti`);
    const found = await d.discover({ readNames: true });
    expect(found.method).toBe('switchingFunctionDevices');
    expect(found.devices.map((x) => [x.number, x.kind]).sort()).toEqual([['201', 'sip'], ['202', 'sip']]);

    const events: DriverLineEvent[] = [];
    d.onEvent((e) => events.push(e));
    const line: LineRef = { key: '201', number: '201' };
    await d.monitorStart(line);
    await until(() => sims[0].monitors.size === 1, 'monitor in the phone');
    // the server reports the monitor standing in the phone
    await until(() => events.some((e) => e.event === 'backInService'), 'back in service');
    const call = await sims[0].ring('0307654321');
    await until(() => events.some((e) => e.event === 'delivered'), 'delivered');
    expect(events.find((e) => e.event === 'delivered')).toMatchObject({ line: '201', callId: call, callState: 'alerting', calling: '0307654321' });

    // call control goes through the server to the phone: answer, then clear
    await d.callControl(line, { op: 'answer', callId: call });
    await until(() => events.some((e) => e.event === 'established'), 'established');
    // the phone names itself sip:201@127.0.0.1: the party is the user part, the line's number
    expect(events.find((e) => e.event === 'established')).toMatchObject({ line: '201', callId: call, callState: 'connected', calling: '0307654321', called: '201' });
    expect(sims[0].requests).toContain('answerCall');
    expect(sims[1].requests).not.toContain('answerCall');
  });

  it('connects over TLS with the certificate trusted or pinned, and names a certificate it cannot trust', async () => {
    const cert = makeTestCert();
    const srv = await startServerWithPhones({ clients: [{ user: 'cti', password: 'c1' }], clientTls: { key: cert.key, cert: cert.cert } });
    cleanup.push(srv.close);
    const tls = (o: { ca?: string; fingerprint?: string }) => {
      const d = new SipPhonesDriver({ host: '127.0.0.1', port: srv.clients.tlsPort!, tls: true, user: 'cti', password: 'c1', connectTimeoutMs: 2000, ...o });
      cleanup.push(() => d.close());
      return d;
    };
    const trusted = tls({ ca: cert.cert });
    await trusted.connect();
    expect((await trusted.discover({ readNames: false })).devices.map((x) => x.number).sort()).toEqual(['201', '202']);
    await expect(tls({ fingerprint: cert.fingerprint256 }).connect()).resolves.toContain('logged in as cti');
    await expect(tls({}).connect()).rejects.toMatchObject({ code: 'TLS_FAILED' });
  });

  it('names a wrong client password and a closed port', async () => {
    const { clients } = await server();
    await expect(driver(clients.port, 'wrong').connect()).rejects.toMatchObject({ code: 'LOGIN_REJECTED' });
    await expect(driver(1).connect()).rejects.toMatchObject({ code: 'CONNECT_REFUSED' });
  });
});
