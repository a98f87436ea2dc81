// "Locate" a CME: a DHCPINFORM (RFC 2131 §3.4, §4.4.3) on the chosen interface asks the network's DHCP server for
// the TFTP server options without taking a lease — option 150 (Cisco's list of IPv4 addresses, RFC 5859) and option
// 66 (a TFTP server name, RFC 2132) as fallback. In CME networks the router is the phones' TFTP server.
import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;
const MAGIC = [99, 130, 83, 99];
const FIXED = 236;
const OPT = { pad: 0, messageType: 53, serverId: 54, requestList: 55, tftpName: 66, tftpServers: 150, end: 255 } as const;
const INFORM = 8;
const ACK = 5;

export interface DhcpAnswer {
  /** The DHCP server that answered (option 54, else the packet's source). */
  server: string;
  /** Option 150: TFTP server addresses, in the server's order. */
  tftpServers: string[];
  /** Option 66: the TFTP server name, '' when not given. */
  tftpName: string;
}

export type DhcpErrorCode = 'DHCP_NO_ANSWER' | 'DHCP_PORT_UNAVAILABLE' | 'DHCP_BAD_INTERFACE' | 'DHCP_API_ERROR' | 'DHCP_API_UNAVAILABLE';

export class DhcpError extends Error {
  constructor(
    readonly code: DhcpErrorCode,
    message: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'DhcpError';
  }
}

const ipv4 = (b: Buffer, at: number) => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The four bytes of an IPv4 address; DHCP_BAD_INTERFACE for anything else. */
export function ipBytes(ip: string): number[] {
  const m = IPV4.exec(ip);
  if (!m || m.slice(1).some((x) => Number(x) > 255)) throw new DhcpError('DHCP_BAD_INTERFACE', `"${ip.slice(0, 64)}" is not an IPv4 address`, { interface: ip.slice(0, 64) });
  return m.slice(1).map(Number);
}

/** The DHCPINFORM from `address` (ciaddr) with hardware address `mac`, asking for options 150 and 66. */
export function encodeInform(xid: number, address: string, mac: string): Buffer {
  const b = Buffer.alloc(FIXED + 4 + 3 + 4 + 1);
  b[0] = 1; // BOOTREQUEST
  b[1] = 1; // Ethernet
  b[2] = 6;
  b.writeUInt32BE(xid >>> 0, 4);
  Buffer.from(ipBytes(address)).copy(b, 12);
  Buffer.from(mac.replace(/[^0-9a-f]/gi, '').padEnd(12, '0').slice(0, 12), 'hex').copy(b, 28);
  let at = FIXED;
  for (const x of [...MAGIC, OPT.messageType, 1, INFORM, OPT.requestList, 2, OPT.tftpServers, OPT.tftpName, OPT.end]) b[at++] = x;
  return b;
}

/** The options of a DHCP packet (after the magic cookie), by code; undefined when it is no DHCP reply to `xid`. */
export function decodeReply(b: Buffer, xid: number): Map<number, Buffer> | undefined {
  if (b.length < FIXED + 4 || b[0] !== 2 || b.readUInt32BE(4) !== xid >>> 0 || MAGIC.some((x, i) => b[FIXED + i] !== x)) return undefined;
  const options = new Map<number, Buffer>();
  for (let at = FIXED + 4; at < b.length; ) {
    const code = b[at++];
    if (code === OPT.end) break;
    if (code === OPT.pad) continue;
    if (at >= b.length) return undefined;
    const len = b[at++];
    if (at + len > b.length) return undefined;
    // A repeated option continues the first (RFC 3396).
    const value = b.subarray(at, at + len);
    options.set(code, options.has(code) ? Buffer.concat([options.get(code)!, value]) : value);
    at += len;
  }
  return options;
}

/** The answer in a DHCPACK's options. */
export function answerOf(options: Map<number, Buffer>, source: string): DhcpAnswer {
  const list = options.get(OPT.tftpServers) ?? Buffer.alloc(0);
  const tftpServers: string[] = [];
  for (let i = 0; i + 4 <= list.length; i += 4) tftpServers.push(ipv4(list, i));
  const id = options.get(OPT.serverId);
  return { server: id && id.length === 4 ? ipv4(id, 0) : source, tftpServers, tftpName: tftpNameOf(options.get(OPT.tftpName)?.toString('latin1') ?? '') };
}

/** Option 66 as a host name: printable text; anything else is not a name to show or connect to (''). */
export function tftpNameOf(raw: string): string {
  const name = raw.replace(/\0+$/, '');
  return /^[\x21-\x7e]{1,253}$/.test(name) ? name : '';
}

/** The hardware address of the interface that has `address`, for chaddr (zeros when none is known). */
function macOf(address: string): string {
  for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) if (i.address === address && i.mac) return i.mac;
  return '00:00:00:00:00:00';
}

export interface InformOptions {
  /** The interface's own IPv4 address: the DHCPINFORM's ciaddr, and where the answer is received. */
  address: string;
  /** Where the DHCPINFORM goes: the limited broadcast (default), or a DHCP server's address. */
  target?: string;
  serverPort?: number;
  /** The port answers come to (68 needs administrator rights on most systems; tests use a free one). */
  clientPort?: number;
  /** Per attempt; default 2000 ms, three attempts. */
  timeoutMs?: number;
  attempts?: number;
}

/** Sends a DHCPINFORM and waits for the DHCPACK with the TFTP options; throws DhcpError. */
export async function dhcpInform(o: InformOptions): Promise<DhcpAnswer> {
  const target = o.target ?? '255.255.255.255';
  const serverPort = o.serverPort ?? DHCP_SERVER_PORT;
  const clientPort = o.clientPort ?? DHCP_CLIENT_PORT;
  const timeoutMs = o.timeoutMs ?? 2000;
  const attempts = o.attempts ?? 3;
  ipBytes(o.address);
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  try {
    await bind(socket, o.address, clientPort);
    socket.setBroadcast(true);
    const xid = randomBytes(4).readUInt32BE(0);
    const packet = encodeInform(xid, o.address, macOf(o.address));
    const answer = new Promise<DhcpAnswer>((resolve) => {
      socket.on('message', (msg, rinfo) => {
        const options = decodeReply(msg, xid);
        if (options?.get(OPT.messageType)?.[0] === ACK) resolve(answerOf(options, rinfo.address));
      });
    });
    for (let i = 0; i < attempts; i++) {
      await new Promise<void>((resolve) => socket.send(packet, serverPort, target, () => resolve()));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const got = await Promise.race([answer, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), timeoutMs)))]);
      clearTimeout(timer);
      if (got) return got;
    }
    throw new DhcpError('DHCP_NO_ANSWER', `no DHCP server answered the DHCPINFORM sent from ${o.address} to ${target}:${serverPort} (${attempts} attempts, ${timeoutMs} ms each): is there a DHCP server in this network, and does it answer DHCPINFORM?`, { interface: o.address, target, port: serverPort, seconds: Math.round((attempts * timeoutMs) / 1000) });
  } finally {
    socket.close();
  }
}

function bind(socket: Socket, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'EACCES' || e.code === 'EPERM' ? 'receiving on it needs administrator rights' : e.code === 'EADDRINUSE' ? 'another program (the system\'s DHCP client) holds it' : e.code === 'EADDRNOTAVAIL' ? 'this computer has no interface with that address' : e.message;
      reject(new DhcpError(e.code === 'EADDRNOTAVAIL' ? 'DHCP_BAD_INTERFACE' : 'DHCP_PORT_UNAVAILABLE', `cannot receive DHCP answers on ${address}:${port}: ${why}`, { interface: address, port, cause: e.code ?? 'error' }));
    });
    socket.bind(port, address, () => resolve());
  });
}
