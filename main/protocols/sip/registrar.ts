// A registrar (RFC 3261 §10.3): bindings from an address of record to contacts, each with its expiry, keyed by
// the AOR's user (a MAC address in any spelling becomes 12 lower-case hex digits). Expires is clamped to a
// maximum and refused below a minimum (423 with Min-Expires); Expires: 0 or `*` removes. Each binding keeps the
// connection it registered over, so requests to it can reuse that connection (RFC 5923, RFC 5626 flows).
import { EventEmitter } from 'node:events';
import type { DigestServer } from './digest';
import type { IncomingRequest } from './incoming';
import { callIdOf, cseqOf, header, headerValues, toOf } from './message';
import type { SipConnection } from './transport';
import { formatUri, normaliseMacUser, parseNameAddr, type SipUri } from './uri';

export interface RegistrarOptions {
  /** Shortest registration accepted, in seconds (default 60); shorter ones get 423. */
  minExpires?: number;
  /** Longest registration granted (default 3600); longer requests are shortened to it. */
  maxExpires?: number;
  /** A shorter maximum for one AOR user (a CME's session server gets at most its keepalive). */
  maxExpiresOf?(key: string): number | undefined;
  /** When the request names none (default 3600, RFC 3261 §10.2.1.1). */
  defaultExpires?: number;
  /** Digest check of every REGISTER; the authenticated user must be the AOR's user. */
  auth?: { server: DigestServer; password(user: string): string | undefined };
  /** Remove a binding when the connection it came over closes (default true: it cannot be reached any more). */
  dropWithConnection?: boolean;
  /** How often expired bindings are looked for (default 1 s). */
  sweepMs?: number;
  now?: () => number;
}

export interface Binding {
  /** The AOR's user, MAC addresses normalised. */
  key: string;
  aor: string;
  /** The Contact URI. */
  contact: string;
  contactUri: SipUri;
  expiresAt: number;
  registeredAt: number;
  callId: string;
  cseq: number;
  connection: SipConnection;
}

export type RemovalReason = 'unregistered' | 'expired' | 'connection-closed';

export class Registrar extends EventEmitter<{ added: [Binding]; refreshed: [Binding]; removed: [Binding, RemovalReason] }> {
  private readonly byKey = new Map<string, Map<string, Binding>>();
  private readonly byConn = new Map<SipConnection, Set<Binding>>();
  private readonly timer: NodeJS.Timeout;
  private readonly now: () => number;
  readonly minExpires: number;
  maxExpires: number;
  defaultExpires: number;

  constructor(private readonly o: RegistrarOptions = {}) {
    super();
    this.now = o.now ?? Date.now;
    this.minExpires = o.minExpires ?? 60;
    this.maxExpires = o.maxExpires ?? 3600;
    this.defaultExpires = Math.min(Math.max(o.defaultExpires ?? 3600, this.minExpires), this.maxExpires);
    this.timer = setInterval(() => this.sweep(), o.sweepMs ?? 1000);
    this.timer.unref();
  }

  /** New limits for registrations from now on (a running server's changed settings); bindings keep their time. */
  setExpiry(o: { maxExpires?: number; defaultExpires?: number }): void {
    if (o.maxExpires !== undefined) this.maxExpires = Math.max(o.maxExpires, this.minExpires);
    this.defaultExpires = Math.min(Math.max(o.defaultExpires ?? this.defaultExpires, this.minExpires), this.maxExpires);
  }

  get size(): number {
    let n = 0;
    for (const m of this.byKey.values()) n += m.size;
    return n;
  }

  /** The live bindings of a user (or MAC), most recently registered first. */
  lookup(user: string): Binding[] {
    const m = this.byKey.get(normaliseMacUser(user));
    if (!m) return [];
    const t = this.now();
    return [...m.values()].filter((b) => b.expiresAt > t).sort((a, b) => b.registeredAt - a.registeredAt);
  }

  /** Handles a REGISTER completely (answers it). */
  handle(inc: IncomingRequest): void {
    const req = inc.request;
    let aorUri: SipUri;
    try {
      aorUri = toOf(req).uri;
    } catch {
      return inc.respond(400, { reason: 'Bad To Header' });
    }
    const key = normaliseMacUser(aorUri.user ?? aorUri.host);
    if (this.o.auth) {
      const user = inc.authenticate(this.o.auth.server, this.o.auth.password);
      if (user === undefined) return;
      if (normaliseMacUser(user) !== key) return inc.respond(403, { reason: 'Not Your Address Of Record' });
    }
    const contacts = headerValues(req, 'Contact');
    const expiresHeader = header(req, 'Expires');
    const fallback = expiresHeader !== undefined && /^\d+$/.test(expiresHeader) ? Number(expiresHeader) : this.defaultExpires;
    const callId = callIdOf(req);
    const cseq = cseqOf(req).seq;
    const bindings = this.byKey.get(key) ?? new Map<string, Binding>();

    if (contacts.length === 1 && contacts[0] === '*') {
      if (fallback !== 0) return inc.respond(400, { reason: 'Wildcard Needs Expires 0' });
      for (const b of bindings.values()) this.remove(b, 'unregistered');
      return inc.respond(200);
    }
    const parsed: Array<{ uri: SipUri; expires: number }> = [];
    for (const c of contacts) {
      let a;
      try {
        a = parseNameAddr(c);
      } catch {
        return inc.respond(400, { reason: 'Bad Contact Header' });
      }
      if (a.uri.scheme === '*') return inc.respond(400, { reason: 'Wildcard Among Contacts' });
      const e = a.params.expires !== undefined && a.params.expires !== null && /^\d+$/.test(a.params.expires) ? Number(a.params.expires) : fallback;
      if (e !== 0 && e < this.minExpires) {
        return inc.respond(423, { headers: [{ name: 'Min-Expires', value: String(this.minExpires) }] });
      }
      parsed.push({ uri: a.uri, expires: Math.min(e, this.maxExpires, this.o.maxExpiresOf?.(key) ?? Infinity) });
    }
    // RFC 3261 §10.3 step 7: a replayed or reordered REGISTER of the same Call-ID changes nothing
    for (const { uri } of parsed) {
      const old = bindings.get(contactKey(uri));
      if (old && old.callId === callId && cseq <= old.cseq) return inc.respond(500, { reason: 'Out Of Order Registration' });
    }
    const t = this.now();
    for (const { uri, expires } of parsed) {
      const k = contactKey(uri);
      const old = bindings.get(k);
      if (expires === 0) {
        if (old) this.remove(old, 'unregistered');
        continue;
      }
      const b: Binding = { key, aor: formatUri({ ...aorUri, params: {} }), contact: formatUri(uri), contactUri: uri, expiresAt: t + expires * 1000, registeredAt: t, callId, cseq, connection: inc.connection };
      bindings.set(k, b);
      this.byKey.set(key, bindings);
      if (old) this.byConn.get(old.connection)?.delete(old);
      this.watch(b);
      this.emit(old ? 'refreshed' : 'added', b);
    }
    const live = [...(this.byKey.get(key)?.values() ?? [])];
    inc.respond(200, { headers: live.map((b) => ({ name: 'Contact', value: `<${b.contact}>;expires=${Math.max(0, Math.round((b.expiresAt - t) / 1000))}` })) });
  }

  /** Removes every binding of a user (a switch that forgets a registration); returns how many went. */
  drop(user: string): number {
    const bindings = [...(this.byKey.get(normaliseMacUser(user))?.values() ?? [])];
    for (const b of bindings) this.remove(b, 'unregistered');
    return bindings.length;
  }

  /** Removes bindings whose time is up; runs on its own every sweepMs, callable for tests and benchmarks. */
  sweep(): number {
    const t = this.now();
    let n = 0;
    for (const m of this.byKey.values()) {
      for (const b of m.values()) {
        if (b.expiresAt <= t) {
          this.remove(b, 'expired');
          n++;
        }
      }
    }
    return n;
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** One close listener per connection, however many bindings came over it. */
  private watch(b: Binding): void {
    if (this.o.dropWithConnection === false) return;
    let set = this.byConn.get(b.connection);
    if (!set) {
      const conn = b.connection;
      set = new Set();
      this.byConn.set(conn, set);
      conn.once('close', () => {
        const held = this.byConn.get(conn);
        this.byConn.delete(conn);
        for (const x of held ?? []) if (x.connection === conn && this.byKey.get(x.key)?.get(contactKey(x.contactUri)) === x) this.remove(x, 'connection-closed');
      });
    }
    set.add(b);
  }

  private remove(b: Binding, why: RemovalReason): void {
    const m = this.byKey.get(b.key);
    if (m?.get(contactKey(b.contactUri)) !== b) return;
    m.delete(contactKey(b.contactUri));
    this.byConn.get(b.connection)?.delete(b);
    if (m.size === 0) this.byKey.delete(b.key);
    this.emit('removed', b, why);
  }
}

/** Contacts compare as URIs (RFC 3261 §19.1.4, simplified): scheme, user, host case-insensitive, port, transport. */
function contactKey(u: SipUri): string {
  return `${u.scheme}:${u.user ?? ''}@${u.host.toLowerCase()}:${u.port ?? ''};${(u.params.transport ?? '').toLowerCase()}`;
}
