// A DHCP server's answer to DHCPINFORM, on loopback for tests: it answers each INFORM with a DHCPACK carrying the
// options it was given (150, 66), to the packet's source (a real server answers ciaddr:68; tests use a free port).
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface Responder {
  port: number;
  informs: number;
  close(): Promise<void>;
}

export async function startDhcpResponder(o: { tftpServers?: string[]; tftpName?: string; serverId?: string; host?: string }): Promise<Responder> {
  const socket = createSocket('udp4');
  const r: Responder = { port: 0, informs: 0, close: () => new Promise((done) => socket.close(() => done())) };
  socket.on('message', (msg, from) => {
    if (msg.length < 240 || msg[0] !== 1) return;
    const options = msg.subarray(240);
    if (!(options[0] === 53 && options[2] === 8)) return;
    r.informs++;
    const head = Buffer.alloc(240);
    msg.copy(head, 0, 0, 240);
    head[0] = 2;
    const opts: number[] = [53, 1, 5];
    const id = (o.serverId ?? '127.0.0.1').split('.').map(Number);
    opts.push(54, 4, ...id);
    if (o.tftpServers?.length) opts.push(150, o.tftpServers.length * 4, ...o.tftpServers.flatMap((a) => a.split('.').map(Number)));
    if (o.tftpName) opts.push(66, o.tftpName.length, ...Buffer.from(o.tftpName, 'latin1'));
    opts.push(255);
    socket.send(Buffer.concat([head, Buffer.from(opts)]), from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, o.host ?? '127.0.0.1', () => resolve()));
  r.port = (socket.address() as AddressInfo).port;
  return r;
}
