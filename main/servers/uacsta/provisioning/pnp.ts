// Finding phones by the vendors' plug and play (manual §3.5.1 "Find telephones"): snom and Yealink phones that look for a
// provisioning server send SIP SUBSCRIBE for the ua-profile event to the multicast group 224.0.1.75:5060 over UDP,
// naming their MAC in the request URI and vendor, model and firmware in the Event header. We listen for a while
// and list who asked; each SUBSCRIBE gets a 200 so the phone stops repeating it. Anything else is ignored: a
// datagram can never end the listener.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { coded, type Coded } from '../../../../shared/problems';

export const PNP_GROUP = '224.0.1.75';
export const PNP_PORT = 5060;

export interface PnpPhone {
  ip: string;
  mac: string;
  vendor: string;
  model?: string;
  firmware?: string;
}

export interface PnpListenOptions {
  /** Where to listen: 0.0.0.0 and the multicast group on a real network; 127.0.0.1 (no group) in tests. */
  host?: string;
  port?: number;
  /** Join this multicast group (default: the SIP plug-and-play group when listening on all interfaces). */
  group?: string | null;
  logger?: { warn: (m: string | Coded) => void };
}

/** A plug-and-play listener: `found()` so far, `port` bound, `close()`. */
export class PnpListener {
  private readonly phones = new Map<string, PnpPhone>();
  private constructor(private readonly sock: Socket) {}

  static async listen(o: PnpListenOptions = {}): Promise<PnpListener> {
    const host = o.host ?? '0.0.0.0';
    const sock = createSocket({ type: 'udp4', reuseAddr: true });
    const l = new PnpListener(sock);
    sock.on('message', (msg, from) => {
      try {
        l.datagram(msg, from);
      } catch (e) {
        o.logger?.warn(coded('logServers.pnpDatagramIgnored', { peer: `${from.address}:${from.port}`, detail: (e as Error).message }));
      }
    });
    sock.on('error', (e) => o.logger?.warn(coded('logServers.pnpListenerError', { detail: e.message })));
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(o.port ?? PNP_PORT, host, () => {
        sock.off('error', reject);
        resolve();
      });
    });
    const group = o.group === undefined ? (host === '0.0.0.0' ? PNP_GROUP : null) : o.group;
    if (group) sock.addMembership(group);
    return l;
  }

  get port(): number {
    return this.sock.address().port;
  }

  found(): PnpPhone[] {
    return [...this.phones.values()];
  }

  close(): Promise<void> {
    return new Promise((r) => this.sock.close(() => r()));
  }

  private datagram(msg: Buffer, from: RemoteInfo): void {
    if (msg.length > 8192) return;
    const text = msg.toString('utf8');
    const [head] = text.split(/\r?\n\r?\n/);
    const lines = head.split(/\r?\n/);
    const start = /^SUBSCRIBE (\S+) SIP\/2\.0$/.exec(lines[0] ?? '');
    if (!start) return;
    const headers = new Map<string, string[]>();
    for (const line of lines.slice(1)) {
      const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
      if (!m) continue;
      const name = m[1].toLowerCase();
      headers.set(name, [...(headers.get(name) ?? []), m[2]]);
    }
    const event = headers.get('event')?.[0] ?? headers.get('o')?.[0] ?? '';
    if (!/^ua-profile\b/i.test(event)) return;
    const mac = /MAC%3a([0-9a-f]{12})@/i.exec(start[1])?.[1]?.toLowerCase();
    if (!mac) return;
    const param = (n: string) => new RegExp(`;\\s*${n}="?([^";]+)"?`, 'i').exec(event)?.[1];
    this.phones.set(mac, { ip: from.address, mac, vendor: (param('vendor') ?? 'unknown').toLowerCase(), model: param('model'), firmware: param('version') });
    this.answer(headers, from);
  }

  /** 200 OK with the request's Via, From, To, Call-ID and CSeq, back to where it came from. */
  private answer(h: Map<string, string[]>, to: RemoteInfo): void {
    const copy = (name: string, label: string) => (h.get(name) ?? []).map((v) => `${label}: ${v}`);
    const toHeader = h.get('to')?.[0];
    const res = [
      'SIP/2.0 200 OK',
      ...copy('via', 'Via'),
      ...copy('from', 'From'),
      ...(toHeader ? [`To: ${toHeader}${/;tag=/.test(toHeader) ? '' : `;tag=${Math.random().toString(36).slice(2, 10)}`}`] : []),
      ...copy('call-id', 'Call-ID'),
      ...copy('cseq', 'CSeq'),
      'Expires: 0',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    this.sock.send(res, to.port, to.address);
  }
}
