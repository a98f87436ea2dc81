// DHCPINFORM against a DHCP responder on loopback (UDP): the TFTP server options are read, option 66 serves when
// 150 is missing, silence is a clear failure, and no reply packet — however broken — throws while decoding.
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { answerOf, decodeReply, dhcpInform, DhcpError, encodeInform } from './inform';
import { startDhcpResponder, type Responder } from './testing/responder';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

async function responder(o: Parameters<typeof startDhcpResponder>[0]): Promise<Responder> {
  const r = await startDhcpResponder(o);
  cleanup.push(() => r.close());
  return r;
}

describe('DHCPINFORM', () => {
  it('reads option 150 (TFTP server addresses) and option 66 (name) from the DHCPACK', async () => {
    const r = await responder({ tftpServers: ['10.1.2.3', '10.1.2.4'], tftpName: 'cme.branch.example', serverId: '10.1.0.1' });
    const a = await dhcpInform({ address: '127.0.0.1', target: '127.0.0.1', serverPort: r.port, clientPort: 0, timeoutMs: 500 });
    expect(a).toEqual({ server: '10.1.0.1', tftpServers: ['10.1.2.3', '10.1.2.4'], tftpName: 'cme.branch.example' });
    expect(r.informs).toBe(1);
  });

  it('gives option 66 alone when the server has no option 150', async () => {
    const r = await responder({ tftpName: '192.168.7.1' });
    expect(await dhcpInform({ address: '127.0.0.1', target: '127.0.0.1', serverPort: r.port, clientPort: 0, timeoutMs: 500 })).toEqual({ server: '127.0.0.1', tftpServers: [], tftpName: '192.168.7.1' });
  });

  it('fails with DHCP_NO_ANSWER naming the interface and target when nobody answers, after its attempts', async () => {
    const silent = createSocket('udp4');
    let received = 0;
    silent.on('message', () => received++);
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    cleanup.push(() => new Promise((r) => silent.close(() => r())));
    const port = (silent.address() as AddressInfo).port;
    const e = await dhcpInform({ address: '127.0.0.1', target: '127.0.0.1', serverPort: port, clientPort: 0, timeoutMs: 100, attempts: 2 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DhcpError);
    expect(e).toMatchObject({ code: 'DHCP_NO_ANSWER', params: { interface: '127.0.0.1', target: '127.0.0.1', port } });
    expect(received).toBe(2);
  });

  it('refuses an address that is not IPv4, and one this computer does not have', async () => {
    await expect(dhcpInform({ address: 'eth0', clientPort: 0 })).rejects.toMatchObject({ code: 'DHCP_BAD_INTERFACE' });
    await expect(dhcpInform({ address: '203.0.113.77', clientPort: 0, timeoutMs: 50, attempts: 1 })).rejects.toMatchObject({ code: 'DHCP_BAD_INTERFACE' });
  });

  it('decodes no broken or foreign packet into an answer, and never throws', () => {
    const xid = 0x12345678;
    const ack = encodeInform(xid, '127.0.0.1', '00:11:22:33:44:55');
    ack[0] = 2;
    expect(decodeReply(ack, xid)).toBeDefined();
    expect(decodeReply(ack, xid + 1)).toBeUndefined();
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 20_000; i++) {
      const b = Buffer.from(ack);
      const cut = i % 3 === 0 ? Math.floor(rand() * b.length) : b.length;
      for (let k = 0; k < 6; k++) b[240 + Math.floor(rand() * (b.length - 240))] = Math.floor(rand() * 256);
      const options = decodeReply(b.subarray(0, cut), xid);
      if (options) expect(() => answerOf(options, '127.0.0.1')).not.toThrow();
    }
  });
});
