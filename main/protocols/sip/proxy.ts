// The proxy behaviour a uaCSTA server needs (RFC 3261 §16, stateful, no forking): a request for a registered
// user goes to that user's newest binding, over the connection the binding came in on; dialog-creating requests
// get our Record-Route so the dialog's later requests (INFO, BYE, ACK) pass through us too; responses go back
// the way the request came.
import { newBranch, targetOf, type SipEndpoint } from './endpoint';
import { SipError } from './errors';
import type { IncomingRequest } from './incoming';
import { header, prependHeader, type SipHeader, type SipRequest, type SipResponse } from './message';
import type { Registrar } from './registrar';
import type { SipConnection } from './transport';
import { formatUri, parseNameAddr, parseUri, splitOutsideQuotes } from './uri';

const RECORD_ROUTED = new Set(['INVITE', 'SUBSCRIBE', 'REFER', 'NOTIFY']);

export class BindingProxy {
  constructor(
    private readonly endpoint: SipEndpoint,
    private readonly registrar: Registrar,
  ) {
    endpoint.on('ack', (req, conn) => void this.forwardAck(req, conn));
  }

  /** Forwards `inc` and relays the answers; answers itself (480, 483, 408, 503) when it cannot. */
  async route(inc: IncomingRequest): Promise<void> {
    const req = inc.request;
    const mf = header(req, 'Max-Forwards');
    const hops = mf === undefined ? 70 : Number(mf);
    if (!(hops > 0)) return inc.respond(483);
    const out = this.prepare(req, hops - 1, inc.connection);
    let conn: SipConnection;
    try {
      const next = await this.nextHop(out);
      if (!next) return inc.respond(480);
      conn = next.conn;
      out.uri = next.uri;
    } catch (e) {
      return inc.respond(503, { reason: e instanceof SipError ? `Next Hop Unreachable (${e.params.cause ?? e.code})` : 'Next Hop Unreachable' });
    }
    if (RECORD_ROUTED.has(req.method)) prependHeader(out, 'Record-Route', this.recordRoute(inc.connection));
    prependHeader(out, 'Via', this.via(conn));
    try {
      const res = await this.endpoint.forward(conn, out, (p) => p.status > 100 && inc.transaction.send(upstream(p)));
      inc.transaction.send(upstream(res));
    } catch (e) {
      const code = e instanceof SipError ? e.code : '';
      inc.respond(code === 'SIP_TRANSACTION_TIMEOUT' ? 408 : 503);
    }
  }

  /** A copy to send on: Max-Forwards lowered, our own Route removed (loose routing, RFC 3261 §16.4). */
  private prepare(req: SipRequest, maxForwards: number, from: SipConnection): SipRequest {
    const headers: SipHeader[] = [];
    let routeDropped = !this.endpoint.routedHere(req, from);
    for (const h of req.headers) {
      if (h.name === 'Max-Forwards') continue;
      if (h.name === 'Route' && !routeDropped) {
        routeDropped = true;
        const rest = splitOutsideQuotes(h.value, ',').slice(1).join(',').trim();
        if (rest) headers.push({ name: 'Route', value: rest });
        continue;
      }
      headers.push(h);
    }
    headers.splice(1, 0, { name: 'Max-Forwards', value: String(maxForwards) });
    return { ...req, headers };
  }

  /** Where the request goes: a binding of the Request-URI's user (over its connection), else the URI itself. */
  private async nextHop(req: SipRequest): Promise<{ conn: SipConnection; uri: string } | undefined> {
    const route = header(req, 'Route');
    if (route) return { conn: await this.endpoint.connectionTo(targetOf(formatUri(parseNameAddr(route).uri))), uri: req.uri };
    const u = parseUri(req.uri);
    const binding = u.user !== undefined ? this.registrar.lookup(u.user)[0] : undefined;
    const inDialog = /;\s*tag=/i.test(header(req, 'To') ?? '');
    if (binding && !binding.connection.closed) return { conn: binding.connection, uri: inDialog ? req.uri : binding.contact };
    if (binding) return { conn: await this.endpoint.connectionTo(targetOf(binding.contact)), uri: inDialog ? req.uri : binding.contact };
    if (!inDialog) return undefined;
    return { conn: await this.endpoint.connectionTo(targetOf(req.uri)), uri: req.uri };
  }

  private via(conn: SipConnection): string {
    const { host, port } = this.endpoint.sentBy(conn);
    return `SIP/2.0/${conn.transport} ${host}:${port};branch=${newBranch()}`;
  }

  private recordRoute(conn: SipConnection): string {
    const { host, port } = this.endpoint.sentBy(conn);
    return `<sip:${host}:${port};transport=${conn.transport.toLowerCase()};lr>`;
  }

  private async forwardAck(req: SipRequest, from: SipConnection): Promise<void> {
    const mf = Number(header(req, 'Max-Forwards') ?? 70);
    if (!(mf > 0)) return;
    const out = this.prepare(req, mf - 1, from);
    try {
      const next = await this.nextHop(out);
      if (!next) return;
      out.uri = next.uri;
      prependHeader(out, 'Via', this.via(next.conn));
      next.conn.send(out);
    } catch {
      // an ACK that cannot be delivered is dropped: nobody waits for an answer to it
    }
  }
}

/** The response without our Via, for the previous hop. */
function upstream(res: SipResponse): SipResponse {
  const i = res.headers.findIndex((h) => h.name === 'Via');
  const headers = res.headers.slice();
  if (i >= 0) {
    const rest = splitOutsideQuotes(headers[i].value, ',').slice(1).join(',').trim();
    if (rest) headers[i] = { name: 'Via', value: rest };
    else headers.splice(i, 1);
  }
  return { ...res, headers };
}
