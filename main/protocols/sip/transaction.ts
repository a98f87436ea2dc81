// Transactions (RFC 3261 §17) over reliable transports only: no retransmissions, and the timers that exist for
// them are zero (D, I, J, K). What remains: B and F end a client transaction that never gets a final answer, H
// ends an INVITE server transaction whose error response is never acknowledged, and an INVITE server
// transaction says 100 Trying when its answer takes longer than 200 ms; a server transaction left unanswered
// ends after 64 × T1 too. A closed connection fails its transactions at once.
import { SipError } from './errors';
import { createResponse, cseqOf, header, topVia, type SipHeader, type SipRequest, type SipResponse } from './message';
import type { SipConnection } from './transport';

export interface SipTimers {
  /** RFC 3261 T1 (500 ms); B, F and H are 64 × T1. */
  t1?: number;
  /** Delay before an INVITE server transaction sends 100 Trying itself (RFC 3261 §17.2.1: 200 ms). */
  tryingMs?: number;
}

const key = (branch: string, method: string) => `${branch}\n${method}`;

export class ClientTransaction {
  readonly result: Promise<SipResponse>;
  private resolve!: (r: SipResponse) => void;
  private reject!: (e: Error) => void;
  private timer: NodeJS.Timeout;
  done = false;

  constructor(
    readonly conn: SipConnection,
    readonly request: SipRequest,
    readonly key: string,
    timeoutMs: number,
    private readonly onEnd: (t: ClientTransaction) => void,
    private readonly onProvisional?: (r: SipResponse) => void,
  ) {
    this.result = new Promise((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
    // the caller awaits `result`; this keeps an unobserved failure from being reported as unhandled
    this.result.catch(() => undefined);
    this.timer = setTimeout(() => {
      const { host, port } = conn.remote;
      this.fail(new SipError('SIP_TRANSACTION_TIMEOUT', `${request.method} to ${host}:${port} got no final response within ${timeoutMs} ms`, { method: request.method, host, port, timeoutMs }));
    }, timeoutMs);
  }

  receive(res: SipResponse): void {
    if (this.done) return;
    // Timer B keeps running after a provisional answer (RFC 3261 stops it): without CANCEL, an INVITE that rings
    // forever would never end, and a CSTA INVITE is answered at once.
    if (res.status < 200) return this.onProvisional?.(res);
    if (this.request.method === 'INVITE' && res.status >= 300) this.conn.send(ackFor(this.request, res));
    this.end();
    this.resolve(res);
  }

  fail(err: Error): void {
    if (this.done) return;
    this.end();
    this.reject(err);
  }

  private end(): void {
    this.done = true;
    clearTimeout(this.timer);
    this.onEnd(this);
  }
}

/** The ACK a client INVITE transaction sends for a non-2xx final response (RFC 3261 §17.1.1.3). */
function ackFor(inv: SipRequest, res: SipResponse): SipRequest {
  const headers: SipHeader[] = [];
  const firstVia = inv.headers.find((h) => h.name === 'Via');
  if (firstVia) headers.push({ name: 'Via', value: firstVia.value });
  for (const h of inv.headers) {
    if (h.name === 'From' || h.name === 'Call-ID' || h.name === 'Route' || h.name === 'Max-Forwards') headers.push({ ...h });
  }
  headers.push({ name: 'To', value: header(res, 'To') ?? '' }, { name: 'CSeq', value: `${cseqOf(inv).seq} ACK` });
  return { kind: 'request', method: 'ACK', uri: inv.uri, headers, body: new Uint8Array(0) };
}

export class ServerTransaction {
  state: 'proceeding' | 'completed' | 'terminated' = 'proceeding';
  private last: SipResponse | undefined;
  private timer: NodeJS.Timeout | undefined;
  private giveUp: NodeJS.Timeout;

  constructor(
    readonly conn: SipConnection,
    readonly request: SipRequest,
    readonly key: string,
    private readonly timers: { h: number; trying: number },
    private readonly onEnd: (t: ServerTransaction) => void,
  ) {
    // Unanswered after 64 × T1, the client has given up (its Timer B or F): forget the request rather than
    // hold it for as long as the connection lives.
    this.giveUp = setTimeout(() => this.end(), timers.h);
    if (request.method === 'INVITE') {
      this.timer = setTimeout(() => {
        if (!this.last) this.send(createResponse(request, 100));
      }, timers.trying);
    }
  }

  get answered(): boolean {
    return this.last !== undefined && this.last.status >= 200;
  }

  /** Sends a response; a second final response is ignored (RFC 3261 §17.2). */
  send(res: SipResponse): boolean {
    if (this.state !== 'proceeding') return false;
    clearTimeout(this.timer);
    if (res.status >= 200) clearTimeout(this.giveUp);
    this.last = res;
    this.conn.send(res);
    if (res.status < 200) return true;
    if (this.request.method === 'INVITE' && res.status >= 300) {
      this.state = 'completed';
      this.timer = setTimeout(() => this.end(), this.timers.h);
    } else this.end();
    return true;
  }

  /** The same request again: the last response is repeated. */
  retransmitted(): void {
    if (this.last) this.conn.send(this.last);
  }

  acknowledged(): void {
    if (this.state === 'completed') this.end();
  }

  end(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    clearTimeout(this.timer);
    clearTimeout(this.giveUp);
    this.onEnd(this);
  }
}

export type Incoming =
  | { kind: 'new'; transaction: ServerTransaction }
  | { kind: 'absorbed' }
  /** An ACK to a 2xx (its own transaction, RFC 3261 §17.1.1.3) or without a matching transaction. */
  | { kind: 'ack' };

/** The transactions of one SIP endpoint, matched by branch and method (RFC 3261 §17.1.3, §17.2.3). */
export class TransactionLayer {
  private clients = new Map<string, ClientTransaction>();
  private servers = new Map<string, ServerTransaction>();
  private readonly b: number;
  private readonly h: number;
  private readonly trying: number;

  constructor(timers: SipTimers = {}) {
    const t1 = timers.t1 ?? 500;
    this.b = 64 * t1;
    this.h = 64 * t1;
    this.trying = timers.tryingMs ?? 200;
  }

  get size(): { clients: number; servers: number } {
    return { clients: this.clients.size, servers: this.servers.size };
  }

  /** Sends `req` (its top Via must carry a fresh branch) and resolves with the final response. */
  request(conn: SipConnection, req: SipRequest, onProvisional?: (r: SipResponse) => void): Promise<SipResponse> {
    const k = key(topVia(req).params.branch ?? '', cseqOf(req).method);
    const t = new ClientTransaction(conn, req, k, this.b, (x) => this.clients.delete(x.key), onProvisional);
    this.clients.set(k, t);
    if (!conn.send(req)) {
      t.fail(new SipError('SIP_CONNECTION_LOST', `connection to ${conn.remote.host}:${conn.remote.port} is closed`, { host: conn.remote.host, port: conn.remote.port }));
    }
    return t.result;
  }

  /** True when the response belonged to a client transaction. */
  response(res: SipResponse): boolean {
    let k: string;
    try {
      k = key(topVia(res).params.branch ?? '', cseqOf(res).method);
    } catch {
      return false;
    }
    const t = this.clients.get(k);
    if (!t) return false;
    t.receive(res);
    return true;
  }

  incoming(conn: SipConnection, req: SipRequest): Incoming {
    const via = topVia(req);
    const sentBy = `${via.host}:${via.port ?? ''}`;
    const branch = via.params.branch ?? '';
    if (req.method === 'ACK') {
      const inv = this.servers.get(`${key(branch, 'INVITE')}\n${sentBy}`);
      if (inv && inv.state === 'completed') {
        inv.acknowledged();
        return { kind: 'absorbed' };
      }
      return { kind: 'ack' };
    }
    const k = `${key(branch, req.method)}\n${sentBy}`;
    const existing = this.servers.get(k);
    if (existing) {
      existing.retransmitted();
      return { kind: 'absorbed' };
    }
    const t = new ServerTransaction(conn, req, k, { h: this.h, trying: this.trying }, (x) => this.servers.delete(x.key));
    this.servers.set(k, t);
    return { kind: 'new', transaction: t };
  }

  /** The connection closed: its client transactions fail, its server transactions end. */
  connectionClosed(conn: SipConnection, err: SipError): void {
    for (const t of [...this.clients.values()]) if (t.conn === conn) t.fail(err);
    for (const t of [...this.servers.values()]) if (t.conn === conn) t.end();
  }

  close(err: SipError): void {
    for (const t of [...this.clients.values()]) t.fail(err);
    for (const t of [...this.servers.values()]) t.end();
  }
}
