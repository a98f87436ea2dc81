// Test support: a tiny authoritative DNS server on loopback (UDP) that answers SRV and A questions from a table;
// everything else is NXDOMAIN. Enough for node:dns's resolver pointed at it.
import { createSocket, type Socket } from 'node:dgram';

export interface DnsTable {
  srv?: Record<string, Array<{ target: string; port: number; priority: number; weight: number }>>;
  a?: Record<string, string>;
}

function readName(buf: Buffer, at: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = at;
  while (buf[i] !== 0) {
    const len = buf[i];
    labels.push(buf.subarray(i + 1, i + 1 + len).toString('ascii'));
    i += 1 + len;
  }
  return { name: labels.join('.').toLowerCase(), end: i + 1 };
}

function writeName(name: string): Buffer {
  return Buffer.concat([...name.split('.').filter(Boolean).map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])), Buffer.from([0])]);
}

function rr(name: string, type: number, data: Buffer): Buffer {
  const head = Buffer.alloc(10);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(1, 2);
  head.writeUInt32BE(60, 4);
  head.writeUInt16BE(data.length, 8);
  return Buffer.concat([writeName(name), head, data]);
}

export async function startDnsServer(table: DnsTable): Promise<{ address: string; queries: string[]; close(): Promise<void> }> {
  const socket: Socket = createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (msg, rinfo) => {
    try {
      const { name, end } = readName(msg, 12);
      const qtype = msg.readUInt16BE(end);
      queries.push(`${qtype === 33 ? 'SRV' : qtype === 1 ? 'A' : qtype} ${name}`);
      const answers: Buffer[] = [];
      if (qtype === 33) {
        for (const r of table.srv?.[name] ?? []) {
          const fixed = Buffer.alloc(6);
          fixed.writeUInt16BE(r.priority, 0);
          fixed.writeUInt16BE(r.weight, 2);
          fixed.writeUInt16BE(r.port, 4);
          answers.push(rr(name, 33, Buffer.concat([fixed, writeName(r.target)])));
        }
      } else if (qtype === 1 && table.a?.[name]) answers.push(rr(name, 1, Buffer.from(table.a[name].split('.').map(Number))));
      const header = Buffer.alloc(12);
      msg.copy(header, 0, 0, 2);
      header.writeUInt16BE(answers.length ? 0x8400 : 0x8403, 2);
      header.writeUInt16BE(1, 4);
      header.writeUInt16BE(answers.length, 6);
      socket.send(Buffer.concat([header, msg.subarray(12, end + 4), ...answers]), rinfo.port, rinfo.address);
    } catch {
      // A question this table server cannot read gets no answer; the resolver times out.
    }
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return { address: `127.0.0.1:${socket.address().port}`, queries, close: () => new Promise((r) => socket.close(() => r())) };
}
