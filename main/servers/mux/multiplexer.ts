// The CSTA multiplexer: many applications (TCP and TLS) share one association with the PBX. Requests are
// relayed with remapped invoke IDs, monitors are shared per device, events fan out by cross-reference ID,
// CDR and data collection belong to one application at a time. See docs/multiplexer.md.
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import {
  aarqCredentials,
  BerError,
  buildAare,
  buildInvoke,
  buildReturnResult,
  checkBer,
  childrenOf,
  contentHex,
  decodeApdu,
  encodeApdu,
  encodeReject,
  encodeUniversalFailure,
  eventCrossRefEl,
  frameOf,
  fromHex,
  isAcse,
  leadingRef,
  MAX_INVOKE_ID,
  NO_DATA,
  OPCODE,
  parseRose,
  PHASE2_SYSTEM_STATUS,
  readEl,
  replaceContent,
  rewriteEventCrossRef,
  rewriteInvokeId,
  tlv,
  type El,
  type RoseView,
  type UniversalFailure,
} from '../../protocols/csta-ber';
import type { MuxApplication, MuxCounters, MuxPbxState, MuxStatus, MuxWarning } from '../../../shared/api/mux';
import { InvokeMap, type Pending } from './invoke-map';
import { MonitorTable, type SharedMonitor, type Subscription } from './monitor-table';
import { describeThrown } from '../../log/process-guard';
import { coded, type Coded } from '../../../shared/problems';
import { LoginGuard, printable, sameSecret } from './login-guard';
import {
  DEFAULT_APPLICATION_KEEP_ALIVE_MS,
  DEFAULT_APPLICATION_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_BIND,
  DEFAULT_LOGIN,
  DEFAULT_MAX_APPLICATIONS,
  DEFAULT_MAX_OUTSTANDING,
  DEFAULT_TCP_PORT,
  loadTlsCredentials,
  causeOf,
  MuxStartError,
  type MuxLogger,
  type MuxOptions,
} from './options';
import { Ownership } from './ownership';
import { AppSession } from './session';
import { UpstreamLink } from './upstream';

const GENERIC: UniversalFailure = { operation: 'generic' };
const OUT_OF_SERVICE: UniversalFailure = { systemResourceAvailability: 'resourceOutOfService' };
const TIMED_OUT: UniversalFailure = { performanceManagement: 'performanceLimitExceeded' };
const TOO_MANY: UniversalFailure = { subscribedResourceAvailability: 'outstandingReqLimitExceeded' };
const INVALID_MONITOR_OBJECT: UniversalFailure = { operation: 'invalidMonitorObject' };
const INVALID_CROSS_REF: UniversalFailure = { operation: 'invalidCrossRefID' };

/**
 * A universalFailure answer. Each failure is encoded once and then only re-numbered: refusals are what a flood
 * of requests or a PBX outage produces, and the codec would cost more than the rest of the handling.
 */
const failureTemplates = new Map<UniversalFailure, { bytes: Uint8Array; view: RoseView }>();
function failure(invokeId: number, f: UniversalFailure): Uint8Array {
  let t = failureTemplates.get(f);
  if (!t) {
    const bytes = encodeUniversalFailure(0, f);
    failureTemplates.set(f, (t = { bytes, view: parseRose(bytes) }));
  }
  return rewriteInvokeId(t.bytes, invokeId, t.view) ?? encodeUniversalFailure(invokeId, f);
}

/** AARE refusals by result and diagnostic, encoded once. */
const refusals = new Map<string, Buffer>();
function refusalAare(result: 'rejectedPermanent' | 'rejectedTransient', diag: number): Buffer {
  const key = `${result}:${diag}`;
  let f = refusals.get(key);
  if (!f) refusals.set(key, (f = frameOf(encodeApdu({ kind: 'aare', ...buildAare({ result, diagnostic: { acseServiceUser: diag } }) }))));
  return f;
}

/** Invoke IDs an application may use: what an answer can be rewritten back to (a ROSE INTEGER of up to 4 bytes, not negative). */
const MAX_CLIENT_INVOKE_ID = MAX_INVOKE_ID;


/** The AARE of an accepted login never changes: encoded once. */
let acceptedAare: Buffer | undefined;

const noopLogger: MuxLogger = { error() {}, warn() {}, info() {}, debug() {} };

function zeroCounters(): MuxCounters {
  return {
    connectionsAccepted: 0, loginsRejected: 0, limitRefusals: 0, requestsForwarded: 0, answersReturned: 0, eventsReceived: 0,
    eventsDelivered: 0, monitorStartsUpstream: 0, monitorStartsShared: 0, monitorStopsUpstream: 0, cdrReportsDelivered: 0,
    cdrReportsRefused: 0, slowDisconnects: 0, malformedDisconnects: 0, upstreamConnects: 0, monitorsRestored: 0,
    loginsThrottled: 0, outstandingLimitRefusals: 0, keepAliveDisconnects: 0, registrationsRestored: 0, dataCollectedRefused: 0,
  };
}

/** SystemStatusArg { systemStatus ENUMERATED } for normal(2) / disabled(4). */
function systemStatusArg(up: boolean): Uint8Array {
  return Uint8Array.of(0x30, 0x03, 0x0a, 0x01, up ? 2 : 4);
}

/** Readable name of a MonitorStart's monitorObject: dialing number, or "#n" for a device number (no words: the console shows it in any language). */
function deviceLabel(b: Uint8Array, obj: El): string {
  try {
    const inner = obj.id === 0x30 ? readEl(b, obj.contentStart, obj.end) : obj;
    // the application's bytes: escaped, as the label goes into log lines and the console
    const text = () => printable(String.fromCharCode(...b.subarray(inner.contentStart, inner.end)));
    if (inner.id === 0x80 || inner.id === 0x82 || inner.id === 0x84) return text();
    if (inner.id === 0x81) {
      let n = 0;
      for (let i = inner.contentStart; i < inner.end; i++) n = n * 256 + b[i];
      return `#${n}`;
    }
  } catch {
    // fall through to the hex form
  }
  return contentHex(b, obj);
}

/** The dcollCrossRefID (hex) leading a StopDataCollection argument, '' when absent. */
function dcRefOf(b: Uint8Array, v: RoseView): string {
  const lr = leadingRef(b, v);
  return lr ? contentHex(b, lr.ref) : '';
}

/** The argument of an invoke (its whole BER element) as hex; '' without one. */
function argumentHex(b: Uint8Array, v: RoseView): string {
  return v.body ? Buffer.from(b.buffer, b.byteOffset + v.body.start, v.body.end - v.body.start).toString('hex') : '';
}

/** The APDU with the cross-reference ID leading its argument set to `ref` (hex); the same APDU when it already is. */
function withLeadingRef(b: Uint8Array, v: RoseView, ref: string): Uint8Array {
  const lr = leadingRef(b, v);
  if (!lr || contentHex(b, lr.ref) === ref) return b;
  return replaceContent(b, lr.chain, lr.ref, fromHex(ref));
}

/** A data-collection registration, keyed by the ID its holder was given. */
interface DataCollection {
  argument: Uint8Array;
  result: Uint8Array;
  /** The PBX's ID on the current link; absent while the link is down or the registration is being restored. */
  ref?: string;
}

/**
 * An Escape whose Panasonic private data is KME hotel control (KMESpecificPrivateData alternative [13], as the
 * kmeSystemData [4] of the device-list request sits as the argument's last member: `30 .. A4 ..`). UNSURE: the KME
 * ASN.1 is not public; tag 13 comes from the reverse-engineered list in the reference (§5).
 */
function isHotelEscape(b: Uint8Array, v: RoseView): boolean {
  if (!v.body || v.body.id !== 0x30) return false;
  const members = childrenOf(b, v.body);
  return members.length > 0 && members[members.length - 1].id === 0xad;
}

export interface MultiplexerHandle {
  tcpPort: number;
  tlsPort?: number;
  status(): MuxStatus;
  /** Called (at most every statusIntervalMs) when the status changed; returns an unsubscribe function. */
  onStatus(cb: (s: MuxStatus) => void): () => void;
  close(): Promise<void>;
}

export class Multiplexer {
  tcpPort = 0;
  tlsPort: number | undefined;
  readonly counters = zeroCounters();
  private readonly log: MuxLogger;
  private readonly sessions = new Set<AppSession>();
  private readonly ready = new Set<AppSession>();
  private readonly invokes = new InvokeMap<AppSession>();
  private readonly monitors = new MonitorTable<AppSession>();
  private readonly subsOf = new Map<AppSession, Set<Subscription<AppSession>>>();
  private readonly owners = new Ownership<AppSession>();
  private readonly dataCollections = new Map<string, DataCollection>();
  private readonly serviceRefs = new Map<string, AppSession>();
  /** Reports (CDR, DataCollected) sent to their holder and not yet answered, by `session:invokeId`. */
  private readonly ackTimers = new Map<string, NodeJS.Timeout>();
  private lastEscapeClient: AppSession | undefined;
  private run: { monitor: SharedMonitor<AppSession>; size: number; frames: Buffer[]; refAts: number[]; length: number } | undefined;
  private readonly upstream: UpstreamLink;
  private readonly servers: Server[] = [];
  private readonly listeners = new Set<(s: MuxStatus) => void>();
  private statusTimer: NodeJS.Timeout | undefined;
  private tick: NodeJS.Timeout | undefined;
  private pbxSince = new Date();
  private nextSessionId = 1;
  private lastCountersJson = '';
  private lastKeepAlive = Date.now();
  private closed = false;
  private readonly login: { user: string; password: string };
  private readonly maxApplications: number;
  private readonly maxOutstanding: number;
  private readonly loginGuard: LoginGuard;

  constructor(private readonly opts: MuxOptions) {
    this.log = opts.logger ?? noopLogger;
    this.login = opts.login ?? { ...DEFAULT_LOGIN };
    this.maxApplications = opts.maxApplications ?? DEFAULT_MAX_APPLICATIONS;
    this.maxOutstanding = opts.maxOutstandingPerApplication ?? DEFAULT_MAX_OUTSTANDING;
    this.loginGuard = new LoginGuard(opts.loginGuard);
    this.upstream = new UpstreamLink(
      { host: opts.pbx.host, port: opts.pbx.port, login: opts.pbx.login, reconnectMs: opts.reconnectMs, maxReconnectMs: opts.maxReconnectMs },
      {
        state: (s, detail) => this.onUpstreamState(s, detail),
        apdu: (a, v) => this.onUpstreamApdu(a, v),
        readDone: () => this.flushRun(),
        failed: (where, e) => this.log.error(coded('logMux.pbxInternalError', { pbx: this.pbxAddress(), where, detail: describeThrown(e) })),
      },
    );
  }

  /** Runs a timer's or listener's work; a throw is logged with `task` instead of ending the process. */
  private safely(task: Coded, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log.error(coded('logMux.internalError', { task, detail: describeThrown(e) }));
    }
  }

  private pbxAddress(): string {
    return `${this.opts.pbx.host}:${this.opts.pbx.port}`;
  }

  /** Opens the listeners (failing with MuxStartError when a port is taken or the certificate is bad), then the PBX link. */
  async start(): Promise<void> {
    const bind = this.opts.bind ?? DEFAULT_BIND;
    const tlsContext = this.opts.tls ? loadTlsCredentials(this.opts.tls) : undefined;
    const tcp = createTcpServer((s) => this.serve(s, 'tcp'));
    this.tcpPort = await listen(tcp, bind, this.opts.tcpPort ?? DEFAULT_TCP_PORT);
    this.servers.push(tcp);
    if (this.opts.tls && tlsContext) {
      const tls = createTlsServer(tlsContext, (s) => this.serve(s, 'tls'));
      tls.on('tlsClientError', (_e, s) => s.destroy());
      try {
        this.tlsPort = await listen(tls, bind, this.opts.tls.port);
      } catch (e) {
        await closeServer(tcp);
        this.servers.length = 0;
        throw e;
      }
      this.servers.push(tls);
    }
    // after listening, a server error (e.g. too many open files on accept) is logged; the listener stays
    for (const server of this.servers) server.on('error', (e: NodeJS.ErrnoException) => this.log.error(coded('logMux.listenerError', { bind, cause: causeOf(e), detail: describeThrown(e) })));
    const pbx = this.pbxAddress();
    this.log.info(this.tlsPort !== undefined ? coded('logMux.listeningTls', { bind, tcpPort: this.tcpPort, tlsPort: this.tlsPort, pbx }) : coded('logMux.listening', { bind, tcpPort: this.tcpPort, pbx }));
    this.upstream.start();
    // the tick drives request timeouts and keep-alives; short keep-alives (tests) need a finer one
    const keepAlive = this.appKeepAlive();
    const every = keepAlive.every > 0 ? Math.max(20, Math.min(1000, keepAlive.every / 2, keepAlive.timeout / 2)) : 1000;
    this.tick = setInterval(() => this.safely(coded('logMux.taskTick'), () => this.onTick()), every);
    this.tick.unref();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.tick) clearInterval(this.tick);
    if (this.statusTimer) clearTimeout(this.statusTimer);
    for (const t of this.ackTimers.values()) clearTimeout(t);
    for (const s of [...this.sessions]) s.destroy(coded('logMux.reasonStopped'));
    this.upstream.close();
    await Promise.all(this.servers.map(closeServer));
    this.emitStatus();
    this.listeners.clear();
  }

  onStatus(cb: (s: MuxStatus) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  status(): MuxStatus {
    const applications: MuxApplication[] = [];
    for (const s of this.ready) {
      const services = this.owners.servicesOf(s);
      const app: MuxApplication = {
        id: s.id,
        address: s.address,
        transport: s.transport,
        since: s.since.toISOString(),
        monitors: [...(this.subsOf.get(s) ?? [])].map((x) => x.monitor.device),
        cdr: services.includes('cdr'),
        dataCollection: services.includes('dataCollection'),
        hotel: services.includes('hotel'),
        requests: s.requests,
        events: s.events,
      };
      if (s.user !== undefined) app.user = s.user;
      applications.push(app);
    }
    const warnings: MuxWarning[] = [];
    if (!this.opts.requireLogin) warnings.push('LOGIN_NOT_REQUIRED_ON_TCP');
    if (this.login.user === DEFAULT_LOGIN.user && this.login.password === DEFAULT_LOGIN.password) warnings.push('DEFAULT_CREDENTIALS');
    const pbx: NonNullable<MuxStatus['pbx']> = { host: this.opts.pbx.host, port: this.opts.pbx.port, state: this.upstream.state, since: this.pbxSince.toISOString() };
    const lastError = this.upstream.lastError;
    if (lastError) Object.assign(pbx, { lastError: lastError.message, lastProblem: lastError });
    return {
      running: !this.closed,
      pbx,
      // the address the TCP listener really holds (what the OS made of `bind`)
      listening: { bind: (this.servers[0]?.address() as AddressInfo | null)?.address ?? this.opts.bind ?? DEFAULT_BIND, tcpPort: this.tcpPort, ...(this.tlsPort !== undefined ? { tlsPort: this.tlsPort } : {}), requireLogin: !!this.opts.requireLogin },
      applications,
      pbxMonitors: this.monitors.all().filter((m) => m.state === 'active').length,
      counters: { ...this.counters },
      warnings,
    };
  }

  // ---------------------------------------------------------------- applications

  /** Serves one connected application (the listeners call this; tests hand in socket stand-ins). */
  serve(socket: Socket, transport: 'tcp' | 'tls'): void {
    if (this.closed) return void socket.destroy();
    try {
      this.counters.connectionsAccepted++;
      const session = new AppSession(this.nextSessionId++, socket, transport, this.opts.maxBufferedBytes ?? 1 << 20, {
        frames: (s, apdus) => this.onFrames(s, apdus),
        malformed: (s, reason) => this.malformed(s, reason),
        closed: (s) => this.onSessionClosed(s),
        failed: (s, where, e) => this.log.error(coded('logMux.clientInternalError', { client: s.address, where, detail: describeThrown(e) })),
      });
      this.sessions.add(session);
      const t = setTimeout(() => {
        if (session.state === 'login') this.safely(coded('logMux.taskLoginTimer', { client: session.address }), () => session.destroy(coded('logMux.reasonLoginTime')));
      }, this.opts.loginTimeoutMs ?? 10000);
      t.unref();
    } catch (e) {
      socket.destroy();
      this.log.error(coded('logMux.acceptFailed', { client: `${socket.remoteAddress}:${socket.remotePort}`, detail: describeThrown(e) }));
    }
  }

  private onFrames(s: AppSession, apdus: Uint8Array[]): void {
    for (const apdu of apdus) {
      if (s.state === 'closed') return;
      try {
        const top = checkBer(apdu);
        if (isAcse(apdu)) this.onAcse(s, apdu);
        else if (s.state !== 'ready') throw new Error('a ROSE APDU before the association');
        else this.onRose(s, apdu, parseRose(apdu, top));
      } catch (e) {
        this.malformed(s, (e as Error).message);
        return;
      }
    }
  }

  private malformed(s: AppSession, reason: string): void {
    this.counters.malformedDisconnects++;
    this.log.warn(coded('logMux.clientMalformed', { client: s.address, detail: reason }));
    s.destroy(coded('logMux.reasonMalformed', { detail: reason }));
  }

  private onAcse(s: AppSession, apdu: Uint8Array): void {
    const a = decodeApdu(apdu, { engine: 'lean' });
    if (a.kind === 'rlrq' && s.state === 'ready') {
      s.endWith(frameOf(encodeApdu({ kind: 'rlre', reason: 0 })), coded('logMux.reasonReleased'));
      return;
    }
    if (a.kind === 'abrt') return s.destroy(coded('logMux.reasonAborted'));
    if (a.kind !== 'aarq' || s.state !== 'login') throw new Error(`unexpected ${a.kind.toUpperCase()}`);
    const cred = aarqCredentials(a);
    const required = s.transport === 'tls' || !!this.opts.requireLogin;
    const refuse = (result: 'rejectedPermanent' | 'rejectedTransient', diag: number, why: Coded) => {
      this.counters.loginsRejected++;
      this.log.warn(why);
      s.endWith(refusalAare(result, diag), why);
    };
    const client = s.address;
    const transport = s.transport.toUpperCase();
    if (!cred && required) return refuse('rejectedPermanent', 14, coded('logMux.refusedNoLogin', { client, transport }));
    if (cred) {
      const from = s.socket.remoteAddress ?? s.address;
      const gate = this.loginGuard.gate(from);
      if (!gate.open) {
        // not checked at all while the address waits: guessing faster gains nothing
        this.counters.loginsThrottled++;
        this.log.debug(coded(gate.lockedOut ? 'logMux.refusedLockedOut' : 'logMux.refusedWaiting', { client, from, until: new Date(gate.until).toISOString() }));
        return s.endWith(refusalAare('rejectedTransient', 1), coded('logMux.reasonThrottled'));
      }
      // both compared in full, whatever the first one gives
      const userOk = sameSecret(cred.user, this.login.user);
      const passwordOk = sameSecret(cred.password, this.login.password);
      if (!(userOk && passwordOk)) {
        const f = this.loginGuard.failed(from);
        if (f.lockedOut) this.log.warn(coded('logMux.lockedOut', { from, until: new Date(f.until).toISOString(), count: f.failures }));
        return refuse('rejectedPermanent', 13, coded('logMux.refusedWrongLogin', { client, user: printable(cred.user), failures: f.failures, from }));
      }
      this.loginGuard.succeeded(from);
    }
    if (this.ready.size >= this.maxApplications) {
      this.counters.limitRefusals++;
      return refuse('rejectedTransient', 1, coded('logMux.refusedLimit', { client, max: this.maxApplications }));
    }
    s.state = 'ready';
    s.user = cred?.user;
    s.since = new Date();
    s.keepAliveDue = Date.now() + this.appKeepAlive().every;
    this.ready.add(s);
    this.subsOf.set(s, new Set());
    s.send((acceptedAare ??= frameOf(encodeApdu({ kind: 'aare', ...buildAare() }))));
    s.send(frameOf(buildInvoke(s.ownInvokeId(), OPCODE.systemStatus, systemStatusArg(this.upstream.state === 'connected'))));
    this.log.info(s.user ? coded('logMux.loggedInUser', { client, transport, user: printable(s.user) }) : coded('logMux.loggedIn', { client, transport }));
    this.changed();
  }

  private onRose(s: AppSession, apdu: Uint8Array, v: RoseView): void {
    if (v.kind !== 'invoke') return this.onApplicationAnswer(s, apdu, v);
    s.requests++;
    s.outstanding++;
    const id = v.invokeId!;
    if (id < 0 || id > MAX_CLIENT_INVOKE_ID) {
      // its answer could not be given back under this ID: refused here, before it takes anything upstream
      this.log.warn(coded('logMux.invokeIdOutOfRange', { client: s.address, invokeId: id, max: MAX_CLIENT_INVOKE_ID }));
      return this.reply(s, encodeReject(id, { general: 'mistypedPDU' }));
    }
    if (s.outstanding > this.maxOutstanding) {
      this.counters.outstandingLimitRefusals++;
      if (!s.atLimit) this.log.warn(coded('logMux.outstandingLimit', { client: s.address, count: this.maxOutstanding }));
      s.atLimit = true;
      return this.reply(s, failure(id, TOO_MANY));
    }
    s.atLimit = false;
    switch (v.opcode) {
      case OPCODE.systemStatus:
      case PHASE2_SYSTEM_STATUS:
        // the PBX link belongs to the multiplexer: the application's pings are answered here
        return this.reply(s, buildReturnResult(id, v.opcode, NO_DATA));
      case OPCODE.monitorStart:
        return this.monitorStart(s, apdu, v);
      case OPCODE.monitorStop:
        return this.monitorStop(s, apdu, v);
      case OPCODE.startCDRTransmission: {
        if (!this.owners.acquire('cdr', s)) return this.refuse(s, id, 'logMux.cdrTaken');
        // registered already (perhaps restored after a reconnect): the PBX takes one registration, the holder keeps its ID
        const c = this.owners.claim('cdr')!;
        if (c.ref && c.result) return this.reply(s, buildReturnResult(id, OPCODE.startCDRTransmission, c.result));
        return this.forward(s, apdu, v, 'cdrStart', argumentHex(apdu, v));
      }
      case OPCODE.stopCDRTransmission: {
        const c = this.owners.claim('cdr');
        if (c?.client !== s) return this.refuse(s, id, 'logMux.cdrNotStarted');
        if (c.appRef && !c.ref) {
          // not registered on the current link (it dropped): nothing to stop at the PBX
          this.owners.release('cdr', s);
          this.changed();
          return this.reply(s, buildReturnResult(id, OPCODE.stopCDRTransmission, NO_DATA));
        }
        const out = c.ref ? withLeadingRef(apdu, v, c.ref) : apdu;
        return this.forward(s, out, out === apdu ? v : parseRose(out), 'relay', 'cdrStop');
      }
      case OPCODE.startDataCollection: {
        if (!this.owners.acquire('dataCollection', s)) return this.refuse(s, id, 'logMux.dataCollectionTaken');
        const arg = argumentHex(apdu, v);
        for (const d of this.dataCollections.values()) if (d.ref && Buffer.from(d.argument).toString('hex') === arg) return this.reply(s, buildReturnResult(id, OPCODE.startDataCollection, d.result));
        return this.forward(s, apdu, v, 'dcStart', arg);
      }
      case OPCODE.stopDataCollection: {
        if (this.owners.owner('dataCollection') !== s) return this.refuse(s, id, 'logMux.dataCollectionNotStarted');
        const appRef = dcRefOf(apdu, v);
        const d = this.dataCollections.get(appRef);
        if (d && !d.ref) {
          this.dataCollections.delete(appRef);
          if (this.dataCollections.size === 0) this.owners.release('dataCollection', s);
          this.changed();
          return this.reply(s, buildReturnResult(id, OPCODE.stopDataCollection, NO_DATA));
        }
        const out = d?.ref ? withLeadingRef(apdu, v, d.ref) : apdu;
        return this.forward(s, out, out === apdu ? v : parseRose(out), 'relay', `dcStop:${appRef}`);
      }
      case OPCODE.escape:
        if (isHotelEscape(apdu, v) && !this.owners.acquire('hotel', s)) return this.refuse(s, id, 'logMux.hotelTaken');
        if (this.owners.owner('hotel') === s) this.changed();
        this.lastEscapeClient = s;
        return this.forward(s, apdu, v, 'relay');
      case OPCODE.getSwitchingFunctionDevices:
        return this.forward(s, apdu, v, 'relay', 'sfd');
      default:
        return this.forward(s, apdu, v, 'relay');
    }
  }

  /** An application answers an invoke the PBX (or we) sent it. */
  private onApplicationAnswer(s: AppSession, apdu: Uint8Array, v: RoseView): void {
    const id = v.invokeId;
    if (id === null) return;
    if (s.keepAlive?.invokeId === id) {
      // any answer (result, error or reject) shows the application is alive
      s.keepAlive = undefined;
      s.keepAliveDue = Date.now() + this.appKeepAlive().every;
    }
    const what = s.expected.get(id);
    if (!what) {
      s.own.delete(id);
      return;
    }
    s.expected.delete(id);
    if (what === 'cdr' || what === 'dc') {
      const key = `${s.id}:${id}`;
      clearTimeout(this.ackTimers.get(key));
      this.ackTimers.delete(key);
    }
    if (what === 'cdr') {
      if (v.kind !== 'returnResult') return this.cdrLost(s, id, coded('logMux.reasonCdrAnsweredWith', { invokeId: id, answer: v.kind }));
      this.counters.cdrReportsDelivered++;
    }
    this.upstream.send(apdu);
  }

  private refuse(s: AppSession, invokeId: number, why: 'logMux.cdrTaken' | 'logMux.cdrNotStarted' | 'logMux.dataCollectionTaken' | 'logMux.dataCollectionNotStarted' | 'logMux.hotelTaken'): void {
    this.log.info(coded(why, { client: s.address }));
    this.reply(s, failure(invokeId, GENERIC));
  }

  /** Sends an answer to one of the application's requests, or one of the multiplexer's own invokes. */
  private reply(s: AppSession, apdu: Uint8Array): void {
    if (apdu[0] !== 0xa1 && s.outstanding > 0) s.outstanding--;
    if (!s.send(frameOf(apdu))) this.slow(s);
  }

  /** Gives the PBX's answer back under the application's invoke ID; one that cannot be rewritten becomes a failure. */
  private answer(s: AppSession, apdu: Uint8Array, v: RoseView, invokeId: number): void {
    const out = rewriteInvokeId(apdu, invokeId, v);
    if (out) return this.reply(s, out);
    this.log.warn(coded('logMux.answerNotPassed', { client: s.address, invokeId, hex: Buffer.from(apdu.subarray(0, 32)).toString('hex') }));
    this.reply(s, failure(invokeId, GENERIC));
  }

  /** Sends an application's APDU to the PBX under an upstream invoke ID; false when the rewrite fails. */
  private toPbx(apdu: Uint8Array, upstreamId: number, v?: RoseView): boolean {
    const out = rewriteInvokeId(apdu, upstreamId, v);
    if (out) this.upstream.send(out);
    return !!out;
  }

  private appKeepAlive(): { every: number; timeout: number } {
    return { every: this.opts.applicationKeepAliveMs ?? DEFAULT_APPLICATION_KEEP_ALIVE_MS, timeout: this.opts.applicationKeepAliveTimeoutMs ?? DEFAULT_APPLICATION_KEEP_ALIVE_TIMEOUT_MS };
  }

  private forward(s: AppSession, apdu: Uint8Array, v: RoseView, kind: Pending<AppSession>['kind'], key?: string): void {
    const fail = (f: UniversalFailure) => {
      // a registration that never reached the PBX must not keep the service taken
      this.startFailed(kind, s);
      this.reply(s, failure(v.invokeId!, f));
    };
    if (this.upstream.state !== 'connected') return fail(OUT_OF_SERVICE);
    const p = this.invokes.add({ kind, client: s, clientInvokeId: v.invokeId!, opcode: v.opcode!, key });
    if (!p) return fail(TOO_MANY);
    if (!this.toPbx(apdu, p.upstreamId, v)) {
      this.invokes.take(p.upstreamId);
      return fail(GENERIC);
    }
    this.counters.requestsForwarded++;
  }

  // ---------------------------------------------------------------- monitors

  private monitorStart(s: AppSession, apdu: Uint8Array, v: RoseView): void {
    const id = v.invokeId!;
    const body = v.body;
    if (!body || body.id !== 0x30) return this.reply(s, failure(id, INVALID_MONITOR_OBJECT));
    const members = childrenOf(apdu, body);
    if (!members.length) return this.reply(s, failure(id, INVALID_MONITOR_OBJECT));
    // extensions (0x7E) do not make a different monitor; the rest (object, filter, type, media) does
    const key = members.filter((m) => m.id !== 0x7e).map((m) => contentHex(apdu, { ...m, contentStart: m.start })).join('|');
    let m = this.monitors.get(key);
    if (m?.state === 'active') {
      this.counters.monitorStartsShared++;
      return this.subscribeAndReply(m, s, id);
    }
    if (m?.startInvoke === undefined && this.upstream.state !== 'connected') return this.reply(s, failure(id, OUT_OF_SERVICE));
    if (m) {
      m.waiting.push({ client: s, invokeId: id });
      // none out (the last one timed out): ask again
      if (m.startInvoke === undefined) this.sendMonitorStart(m);
      return;
    }
    m = this.monitors.create(key, deviceLabel(apdu, members[0]), apdu.slice(body.start, body.end));
    m.waiting.push({ client: s, invokeId: id });
    this.sendMonitorStart(m);
  }

  private sendMonitorStart(m: SharedMonitor<AppSession>): void {
    const p = this.invokes.add({ kind: 'monitorStart', opcode: OPCODE.monitorStart, key: m.key });
    if (!p) return this.monitorStartFailed(m, TOO_MANY);
    m.startInvoke = p.upstreamId;
    this.counters.monitorStartsUpstream++;
    this.upstream.send(buildInvoke(p.upstreamId, OPCODE.monitorStart, m.argument));
  }

  /** No MonitorStart answer to wait for any more: the waiting applications get `f`; an unused monitor is forgotten. */
  private monitorStartFailed(m: SharedMonitor<AppSession>, f: UniversalFailure): void {
    m.startInvoke = undefined;
    const waiting = m.waiting;
    m.waiting = [];
    for (const w of waiting) if (w.client.state === 'ready') this.reply(w.client, failure(w.invokeId, f));
    if (m.subscribers.length === 0) this.monitors.remove(m);
    this.changed();
  }

  /**
   * The PBX did not answer a MonitorStart in time. The device can be asked for again at once; the entry stays as
   * late for one more timeout, so that a late answer is adopted or stopped (onMonitorStartAnswer).
   */
  private onMonitorStartTimeout(p: Pending<AppSession>): void {
    const m = this.monitors.get(p.key!);
    if (!m || m.state !== 'starting' || m.startInvoke !== p.upstreamId) return;
    this.log.warn(coded('logMux.monitorStartTimeout', { device: m.device }));
    if (m.subscribers.length > 0 && this.upstream.state === 'connected') {
      // a restore after a reconnect: its applications still want events, so try again
      m.startInvoke = undefined;
      for (const w of m.waiting.splice(0)) if (w.client.state === 'ready') this.reply(w.client, failure(w.invokeId, TIMED_OUT));
      this.sendMonitorStart(m);
      return;
    }
    this.monitorStartFailed(m, TIMED_OUT);
  }

  private subscribeAndReply(m: SharedMonitor<AppSession>, s: AppSession, invokeId: number): void {
    const result = m.result!;
    const sub = this.monitors.subscribe(m, s, m.upstreamRef!.length / 2);
    this.subsOf.get(s)?.add(sub);
    const top = readEl(result, 0, result.length);
    const ref = readEl(result, top.contentStart, top.end);
    this.reply(s, buildReturnResult(invokeId, OPCODE.monitorStart, replaceContent(result, [top], ref, sub.refBytes)));
    this.changed();
  }

  private onMonitorStartAnswer(p: Pending<AppSession>, apdu: Uint8Array, v: RoseView): void {
    const m = this.monitors.get(p.key!);
    const lr = v.kind === 'returnResult' && v.body ? leadingRef(apdu, v) : undefined;
    // a late answer is adopted while the device still waits for one; an answer nobody needs is stopped again
    const wanted = m && m.state === 'starting' && (m.startInvoke === p.upstreamId || (p.late && lr));
    if (!m || !wanted) {
      if (lr && contentHex(apdu, lr.ref) !== m?.upstreamRef) this.stopUpstreamRef(apdu.slice(lr.ref.contentStart, lr.ref.end));
      return;
    }
    if (p.late) this.log.info(coded(lr ? 'logMux.lateMonitorAdopted' : 'logMux.lateMonitorIgnored', { device: m.device }));
    if (!lr || !v.body) {
      for (const w of m.waiting) if (w.client.state === 'ready') this.answer(w.client, apdu, v, w.invokeId);
      if (m.subscribers.length) this.log.warn(coded('logMux.monitorRestoreFailed', { device: m.device, count: m.subscribers.length }));
      for (const sub of m.subscribers) this.subsOf.get(sub.client)?.delete(sub);
      m.waiting = [];
      this.monitors.remove(m);
      this.changed();
      return;
    }
    const restored = m.subscribers.length > 0;
    this.monitors.activate(m, contentHex(apdu, lr.ref), apdu.slice(v.body.start, v.body.end));
    if (restored) this.counters.monitorsRestored++;
    const waiting = m.waiting;
    m.waiting = [];
    for (const w of waiting) if (w.client.state === 'ready') this.subscribeAndReply(m, w.client, w.invokeId);
    if (m.subscribers.length === 0) this.stopMonitor(m);
    this.changed();
  }

  private monitorStop(s: AppSession, apdu: Uint8Array, v: RoseView): void {
    const id = v.invokeId!;
    const lr = leadingRef(apdu, v);
    const sub = lr && lr.ref.id === 0x55 ? this.monitors.subscription(contentHex(apdu, lr.ref)) : undefined;
    if (!lr || !sub || sub.client !== s) return this.reply(s, failure(id, INVALID_CROSS_REF));
    this.subsOf.get(s)?.delete(sub);
    const m = sub.monitor;
    const last = this.monitors.unsubscribe(sub);
    this.changed();
    if (last && m.state === 'active' && this.upstream.state === 'connected') {
      // the last application stops: the PBX's own MonitorStop answer goes back to it
      this.monitors.remove(m);
      const p = this.invokes.add({ kind: 'monitorStop', client: s, clientInvokeId: id, opcode: OPCODE.monitorStop });
      if (p) {
        if (this.toPbx(replaceContent(apdu, lr.chain, lr.ref, fromHex(m.upstreamRef!)), p.upstreamId)) {
          this.counters.monitorStopsUpstream++;
          return;
        }
        this.invokes.take(p.upstreamId);
      }
    } else if (last) {
      // nobody left, but the PBX link is down (it forgot the monitor already)
      this.monitors.remove(m);
    }
    this.reply(s, buildReturnResult(id, OPCODE.monitorStop, NO_DATA));
  }

  /** Stops a monitor nobody uses any more (the multiplexer's own request; the answer is dropped). */
  private stopMonitor(m: SharedMonitor<AppSession>): void {
    this.monitors.remove(m);
    if (m.state === 'active' && m.upstreamRef) this.stopUpstreamRef(fromHex(m.upstreamRef));
  }

  private stopUpstreamRef(ref: Uint8Array): void {
    if (this.upstream.state !== 'connected') return;
    const p = this.invokes.add({ kind: 'internal', opcode: OPCODE.monitorStop });
    if (!p) return;
    this.counters.monitorStopsUpstream++;
    this.upstream.send(buildInvoke(p.upstreamId, OPCODE.monitorStop, tlv([0x30], tlv([0x55], ref))));
  }

  // ---------------------------------------------------------------- from the PBX

  private onUpstreamApdu(apdu: Uint8Array, v: RoseView): void {
    // order per application: events collected so far leave before anything else from the PBX
    if (v.kind !== 'invoke' || v.opcode !== OPCODE.cSTAEventReport) this.flushRun();
    if (v.kind === 'invoke') {
      try {
        return this.onPbxInvoke(apdu, v);
      } catch (e) {
        if (!(e instanceof BerError)) throw e;
        this.log.warn(coded('logMux.pbxInvokeMalformed', { invokeId: v.invokeId ?? '?', opcode: v.opcode ?? '?', detail: e.message }));
        this.upstream.send(encodeReject(v.invokeId, { invoke: 'mistypedArgument' }));
        return;
      }
    }
    if (v.invokeId === null) return;
    const p = this.invokes.take(v.invokeId);
    if (!p) return;
    try {
      this.onPbxAnswer(p, apdu, v);
    } catch (e) {
      // a malformed answer fails only the request it answers; anything else resets the link (upstream.ts)
      if (!(e instanceof BerError)) throw e;
      this.log.warn(coded('logMux.pbxAnswerMalformed', { invokeId: p.upstreamId, detail: e.message }));
      if (p.client?.state === 'ready' && p.clientInvokeId !== undefined) this.reply(p.client, failure(p.clientInvokeId, GENERIC));
      const m = p.kind === 'monitorStart' ? this.monitors.get(p.key!) : undefined;
      if (m?.state === 'starting' && m.startInvoke === p.upstreamId) this.monitorStartFailed(m, GENERIC);
    }
  }

  private onPbxAnswer(p: Pending<AppSession>, apdu: Uint8Array, v: RoseView): void {
    switch (p.kind) {
      case 'monitorStart':
        return this.onMonitorStartAnswer(p, apdu, v);
      case 'internal':
        return;
      case 'restore':
        return this.onRestoreAnswer(p, apdu, v);
      case 'cdrStart':
      case 'dcStart': {
        const lr = v.kind === 'returnResult' && v.body ? leadingRef(apdu, v) : undefined;
        const service = p.kind === 'cdrStart' ? 'cdr' : 'dataCollection';
        if (p.late || this.owners.owner(service) !== p.client) {
          // the application was told it timed out, or left: a registration the PBX made after all is undone
          if (lr) this.sendInternal(p.kind === 'cdrStart' ? OPCODE.stopCDRTransmission : OPCODE.stopDataCollection, tlv([0x30], tlv([0x04], apdu.slice(lr.ref.contentStart, lr.ref.end))));
          if (p.late) return;
        }
        if (lr && v.body && this.owners.owner(service) === p.client) {
          const ref = contentHex(apdu, lr.ref);
          const registration = { argument: fromHex(p.key ?? ''), result: apdu.slice(v.body.start, v.body.end) };
          const c = p.kind === 'cdrStart' ? this.owners.claim('cdr') : undefined;
          if (c && c.client === p.client) Object.assign(c, registration, { ref, appRef: ref });
          if (p.kind === 'dcStart') this.dataCollections.set(ref, { ...registration, ref });
        } else this.startFailed(p.kind, p.client);
        this.changed();
        break;
      }
      case 'relay':
        if (p.key === 'sfd' && v.kind === 'returnResult') {
          const lr = leadingRef(apdu, v);
          if (lr && p.client) this.serviceRefs.set(contentHex(apdu, lr.ref), p.client);
        }
        if (p.key === 'cdrStop' && v.kind === 'returnResult') {
          this.owners.release('cdr', p.client);
          this.changed();
        }
        if (p.key?.startsWith('dcStop:') && v.kind === 'returnResult') {
          this.dataCollections.delete(p.key.slice(7));
          if (this.dataCollections.size === 0) this.owners.release('dataCollection', p.client);
          this.changed();
        }
        break;
      default:
        break;
    }
    if (!p.client || p.client.state !== 'ready') return;
    this.counters.answersReturned++;
    this.answer(p.client, apdu, v, p.clientInvokeId!);
  }

  private onPbxInvoke(apdu: Uint8Array, v: RoseView): void {
    switch (v.opcode) {
      case OPCODE.cSTAEventReport:
        return this.fanOut(apdu, v);
      case OPCODE.cDRReport:
        return this.cdrReport(apdu, v);
      case OPCODE.dataCollected:
        return this.dataCollected(apdu, v);
      case OPCODE.switchingFunctionDevices: {
        const lr = leadingRef(apdu, v);
        const owner = lr ? this.serviceRefs.get(contentHex(apdu, lr.ref)) : undefined;
        if (owner?.state === 'ready') return this.toOne(owner, apdu, v, false);
        // not an answer to anyone's request: the device list changed, every application hears it
        return this.broadcast(apdu);
      }
      case OPCODE.escape:
        if (this.lastEscapeClient?.state === 'ready') return this.toOne(this.lastEscapeClient, apdu, v);
        return this.broadcast(apdu);
      default:
        return this.broadcast(apdu);
    }
  }

  /**
   * One EventReport to every application monitoring the device, each with its own cross-reference ID.
   * Consecutive events of one monitor within one read from the PBX are collected into a run and sent together
   * (flushRun): per application one copy of the run and a 4-byte store per event, instead of work per event.
   */
  private fanOut(apdu: Uint8Array, v: RoseView): void {
    this.counters.eventsReceived++;
    // the view the PBX link parsed leads to the cross-reference ID: the APDU is not read again
    let x: El | undefined;
    try {
      x = eventCrossRefEl(apdu, v);
    } catch {
      // an argument without a readable cross-reference ID goes to everyone, as any invoke nobody owns
    }
    if (!x) {
      this.flushRun();
      this.broadcast(apdu);
      return;
    }
    const at = { start: x.contentStart, end: x.end };
    const m = this.monitors.byUpstreamRef(Buffer.from(apdu.buffer, apdu.byteOffset + at.start, at.end - at.start).toString('hex'));
    if (!m) return;
    const size = at.end - at.start;
    let run = this.run;
    if (run && (run.monitor !== m || run.size !== size)) {
      this.flushRun();
      run = undefined;
    }
    if (!run) run = this.run = { monitor: m, size, frames: [], refAts: [], length: 0 };
    const framed = frameOf(apdu);
    run.refAts.push(run.length + at.start + 2);
    run.frames.push(framed);
    run.length += framed.length;
  }

  private flushRun(): void {
    const run = this.run;
    if (!run) return;
    this.run = undefined;
    const bytes = run.frames.length === 1 ? run.frames[0] : Buffer.concat(run.frames, run.length);
    const n = run.frames.length;
    const slow: AppSession[] = [];
    for (const sub of run.monitor.subscribers) {
      let ok: boolean;
      if (sub.refBytes.length === run.size) ok = sub.client.sendWithRefs(bytes, run.refAts, sub.refBytes);
      else {
        // IDs of another size: re-encode each event's length fields (rare; our IDs copy the PBX's size)
        ok = true;
        for (const f of run.frames) ok = ok && sub.client.send(frameOf(rewriteEventCrossRef(f.subarray(2).slice(), sub.refBytes)!));
      }
      if (ok) {
        sub.client.events += n;
        this.counters.eventsDelivered += n;
      } else slow.push(sub.client);
    }
    for (const s of slow) this.slow(s);
  }

  private toOne(s: AppSession, apdu: Uint8Array, v: RoseView, expectAnswer = true): void {
    if (expectAnswer) s.expected.set(v.invokeId!, 'relay');
    if (!s.send(frameOf(apdu))) this.slow(s);
  }

  private broadcast(apdu: Uint8Array): void {
    const framed = frameOf(apdu);
    const slow: AppSession[] = [];
    for (const s of this.ready) if (!s.send(framed)) slow.push(s);
    for (const s of slow) this.slow(s);
  }

  // ---------------------------------------------------------------- CDR

  private cdrReport(apdu: Uint8Array, v: RoseView): void {
    const id = v.invokeId!;
    const owner = this.owners.owner('cdr');
    if (!owner || owner.state !== 'ready') {
      this.refuseCdrUpstream(id, coded('logMux.reasonNoCdrHolder'));
      return;
    }
    owner.expected.set(id, 'cdr');
    // after a reconnect the PBX's ID differs from the one the holder was given
    const appRef = this.owners.claim('cdr')?.appRef;
    if (!owner.send(frameOf(appRef ? withLeadingRef(apdu, v, appRef) : apdu))) return this.cdrLost(owner, id, coded('logMux.reasonBufferFull'));
    this.awaitAck(owner, id, 'cdr', (ms) => this.cdrLost(owner, id, coded('logMux.reasonCdrNoAck', { invokeId: id, ms })));
  }

  /** Waits for the holder's answer to a report; `lost` runs when none comes in time. */
  private awaitAck(owner: AppSession, id: number, what: 'cdr' | 'dc', lost: (ms: number) => void): void {
    const key = `${owner.id}:${id}`;
    const ms = this.opts.cdrAckTimeoutMs ?? 10000;
    const t = setTimeout(() => {
      this.ackTimers.delete(key);
      if (owner.expected.get(id) === what) this.safely(coded('logMux.taskReportTimer', { client: owner.address }), () => lost(ms));
    }, ms);
    t.unref();
    this.ackTimers.set(key, t);
  }

  // ---------------------------------------------------------------- data collection

  /**
   * DataCollected goes to the holder under the ID it was given; its answer goes back to the PBX. A report nobody
   * takes (no holder, a registration nobody knows, no answer in time, the holder leaving) is answered negatively,
   * so the PBX never counts it as delivered; a registration without a holder is stopped.
   */
  private dataCollected(apdu: Uint8Array, v: RoseView): void {
    const id = v.invokeId!;
    const ref = dcRefOf(apdu, v);
    const owner = this.owners.owner('dataCollection');
    const entry = [...this.dataCollections].find(([, d]) => d.ref === ref);
    if (!owner || owner.state !== 'ready' || !entry) {
      return this.refuseDataCollected(id, ref, owner ? coded('logMux.reasonUnknownCollection', { client: owner.address, ref }) : coded('logMux.reasonNoDataCollector'), !entry);
    }
    owner.expected.set(id, 'dc');
    this.awaitAck(owner, id, 'dc', (ms) => {
      owner.expected.delete(id);
      this.refuseDataCollected(id, ref, coded('logMux.reasonNotAnswered', { client: owner.address, ms }), false);
    });
    if (!owner.send(frameOf(withLeadingRef(apdu, v, entry[0])))) this.slow(owner);
  }

  private refuseDataCollected(invokeId: number, ref: string, reason: Coded, stop: boolean): void {
    this.counters.dataCollectedRefused++;
    this.upstream.send(failure(invokeId, GENERIC));
    this.log.warn(ref ? coded('logMux.dataCollectedRefused', { invokeId, ref, reason }) : coded('logMux.dataCollectedRefusedNoId', { invokeId, reason }));
    if (stop && ref) this.sendInternal(OPCODE.stopDataCollection, tlv([0x30], tlv([0x04], fromHex(ref))));
    this.changed();
  }

  // ---------------------------------------------------------------- registrations and the PBX link

  /** A Start that got no registration (refused, failed, unanswered) gives the service back unless one exists. */
  private startFailed(kind: Pending<AppSession>['kind'], client: AppSession | undefined): void {
    if (!client) return;
    if (kind === 'cdrStart' && !this.owners.claim('cdr')?.appRef) this.owners.release('cdr', client);
    if (kind === 'dcStart' && this.dataCollections.size === 0) this.owners.release('dataCollection', client);
  }

  /** After a reconnect: registers CDR and data collection again for their holders (the PBX forgot them). */
  private restoreRegistrations(): void {
    const c = this.owners.claim('cdr');
    if (c?.appRef && c.argument) this.sendRestore('cdr', c.appRef, OPCODE.startCDRTransmission, c.argument);
    for (const [appRef, d] of this.dataCollections) this.sendRestore('dataCollection', appRef, OPCODE.startDataCollection, d.argument);
  }

  private sendRestore(service: 'cdr' | 'dataCollection', appRef: string, opcode: number, argument: Uint8Array): void {
    const p = this.invokes.add({ kind: 'restore', opcode, key: `${service}:${appRef}` });
    if (p) this.upstream.send(buildInvoke(p.upstreamId, opcode, argument));
  }

  private onRestoreAnswer(p: Pending<AppSession>, apdu: Uint8Array, v: RoseView): void {
    const [service, appRef] = (p.key ?? '').split(':');
    const lr = v.kind === 'returnResult' && v.body ? leadingRef(apdu, v) : undefined;
    const ref = lr ? contentHex(apdu, lr.ref) : undefined;
    const c = service === 'cdr' ? this.owners.claim('cdr') : undefined;
    const d = service === 'dataCollection' ? this.dataCollections.get(appRef) : undefined;
    const stopOp = service === 'cdr' ? OPCODE.stopCDRTransmission : OPCODE.stopDataCollection;
    if (!(c?.appRef === appRef) && !d) {
      // the holder stopped or left meanwhile
      if (ref) this.sendInternal(stopOp, tlv([0x30], tlv([0x04], fromHex(ref))));
      return;
    }
    if (ref) {
      if (c) c.ref = ref;
      if (d) d.ref = ref;
      this.counters.registrationsRestored++;
      this.log.info(service === 'cdr' ? coded('logMux.cdrRestored') : coded('logMux.dataCollectionRestored', { ref: appRef }));
    } else {
      this.log.warn(service === 'cdr' ? coded('logMux.cdrNotRestored', { answer: v.kind }) : coded('logMux.dataCollectionNotRestored', { ref: appRef, answer: v.kind }));
      if (c) this.owners.release('cdr', c.client);
      if (d) {
        this.dataCollections.delete(appRef);
        if (this.dataCollections.size === 0) this.owners.release('dataCollection');
      }
    }
    this.changed();
  }

  /** A report the owner did not take: negative answer to the PBX, CDR transmission stopped, owner disconnected. */
  private cdrLost(s: AppSession, invokeId: number, reason: Coded): void {
    s.expected.delete(invokeId);
    this.log.warn(coded('logMux.cdrClientDropped', { client: s.address, reason }));
    this.refuseCdrUpstream(invokeId, reason);
    s.destroy(coded('logMux.reasonCdrNotTaken', { reason }));
  }

  private refuseCdrUpstream(invokeId: number, reason: Coded): void {
    this.counters.cdrReportsRefused++;
    this.upstream.send(failure(invokeId, GENERIC));
    const claim = this.owners.release('cdr');
    if (claim?.ref) this.sendInternal(OPCODE.stopCDRTransmission, tlv([0x30], tlv([0x04], fromHex(claim.ref))));
    this.log.warn(coded('logMux.cdrRefused', { invokeId, reason }));
    this.changed();
  }

  private sendInternal(opcode: number, argument: Uint8Array): void {
    if (this.upstream.state !== 'connected') return;
    const p = this.invokes.add({ kind: 'internal', opcode });
    if (p) this.upstream.send(buildInvoke(p.upstreamId, opcode, argument));
  }

  // ---------------------------------------------------------------- leaving, stalling, link changes

  private slow(s: AppSession): void {
    if (s.state === 'closed') return;
    this.counters.slowDisconnects++;
    this.log.warn(coded('logMux.clientSlow', { client: s.address }));
    s.destroy(coded('logMux.reasonBufferFull'));
  }

  private onSessionClosed(s: AppSession): void {
    this.sessions.delete(s);
    const wasReady = this.ready.delete(s);
    for (const id of s.expected.keys()) {
      const key = `${s.id}:${id}`;
      if (this.ackTimers.has(key)) {
        clearTimeout(this.ackTimers.get(key));
        this.ackTimers.delete(key);
        if (s.expected.get(id) === 'cdr') this.refuseCdrUpstream(id, coded('logMux.reasonCdrHolderLeft', { client: s.address }));
        if (s.expected.get(id) === 'dc') this.refuseDataCollected(id, '', coded('logMux.reasonCollectorLeft', { client: s.address }), false);
      }
    }
    s.expected.clear();
    for (const sub of this.subsOf.get(s) ?? []) if (this.monitors.unsubscribe(sub)) this.stopMonitor(sub.monitor);
    this.subsOf.delete(s);
    for (const m of this.monitors.all()) {
      if (!m.waiting.some((w) => w.client === s)) continue;
      m.waiting = m.waiting.filter((w) => w.client !== s);
    }
    for (const [service, claim] of this.owners.releaseAll(s)) {
      if (service === 'cdr' && claim.ref) this.sendInternal(OPCODE.stopCDRTransmission, tlv([0x30], tlv([0x04], fromHex(claim.ref))));
      if (service === 'dataCollection') {
        for (const d of this.dataCollections.values()) if (d.ref) this.sendInternal(OPCODE.stopDataCollection, tlv([0x30], tlv([0x04], fromHex(d.ref))));
        this.dataCollections.clear();
      }
    }
    for (const [ref, owner] of this.serviceRefs) if (owner === s) this.serviceRefs.delete(ref);
    if (this.lastEscapeClient === s) this.lastEscapeClient = undefined;
    this.invokes.dropClient(s);
    if (wasReady) {
      this.log.info(s.reason ? coded('logMux.clientLeftBecause', { client: s.address, reason: s.reason }) : coded('logMux.clientLeft', { client: s.address }));
      this.changed();
    }
  }

  private onUpstreamState(state: MuxPbxState, reason?: Coded): void {
    this.pbxSince = new Date();
    if (state === 'connected') {
      this.counters.upstreamConnects++;
      this.log.info(coded('logMux.pbxUp', { pbx: this.pbxAddress() }));
      // the PBX forgot every monitor with the old association: start them again
      for (const m of this.monitors.all()) if (m.subscribers.length > 0) this.sendMonitorStart(m);
      this.restoreRegistrations();
      this.tellApplications(true);
    } else if (state === 'disconnected') {
      if (reason) this.log.warn(coded('logMux.pbxDown', { reason }));
      for (const p of this.invokes.clear()) {
        if (p.kind === 'monitorStart') continue;
        if (!p.late) this.startFailed(p.kind, p.client);
        if (!p.late && p.client?.state === 'ready' && p.clientInvokeId !== undefined) this.reply(p.client, failure(p.clientInvokeId, OUT_OF_SERVICE));
      }
      for (const m of this.monitors.all()) {
        // applications still waiting for a first MonitorStart get their refusal now; shared monitors are kept to restore
        for (const w of m.waiting) if (w.client.state === 'ready') this.reply(w.client, failure(w.invokeId, OUT_OF_SERVICE));
        m.waiting = [];
        if (m.subscribers.length === 0) this.monitors.remove(m);
        else this.monitors.deactivate(m);
      }
      // registrations die with the association: their holders keep them, and they are registered again on reconnect
      const cdr = this.owners.claim('cdr');
      if (cdr) cdr.ref = undefined;
      for (const d of this.dataCollections.values()) d.ref = undefined;
      this.serviceRefs.clear();
      if (!this.closed) this.tellApplications(false);
    }
    this.changed();
  }

  /** The log entry for a registration the PBX did not answer in time. */
  private startTimeout(p: Pending<AppSession>): Coded {
    if (p.kind === 'restore') {
      const [service, ref] = (p.key ?? '').split(':');
      return coded(service === 'cdr' ? 'logMux.cdrRestoreTimeout' : 'logMux.dataCollectionRestoreTimeout', { ref: ref ?? '' });
    }
    return coded(p.kind === 'cdrStart' ? 'logMux.cdrStartTimeout' : 'logMux.dataCollectionStartTimeout', { client: p.client?.address ?? '' });
  }

  private tellApplications(up: boolean): void {
    for (const s of [...this.ready]) this.reply(s, buildInvoke(s.ownInvokeId(), OPCODE.systemStatus, systemStatusArg(up)));
  }

  private onTick(): void {
    const timeout = this.opts.requestTimeoutMs ?? 30000;
    const now = Date.now();
    for (const p of this.invokes.expire(timeout, now)) {
      if (p.late) continue;
      if (p.kind === 'monitorStart') {
        this.invokes.keepLate(p, now);
        this.onMonitorStartTimeout(p);
        continue;
      }
      if (p.kind === 'cdrStart' || p.kind === 'dcStart' || p.kind === 'restore') {
        // unanswered: the service is not kept for it; a late registration is undone (onPbxAnswer)
        this.invokes.keepLate(p, now);
        this.startFailed(p.kind, p.client);
        this.log.warn(this.startTimeout(p));
        this.changed();
      }
      if (p.client?.state === 'ready' && p.clientInvokeId !== undefined) {
        this.reply(p.client, failure(p.clientInvokeId, TIMED_OUT));
      }
    }
    this.checkApplicationKeepAlives(now);
    const keepAlive = this.opts.keepAliveMs ?? 20000;
    if (keepAlive > 0 && this.upstream.state === 'connected' && Date.now() - this.lastKeepAlive >= keepAlive) {
      this.lastKeepAlive = Date.now();
      this.sendInternal(OPCODE.systemStatus, systemStatusArg(true));
    }
    if (this.listeners.size) {
      const json = JSON.stringify(this.counters);
      if (json !== this.lastCountersJson) this.changed();
    }
  }

  // ---------------------------------------------------------------- status notifications

  /** Sends each logged-in application its SystemStatus keep-alive when due; one that leaves it unanswered is closed. */
  private checkApplicationKeepAlives(now: number): void {
    const { every, timeout } = this.appKeepAlive();
    if (every <= 0) return;
    for (const s of [...this.ready]) {
      if (s.keepAlive) {
        if (now - s.keepAlive.sentAt <= timeout) continue;
        this.counters.keepAliveDisconnects++;
        this.log.warn(coded('logMux.clientKeepAlive', { client: s.address, ms: timeout }));
        s.destroy(coded('logMux.reasonKeepAlive'));
      } else if (now >= s.keepAliveDue) {
        const invokeId = s.ownInvokeId();
        s.keepAlive = { invokeId, sentAt: now };
        this.reply(s, buildInvoke(invokeId, OPCODE.systemStatus, systemStatusArg(this.upstream.state === 'connected')));
      }
    }
  }

  private changed(): void {
    if (this.statusTimer || this.listeners.size === 0) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      this.emitStatus();
    }, this.opts.statusIntervalMs ?? 200);
    this.statusTimer.unref();
  }

  private emitStatus(): void {
    if (this.listeners.size === 0) return;
    const s = this.status();
    this.lastCountersJson = JSON.stringify(this.counters);
    for (const cb of this.listeners) {
      try {
        cb(s);
      } catch (e) {
        this.log.error(coded('logMux.statusListenerFailed', { detail: describeThrown(e) }));
      }
    }
  }
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new MuxStartError('MUX_PORT_IN_USE', `cannot listen on ${host}:${port}: the port is in use by another program`));
      else reject(new MuxStartError('MUX_LISTEN_FAILED', `cannot listen on ${host}:${port}: ${e.message}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
