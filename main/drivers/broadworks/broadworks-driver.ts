// The BroadWorks driver: Xsi-Actions for reading users and controlling calls, one Xsi-Events channel for the
// events of the monitored users. A line is a user (its user ID); a monitor is that user's event subscriptions.
import { PASSWORD_NEEDED, type CallState, type ConnectionTarget } from '../../../shared/api/drivers';
import type { CallControlRequest, CallControlResult, ForwardingKey, ForwardingSetting, LineFeatures, RemoteOffice } from '../../../shared/api/call-control';
import type { LineRef } from '../../../shared/model/line';
import { DriverErrorCodes as E, DriverFailure, type DiscoverOptions, type DiscoveredDevice, type DiscoveryResult, type Driver, type DriverLineEvent, type SnapshotCall } from '../driver';
import type { DriverSettings } from '../family';
import { connectFailure, pinMismatch } from '../shared/network-errors';
import { XsiChannel, XsiClient, XsiHttpError, XsiTimeout, type XsiEvent, type XsiTransport } from '../../protocols/xsi/client';
import { CtiClient, CtiClosed } from '../../protocols/xsi/cti';
import { hostTarget, srvApplies, srvTargets, type SrvTarget } from '../../protocols/xsi/srv';
import { child, children, el, esc, text, XmlError, xsiDoc, type XmlNode } from '../../protocols/xsi/xml';

export type LineNameFormat = 'standard' | 'number' | 'name';

export interface BroadWorksSettings extends DriverSettings {
  /** `server`: a group administrator's login, the lines of one group; `workstation`: the login's own line. */
  scope: 'server' | 'workstation';
  /** The port Xsi over HTTP(S) is reached on (the CTI types read lines there; `port` is then the CTI socket's). */
  xsiPort: number;
  /** Requests and events over the CTI socket at host:port (TLS with `tls`); HTTP(S) only for reading lines. */
  cti?: boolean;
  /** How the CTI socket frames documents; `auto` (default) finds out. */
  ctiFraming?: 'auto' | 'xml' | 'length';
  urlPrefix: string;
  /** Server mode: a user of the group, through whom the group's directory is read. */
  groupUser: string;
  lineNameFormat: LineNameFormat;
  keepAliveMs?: number;
  /** The resolver for the SRV lookup as host:port (tests); else the system's. */
  dns?: string;
  /** When a consultation call ends, take the held call back (the manual's "Zurück zum Gehaltenen"). */
  returnToHeld?: boolean;
  /** Xsi through this HTTP proxy (`http://host:port`); empty = direct. */
  httpProxy?: string;
}

/** `http://host:port` as host and port (80 when the port is left out). */
export function proxyOf(url: string | undefined): { host: string; port: number } | undefined {
  if (!url) return undefined;
  const u = new URL(url);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port) || 80 };
}

/** The Xsi service of each forwarding kind. */
const FORWARDING_SERVICE = { immediate: 'CallForwardingAlways', busy: 'CallForwardingBusy', noAnswer: 'CallForwardingNoAnswer' } as const;

/** Failure codes of this family beside the shared ones. */
export const BroadWorksErrors = {
  scope: 'SCOPE_REJECTED',
  prefix: 'PREFIX_NOT_FOUND',
  groupUser: 'GROUP_USER_MISSING',
} as const;

const PAGE = 1000;
/** The event packages a monitored line needs. */
const PACKAGES = ['Advanced Call', 'Do Not Disturb', 'Call Forwarding Always'];
/** Failures that mean the target was not reached, so the next SRV target is tried. */
const UNREACHED = new Set<string>([E.nameNotResolved, E.refused, E.timedOut, E.unreachable, E.tls, E.linkLost, E.noAnswer]);

const EVENT_NAMES: Record<string, string> = {
  CallOriginatedEvent: 'originated',
  CallReceivedEvent: 'delivered',
  CallAnsweredEvent: 'established',
  CallHeldEvent: 'held',
  CallRetrievedEvent: 'retrieved',
  CallReleasedEvent: 'connectionCleared',
  CallTransferredEvent: 'transferred',
  CallForwardedEvent: 'diverted',
  CallRedirectedEvent: 'diverted',
  CallUpdatedEvent: 'updated',
};

/** When no target of an SRV record answered, the failure of the last one names the record and the targets tried. */
function srvExhausted(last: DriverFailure, via: { service: string; found: SrvTarget[] }): DriverFailure {
  if (!via.found.length) return last;
  const tried = via.found.map((t) => `${t.name}:${t.port}`).join(', ');
  return new DriverFailure(last.code, `no target of SRV ${via.service} answered (${tried}); the last: ${last.message}`, last.fingerprint, { ...last.params, srv: via.service, tried });
}

/** The Xsi request a path stands for, IDs left out (`calls/{callId}/Hold`): the console names a refusal with it. */
export function requestOf(path: string): string {
  const rest = path.split('?')[0].replace(/^.*?\/v2\.0\/(user\/[^/]+\/)?/, '');
  return rest
    .split('/')
    .map((seg, i, all) => ((all[i - 1] === 'calls' && seg !== 'new' && seg !== 'Conference') || all[i - 1] === 'ConsultTransfer' ? '{callId}' : seg))
    .join('/');
}

/** A line's name as the "line names" setting wants it. */
export function lineName(format: LineNameFormat, number: string, name: string): string {
  if (format === 'number' || !name) return number;
  if (format === 'name' || !number) return name;
  return `${number} / ${name}`;
}

/** An Xsi call state as the connection state of the user's line. */
export function callStateOf(state: string, personality: string): CallState {
  if (state === 'Active') return 'connected';
  if (state === 'Held') return 'held';
  if (state === 'Released' || state === 'Detached') return 'cleared';
  return personality === 'Originator' ? 'initiated' : 'alerting';
}

/** `tel:+49301234` → `+49301234`; `sip:201@example.test` → `201`. */
function addressNumber(address: string): string {
  return address.replace(/^(tel|sip):/, '').replace(/@.*$/, '');
}

const enc = encodeURIComponent;

interface Monitored {
  ref: LineRef;
  subscriptions: string[];
}

export class BroadWorksDriver implements Driver {
  readonly family = 'broadworks' as const;
  /** Xsi over HTTP(S): every request, or with CTI the reading of lines. */
  private client: XsiClient | undefined;
  /** Where requests and the channel go: the HTTP client, or the CTI socket. */
  private transport: XsiTransport | undefined;
  /** The CTI framing found on the first connection, kept for the reconnections. */
  private ctiFraming: 'xml' | 'length' | undefined;
  private channel: XsiChannel | undefined;
  private readonly monitored = new Map<string, Monitored>();
  private eventListener: (e: DriverLineEvent) => void = () => {};
  private lostListener: (e: DriverFailure) => void = () => {};
  private closing = false;
  /** Server mode with the group's ID known: events come from group-wide subscriptions. */
  private groupWide = false;
  /** Consultation calls made by `consult`, with the call held for them, per user. */
  private readonly consultations = new Map<string, { userId: string; heldCallId: string }>();
  private target: SrvTarget;
  /** What `target` is: Xsi over HTTP(S), or the CTI socket. */
  private targetKind: 'xsi' | 'cti' = 'xsi';
  private linkTarget: ConnectionTarget | undefined;

  constructor(private s: BroadWorksSettings) {
    this.target = { host: s.host, name: s.host, port: s.xsiPort };
  }

  /** How lines are named counts for the next discovery on this link (the rest of a change reconnects). */
  updateSettings(settings: DriverSettings): void {
    this.s = { ...this.s, lineNameFormat: (settings as BroadWorksSettings).lineNameFormat ?? this.s.lineNameFormat };
  }

  get connected(): boolean {
    return !!this.channel && !this.closing;
  }

  onLost(listener: (error: DriverFailure) => void): void {
    this.lostListener = listener;
  }

  onEvent(listener: (event: DriverLineEvent) => void): void {
    this.eventListener = listener;
  }

  /**
   * Connects to the first target that answers: the SRV records of the host (`_ecsta._tcp` / `_ecsta._tls` for
   * Xsi over HTTP(S), `_ecsta-cti._tcp` / `_ecsta-cti._tls` for the CTI socket) in RFC 2782 order, else the host
   * itself. A target that cannot be reached gives way to the next; an answer (login refused, scope, prefix) is final.
   * With CTI, lines are read over HTTP(S) from the first Xsi target.
   */
  async connect(): Promise<string> {
    const s = this.s;
    const proto = s.tls ? 'tls' : 'tcp';
    const lookup = async (service: string, port: number) => {
      const found = srvApplies(s.host) ? await srvTargets(service, { dns: s.dns }) : [];
      return { service, found, targets: found.length ? found : [await hostTarget(s.host, port, { dns: s.dns })] };
    };
    const xsi = await lookup(`_ecsta._${proto}.${s.host}`, s.xsiPort);
    const cti = s.cti ? await lookup(`_ecsta-cti._${proto}.${s.host}`, s.port) : undefined;
    const via = cti ?? xsi;
    // With CTI, lines are read over HTTP(S) from the first Xsi target that answers; the next is tried only
    // when the HTTP(S) part failed (`targetKind` is still 'xsi'), the next CTI target when the socket did.
    let x = 0;
    let last: DriverFailure | undefined;
    let lastVia = via;
    for (const t of via.targets) {
      for (;;) {
        try {
          const reply = await this.connectTo(cti ? xsi.targets[x] : t, cti ? t : undefined);
          this.linkTarget = { host: t.name, port: t.port, via: via.found.length ? 'srv' : 'configured', ...(via.found.length ? { record: via.service } : {}) };
          return via.found.length ? `${reply} (SRV ${via.service} → ${t.name}:${t.port})` : reply;
        } catch (e) {
          last = e as DriverFailure;
          if (!UNREACHED.has(last.code)) throw last;
          lastVia = cti && this.targetKind === 'xsi' ? xsi : via;
          if (lastVia === via || ++x >= xsi.targets.length) break;
        }
      }
      if (lastVia !== via) break;
    }
    throw srvExhausted(last!, lastVia);
  }

  /** Where the link went: a target of an SRV record, or the configured host (the status shows it). */
  connectedTo(): ConnectionTarget | undefined {
    return this.channel ? this.linkTarget : undefined;
  }

  private async connectTo(t: SrvTarget, ctiTarget: SrvTarget | undefined): Promise<string> {
    const s = this.s;
    this.target = t;
    this.targetKind = 'xsi';
    const client = new XsiClient({ host: t.host, servername: t.name, port: t.port, tls: s.tls, prefix: s.urlPrefix, user: s.user ?? '', password: s.password ?? '', ca: s.ca, fingerprint: s.fingerprint, answerTimeoutMs: s.answerTimeoutMs, proxy: proxyOf(s.httpProxy) });
    this.client = client;
    let transport: XsiTransport = client;
    try {
      let reply: string;
      let group = '';
      if (s.scope === 'server') {
        if (!s.groupUser) throw new DriverFailure(BroadWorksErrors.groupUser, 'server mode needs the user ID of one user of the group', undefined, {});
        const p = await this.profile(s.groupUser);
        // A user's own login reaches its own profile too; server mode needs a group administrator.
        if (s.groupUser === s.user) throw new DriverFailure(BroadWorksErrors.scope, `${s.user} is the group user itself: server mode needs a group administrator's login`, undefined, { user: s.user });
        reply = `Xsi at ${this.where()}: group administrator ${s.user} of group ${p.groupId || '?'}`;
        if (p.groupId && p.serviceProvider) group = `serviceprovider/${enc(p.serviceProvider)}/group/${enc(p.groupId)}`;
      } else {
        const p = await this.profile(s.user ?? '');
        reply = `Xsi at ${this.where()}: user ${s.user}${p.number ? ` (${p.number})` : ''}`;
      }
      if (ctiTarget) {
        this.target = ctiTarget;
        this.targetKind = 'cti';
        const c = new CtiClient({ host: ctiTarget.host, servername: ctiTarget.name, port: ctiTarget.port, tls: s.tls, prefix: s.urlPrefix, user: s.user ?? '', password: s.password ?? '', ca: s.ca, fingerprint: s.fingerprint, framing: this.ctiFraming ?? s.ctiFraming ?? 'auto', answerTimeoutMs: s.answerTimeoutMs, connectTimeoutMs: s.connectTimeoutMs });
        transport = c;
        await c.connect();
        this.ctiFraming = c.framing;
        // The framing is a guess until a real capture settles it: say which one the platform took.
        reply += `; CTI at ${this.where()} (${c.framing === 'length' ? '4-byte length prefix' : 'XML documents'}${c.detected ? ', detected' : ''}); lines read over ${s.tls ? 'HTTPS' : 'HTTP'} at ${t.name}:${t.port}`;
      }
      this.transport = transport;
      const channel = new XsiChannel(transport, { heartbeatMs: s.keepAliveMs && s.keepAliveMs > 0 ? s.keepAliveMs : 15_000 });
      await channel.open();
      channel.on('event', (e: XsiEvent) => this.onXsiEvent(e));
      channel.on('closed', (reason: string, error?: Error) => this.channelLost(reason, error));
      channel.on('subscriptionTerminated', (id: string, target: string, pkg: string) => void this.resubscribe(channel, id, target, pkg));
      // Server mode: one subscription per package for the whole group instead of three per line.
      for (const pkg of group ? PACKAGES : []) await channel.subscribe(group, pkg);
      this.groupWide = !!group;
      this.channel = channel;
      return `${reply}; event channel ${channel.channelId} open${group ? ', subscribed for the group' : ''}`;
    } catch (e) {
      client.close();
      transport.close();
      this.client = undefined;
      this.transport = undefined;
      throw await this.failure(e);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    const channel = this.channel;
    this.channel = undefined;
    await channel?.close().catch(() => undefined);
    this.client?.close();
    this.transport?.close();
    this.monitored.clear();
  }

  async discover(options: DiscoverOptions): Promise<DiscoveryResult> {
    const devices: DiscoveredDevice[] = [];
    const add = (userId: string, number: string, extension: string, name: string) => {
      const n = number || extension;
      if (!n || (options.inRange && !options.inRange(n))) return;
      devices.push({ number: n, name: options.readNames ? lineName(this.s.lineNameFormat, n, name) : '', kind: 'unknown', userId, ...(extension ? { extension } : {}) });
    };
    let outside = 0;
    if (this.s.scope === 'workstation') {
      const p = await this.profile(this.s.user ?? '');
      add(this.s.user ?? '', p.number, p.extension, p.name);
    } else {
      if (!this.s.groupUser) throw new DriverFailure(BroadWorksErrors.groupUser, 'server mode needs the user ID of one user of the group');
      for (let start = 1; ; start += PAGE) {
        options.signal?.throwIfAborted();
        const page = await this.call(() => this.http('GET', `user/${enc(this.s.groupUser)}/directories/Group?start=${start}&results=${PAGE}`));
        const rows = children(child(page.body, 'groupDirectory'), 'directoryDetails');
        const before = devices.length;
        for (const r of rows) {
          const name = [text(r, 'firstName'), text(r, 'lastName')].filter(Boolean).join(' ');
          add(text(r, 'userId'), text(r, 'number'), text(r, 'extension'), name);
        }
        outside += rows.length - (devices.length - before);
        const total = Number(text(page.body, 'totalAvailableRecords')) || 0;
        options.onProgress?.({ phase: 'reading', method: 'userDirectory', found: devices.length, probed: start - 1 + rows.length, total });
        if (rows.length === 0 || start - 1 + rows.length >= total) break;
      }
    }
    return { method: 'userDirectory', devices, outOfRange: options.inRange ? outside : 0, warnings: [] };
  }

  async monitorStart(line: LineRef): Promise<void> {
    const channel = this.requireChannel();
    const userId = this.userOf(line);
    if (this.monitored.has(userId)) return;
    if (this.groupWide) {
      // The group's subscriptions carry the line's events already; the profile proves the user is in reach.
      await this.profile(userId);
      this.monitored.set(userId, { ref: line, subscriptions: [] });
      return;
    }
    const subscriptions: string[] = [];
    try {
      for (const pkg of PACKAGES) subscriptions.push(await channel.subscribe(`user/${enc(userId)}`, pkg));
    } catch (e) {
      for (const id of subscriptions) await channel.unsubscribe(id).catch(() => undefined);
      throw await this.failure(e);
    }
    this.monitored.set(userId, { ref: line, subscriptions });
  }

  async monitorStop(line: LineRef): Promise<void> {
    const userId = this.userOf(line);
    const m = this.monitored.get(userId);
    this.monitored.delete(userId);
    if (m && this.channel) for (const id of m.subscriptions) await this.channel.unsubscribe(id).catch(() => undefined);
  }

  async snapshot(line: LineRef): Promise<SnapshotCall[]> {
    const userId = this.userOf(line);
    const list = await this.call(() => this.xsi('GET', `user/${enc(userId)}/calls`));
    const out: SnapshotCall[] = [];
    for (const c of children(list.body, 'call')) {
      const callId = text(c, 'callId');
      const one = await this.call(() => this.xsi('GET', `user/${enc(userId)}/calls/${enc(callId)}`)).catch(() => undefined);
      if (one) out.push({ callId, state: callStateOf(text(one.body, 'state'), text(one.body, 'personality')) });
    }
    return out;
  }

  async makeCall(line: LineRef, number: string): Promise<{ callId: string }> {
    const a = await this.call(() => this.xsi('POST', `user/${enc(this.userOf(line))}/calls/new?address=${enc(number)}`));
    return { callId: text(a.body, 'callId') };
  }

  async clearCall(line: LineRef, callId: string): Promise<void> {
    await this.call(() => this.xsi('DELETE', `user/${enc(this.userOf(line))}/calls/${enc(callId)}`));
  }

  /** Forwarding always, busy or on no answer; the platform has no forwarding by caller. */
  async setForwarding(line: LineRef, on: boolean, to?: string, which?: ForwardingKey): Promise<void> {
    if (which && which.callers !== 'all') throw new DriverFailure(E.notSupported, `forwarding for ${which.callers} callers only is not offered over Xsi`, undefined, { op: 'forwardByCaller' });
    const service = FORWARDING_SERVICE[which?.kind ?? 'immediate'];
    const body = el('active', String(on)) + (to ? el('forwardToPhoneNumber', esc(to)) : '');
    await this.call(() => this.xsi('PUT', `user/${enc(this.userOf(line))}/services/${service}`, xsiDoc(service, body)));
  }

  async readFeatures(line: LineRef): Promise<LineFeatures> {
    const user = enc(this.userOf(line));
    const dnd = await this.call(() => this.xsi('GET', `user/${user}/services/DoNotDisturb`));
    const forwarding: ForwardingSetting[] = [];
    for (const kind of ['immediate', 'busy', 'noAnswer'] as const) {
      const a = await this.call(() => this.xsi('GET', `user/${user}/services/${FORWARDING_SERVICE[kind]}`));
      const on = text(a.body, 'active') === 'true';
      forwarding.push({ kind, callers: 'all', on, to: text(a.body, 'forwardToPhoneNumber') || null });
    }
    const remoteOffice = await this.readRemoteOffice(line).catch((e: DriverFailure) => {
      // A user without the service assigned: the platform refuses it, the other features still count.
      if (e.code === E.rejected || e.code === BroadWorksErrors.scope) return undefined;
      throw e;
    });
    return { doNotDisturb: text(dnd.body, 'active') === 'true', forwarding, ...(remoteOffice ? { remoteOffice } : {}) };
  }

  // Remote Office goes over HTTP(S) with CTI too: the manual names it beside reading lines as what HTTP is used for.
  async readRemoteOffice(line: LineRef): Promise<RemoteOffice> {
    const a = await this.call(() => this.http('GET', `user/${enc(this.userOf(line))}/services/RemoteOffice`));
    return { active: text(a.body, 'active') === 'true', number: text(a.body, 'remoteOfficeNumber') || null };
  }

  async setRemoteOffice(line: LineRef, active: boolean, number?: string): Promise<void> {
    const body = el('active', String(active)) + (number ? el('remoteOfficeNumber', esc(number)) : '');
    await this.call(() => this.http('PUT', `user/${enc(this.userOf(line))}/services/RemoteOffice`, xsiDoc('RemoteOffice', body)));
  }

  /** The manual's TAPI operations for BroadWorks; the rest say NOT_SUPPORTED. */
  async callControl(line: LineRef, r: CallControlRequest): Promise<CallControlResult> {
    const none = { callId: null };
    switch (r.op) {
      case 'answer':
      case 'retrieve':
        await this.callAction(line, r.callId, 'Talk');
        return none;
      case 'hold':
        await this.callAction(line, r.callId, 'Hold');
        return none;
      // Xsi's blind transfer deflects a ringing call as well as one that is talking.
      case 'redirect':
      case 'blindTransfer':
        await this.callAction(line, r.callId, `BlindTransfer?address=${enc(r.to)}`);
        return none;
      case 'consult': {
        await this.callAction(line, r.callId, 'Hold');
        const { callId } = await this.makeCall(line, r.to);
        this.consultations.set(callId, { userId: this.userOf(line), heldCallId: r.callId });
        return { callId };
      }
      case 'alternate':
        await this.callAction(line, r.activeCallId, 'Hold');
        await this.callAction(line, r.heldCallId, 'Talk');
        return none;
      case 'transfer':
        this.consultations.delete(r.activeCallId);
        await this.callAction(line, r.heldCallId, `ConsultTransfer/${enc(r.activeCallId)}`);
        return none;
      case 'conference':
        return this.conference(line, r.heldCallId, r.activeCallId);
      default:
        throw new DriverFailure(E.notSupported, `${r.op} is not offered by this driver`, undefined, { op: r.op });
    }
  }

  /**
   * Conference create or add: when one of the two calls is in the user's conference already, the other is added
   * to it (PUT calls/Conference); else the two calls start one (POST). The consultation call is one no longer.
   */
  private async conference(line: LineRef, heldCallId: string, activeCallId: string): Promise<CallControlResult> {
    const user = enc(this.userOf(line));
    const current = await this.call(() => this.xsi('GET', `user/${user}/calls/Conference`)).then(
      (a) => children(child(a.body, 'conferenceParticipantList'), 'conferenceParticipant').map((p) => text(p, 'callId')),
      (e: DriverFailure) => {
        // No conference yet: Xsi answers 404.
        if (e.code === E.rejected && e.params.status === 404) return [] as string[];
        throw e;
      },
    );
    const inConference = current.includes(heldCallId) || current.includes(activeCallId);
    const join = inConference ? [heldCallId, activeCallId].filter((id) => !current.includes(id)) : [heldCallId, activeCallId];
    const body = xsiDoc('Conference', el('conferenceParticipantList', join.map((id) => el('conferenceParticipant', el('callId', esc(id)))).join('')));
    this.consultations.delete(activeCallId);
    this.consultations.delete(heldCallId);
    await this.call(() => this.xsi(inConference ? 'PUT' : 'POST', `user/${user}/calls/Conference`, body));
    return { callId: current[0] ?? heldCallId };
  }

  async setDoNotDisturb(line: LineRef, on: boolean): Promise<void> {
    await this.call(() => this.xsi('PUT', `user/${enc(this.userOf(line))}/services/DoNotDisturb`, xsiDoc('DoNotDisturb', el('active', String(on)))));
  }

  stats(): { requests: number; events: number } {
    return { requests: (this.client?.requests ?? 0) + (this.transport !== this.client ? (this.transport?.requests ?? 0) : 0), events: this.channel?.events ?? 0 };
  }

  // ---- inside ----------------------------------------------------------------------------------------------

  private where(): string {
    if (this.targetKind === 'cti') return `${this.s.tls ? 'ctis' : 'cti'}://${this.target.name}:${this.target.port}`;
    return `${this.s.tls ? 'https' : 'http'}://${this.target.name}:${this.target.port}${this.s.httpProxy ? ` via the proxy ${this.s.httpProxy}` : ''}`;
  }

  private requireChannel(): XsiChannel {
    if (!this.channel || !this.client) throw new DriverFailure(E.notConnected, 'not connected to the Xsi interface');
    return this.channel;
  }

  private userOf(line: LineRef): string {
    if (line.userId) return line.userId;
    throw new DriverFailure(E.rejected, `line ${line.number} has no user ID: query the lines from the platform, or give the user ID in the line list`, undefined, { number: line.number });
  }

  /** A request over the connection's transport (HTTP, or the CTI socket). */
  private xsi(method: string, path: string, body?: string) {
    if (!this.transport) throw new DriverFailure(E.notConnected, 'not connected to the Xsi interface');
    return this.transport.action(method, path, body);
  }

  /** A request for reading lines or for Remote Office: always over HTTP(S), as the manual has it for CTI too. */
  private http(method: string, path: string, body?: string) {
    if (!this.client) throw new DriverFailure(E.notConnected, 'not connected to the Xsi interface');
    return this.client.action(method, path, body);
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw await this.failure(e);
    }
  }

  private async callAction(line: LineRef, callId: string, action: string): Promise<void> {
    await this.call(() => this.xsi('PUT', `user/${enc(this.userOf(line))}/calls/${enc(callId)}/${action}`));
  }

  private async profile(userId: string): Promise<{ number: string; extension: string; name: string; groupId: string; serviceProvider: string }> {
    const a = await this.call(() => this.http('GET', `user/${enc(userId)}/profile`));
    const d = child(a.body, 'details') ?? {};
    return { number: text(d, 'number'), extension: text(d, 'extension'), name: [text(d, 'firstName'), text(d, 'lastName')].filter(Boolean).join(' '), groupId: text(d, 'groupId'), serviceProvider: text(d, 'serviceProvider') };
  }

  /** What failed, in the shared codes where there is one: network and TLS, login, scope, prefix. */
  private async failure(e: unknown): Promise<DriverFailure> {
    if (e instanceof DriverFailure) return e;
    const at = this.where();
    const params = { host: this.target.name, port: this.target.port };
    if (e instanceof XsiHttpError) {
      const detail = `${e.path}${e.summary ? `: ${e.summary}` : ''}`;
      if (e.status === 401) return new DriverFailure(E.loginRejected, `${at} rejected the login of ${this.s.user} (401)`, undefined, { ...params, user: this.s.user ?? '' });
      if (e.status === 403) return new DriverFailure(BroadWorksErrors.scope, `${at}: ${this.s.user} may not do this (403, ${detail}); server mode needs a group administrator, workstation mode the user's own login`, undefined, params);
      if (e.status === 404 && /\/(profile|directories\/Group)$|\/directories\/Group\?/.test(e.path)) {
        return new DriverFailure(BroadWorksErrors.prefix, `${at} has no Xsi interface at ${e.path.split('?')[0]} (404): check the URL prefix "${this.s.urlPrefix}" and the port`, undefined, { ...params, prefix: this.s.urlPrefix });
      }
      return new DriverFailure(E.rejected, `${at} refused the request: HTTP ${e.status} ${detail}`, undefined, { ...params, status: e.status, service: requestOf(e.path) });
    }
    if (e instanceof XsiTimeout) return new DriverFailure(E.noAnswer, `${at} did not answer in time (${e.path})`, undefined, params);
    if (e instanceof XmlError) return new DriverFailure(E.protocol, `${at} answered with something that is not Xsi XML: ${e.message}`, undefined, params);
    if (e instanceof CtiClosed) return new DriverFailure(E.linkLost, `${at}: ${e.message}`, undefined, params);
    if ((e as NodeJS.ErrnoException)?.code === 'FINGERPRINT_MISMATCH') return pinMismatch({ host: this.target.host, port: this.target.port, tls: true }, this.s.fingerprint ?? '');
    if (e instanceof Error && (e as NodeJS.ErrnoException).code) return connectFailure(e as Error & { code?: string }, { host: this.target.host, port: this.target.port, tls: this.s.tls, connectTimeoutMs: this.s.connectTimeoutMs });
    return new DriverFailure(E.protocol, `${at}: ${e instanceof Error ? e.message : String(e)}`, undefined, params);
  }

  private channelLost(reason: string, error?: Error): void {
    if (this.closing || !this.channel) return;
    const channel = this.channel;
    this.channel = undefined;
    void channel.close();
    const params = { host: this.target.name, port: this.target.port };
    // The password worked until now: it was changed on the platform, retrying it would only lock the account.
    if (error instanceof XsiHttpError && error.status === 401) return this.lostListener(new DriverFailure(PASSWORD_NEEDED, `${this.where()} stopped accepting the password of ${this.s.user} (401)`, undefined, { ...params, user: this.s.user ?? '' }));
    this.lostListener(new DriverFailure(E.linkLost, `the ${this.targetKind === 'cti' ? 'CTI' : 'Xsi-Events'} channel to ${this.where()} ended: ${reason}`, undefined, params));
  }

  /** The platform ended a subscription (SubscriptionTerminatedEvent): it is made again on the same channel. */
  private async resubscribe(channel: XsiChannel, oldId: string, target: string, pkg: string): Promise<void> {
    try {
      const id = await channel.subscribe(target, pkg);
      for (const m of this.monitored.values()) {
        const at = m.subscriptions.indexOf(oldId);
        if (at >= 0) m.subscriptions[at] = id;
      }
    } catch (e) {
      if (this.channel === channel) this.channelLost(`the subscription for ${target} (${pkg}) was terminated and could not be made again: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** A consultation call ended (not by a transfer): its held call comes back when the setting says so. */
  private consultationEnded(callId: string, ref: LineRef): void {
    const c = this.consultations.get(callId);
    if (!c) return;
    this.consultations.delete(callId);
    if (this.s.returnToHeld === false) return;
    this.callAction(ref, c.heldCallId, 'Talk').catch(() => undefined);
  }

  private onXsiEvent(e: XsiEvent): void {
    const m = this.monitored.get(e.targetId);
    if (!m) return;
    const ref = m.ref;
    const base = { line: ref.key, callId: null, callState: null, calling: null, called: null, cause: null };
    if (e.type === 'DoNotDisturbEvent') return this.eventListener({ ...base, event: 'doNotDisturb', featureOn: text(e.data, 'active') === 'true' });
    if (e.type === 'CallForwardingAlwaysEvent') {
      const on = text(e.data, 'active') === 'true';
      return this.eventListener({ ...base, event: 'forwarding', featureOn: on, forwardTo: on ? text(e.data, 'forwardToPhoneNumber') || null : null });
    }
    if (e.type === 'ConferenceStartedEvent' || e.type === 'ConferenceUpdatedEvent' || e.type === 'ConferenceReleasedEvent') {
      const first = children(child(child(e.data, 'conference'), 'conferenceParticipantList'), 'conferenceParticipant').map((p) => text(p, 'callId'))[0] ?? null;
      // The calls keep their own states (their own events say them); this only tells that they are bridged.
      return this.eventListener({ ...base, event: e.type === 'ConferenceReleasedEvent' ? 'conferenceEnded' : 'conferenced', callId: first });
    }
    const name = EVENT_NAMES[e.type];
    const call: XmlNode | undefined = child(e.data, 'call');
    if (!name || !call) return;
    if (e.type === 'CallReleasedEvent') this.consultationEnded(text(call, 'callId'), ref);
    const personality = text(call, 'personality');
    const remote = addressNumber(text(child(call, 'remoteParty'), 'address'));
    const outgoing = personality === 'Originator';
    this.eventListener({
      line: ref.key,
      event: name,
      callId: text(call, 'callId'),
      callState: callStateOf(text(call, 'state'), personality),
      calling: outgoing ? ref.number : remote || null,
      called: outgoing ? remote || null : ref.number,
      cause: text(call, 'releaseCause') || null,
    });
  }
}
