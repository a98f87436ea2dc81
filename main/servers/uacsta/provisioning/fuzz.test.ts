// Seeded storms at the provisioning parts that read what others send: the plug-and-play listener (datagrams from
// anyone on the segment), the web client (whatever answers at an address) and the simulated phones' web interface.
import { createSocket } from 'node:dgram';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../engine/rules/seeded-random';
import { ProvisionablePhone } from '../../../sim/sip-phones/web';
import { PnpListener } from './pnp';
import { identify, ProvisioningError } from './web-clients';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const SUBSCRIBE = (mac: string) =>
  [`SUBSCRIBE sip:MAC%3a${mac}@224.0.1.75 SIP/2.0`, 'Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKx', `From: <sip:MAC%3a${mac}@224.0.1.75>;tag=1`, `To: <sip:MAC%3a${mac}@224.0.1.75>`, 'Call-ID: fuzz@127.0.0.1', 'CSeq: 1 SUBSCRIBE', 'Event: ua-profile;profile-type="device";vendor="snom";model="snomD785";version="10.1.73.14"', 'Content-Length: 0', '', ''].join('\r\n');

function mutate(rnd: (n: number) => number, base: string): Buffer {
  const b = Buffer.from(base);
  switch (rnd(4)) {
    case 0:
      for (let i = 0; i < 1 + rnd(20); i++) b[rnd(b.length)] = rnd(256);
      return b;
    case 1:
      return b.subarray(0, rnd(b.length));
    case 2:
      return Buffer.from(Array.from({ length: rnd(1500) }, () => rnd(256)));
    default:
      return Buffer.concat([b, Buffer.from(Array.from({ length: rnd(3000) }, () => rnd(256)))]);
  }
}

describe('provisioning under hostile input (seeded)', () => {
  it('the plug-and-play listener ignores 3,000 mutated and random datagrams and still finds a real announcement', async () => {
    const l = await PnpListener.listen({ host: '127.0.0.1', port: 0, group: null });
    cleanup.push(() => l.close());
    const sock = createSocket('udp4');
    cleanup.push(() => sock.close());
    const rnd = seededRandom(20);
    for (let i = 0; i < 3000; i++) {
      await new Promise<void>((r) => sock.send(mutate(rnd, SUBSCRIBE('000413123456')), l.port, '127.0.0.1', () => r()));
    }
    // every phone it lists came from a well-formed announcement: a MAC of 12 hex digits
    for (const p of l.found()) expect(p.mac).toMatch(/^[0-9a-f]{12}$/);
    // UDP may drop what a full receive buffer cannot take: the phone repeats its SUBSCRIBE, as real ones do
    for (let i = 0; i < 100 && !l.found().some((p) => p.mac === '000413abcdef'); i++) {
      await new Promise<void>((r) => sock.send(SUBSCRIBE('000413abcdef'), l.port, '127.0.0.1', () => r()));
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(l.found().find((p) => p.mac === '000413abcdef')).toMatchObject({ ip: '127.0.0.1', vendor: 'snom', model: 'snomD785' });
  });

  it('reading a phone at an address that answers garbage ends in a coded problem, never anything else', async () => {
    const rnd = seededRandom(7);
    const server: Server = createServer((_q, s) => {
      const status = [200, 200, 200, 404, 500, 302][rnd(6)];
      s.writeHead(status, { 'Content-Type': rnd(2) ? 'application/json' : 'text/html' });
      s.end(mutate(rnd, rnd(2) ? '<table><tr><td>MAC-Address:</td><td>000413AABBCC</td></tr></table>' : '{"MAC":"00:15:65:aa:bb:cc","Model":"T46"}'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanup.push(() => server.close());
    const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (let i = 0; i < 100; i++) {
      try {
        const p = await identify({ address, user: 'admin', password: 'admin' });
        expect(p.mac).toMatch(/^[0-9a-f]{12}$/);
      } catch (e) {
        expect(e).toBeInstanceOf(ProvisioningError);
      }
    }
  });

  it('the simulated phone\'s web interface answers 500 random requests one by one and keeps working', async () => {
    const phone = await ProvisionablePhone.start({ vendor: 'snom', mac: '000413000077', web: { user: 'admin', password: 'pw' } });
    cleanup.push(() => phone.close());
    const rnd = seededRandom(99);
    const chars = 'abc/?=&%;:.0123456789_-';
    const paths = ['/info.htm', '/dummy.htm', '/settings.htm', '/confirm.html', '/servlet', '/'];
    for (let i = 0; i < 500; i++) {
      const path = paths[rnd(paths.length)] + '?' + Array.from({ length: rnd(80) }, () => chars[rnd(chars.length)]).join('');
      const auth = rnd(3) ? `Basic ${Buffer.from(rnd(2) ? 'admin:pw' : 'x:y').toString('base64')}` : `Basic ${mutate(rnd, 'YWRtaW46cHc=').toString('latin1')}`;
      const status = await new Promise<number>((resolve) => {
        const req = request({ host: '127.0.0.1', port: phone.webPort, path: encodeURI(path).slice(0, 2000), method: rnd(2) ? 'GET' : 'POST', headers: { authorization: auth.replace(/[^\x20-\x7e]/g, '') } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', () => resolve(-1));
        req.end(rnd(2) ? mutate(rnd, 'account.16.enable=1') : undefined);
      });
      expect([200, 400, 401, 404, 500]).toContain(status);
    }
    // an unprovisioned phone after the storm: still serving, still itself
    expect((await identify({ address: phone.address, user: 'admin', password: 'pw' })).mac).toBe('000413000077');
  });
});
