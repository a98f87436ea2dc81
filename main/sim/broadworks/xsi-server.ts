// The simulator's Xsi interface: Xsi-Actions (profile, group directory, calls, services) and Xsi-Events
// (streaming channels, subscriptions, event responses), with Basic auth and user vs group-admin scope, under a
// configurable context prefix (`com.broadsoft` by default; a provider's own, e.g. `nl.cai`, answers 404 elsewhere).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequest, describeRequest, readLimitedBody, requestTarget } from '../../web/http-guard';
import { describeThrown } from '../../log/process-guard';
import type { PeerLog } from '../../log/rate-limit';
import { child, children, el, esc, parseXml, text, xsiDoc, xsiEventDoc, XmlError, type XmlNode } from '../../protocols/xsi/xml';
import { CallError, CallModel, type CallEventName, type CallHalf } from './calls';
import { SIM_GROUP, type Services, type SimGroup } from './users';

const MAX_BODY = 64 * 1024;
/** The event packages the simulator serves, and the service each of the service packages reports. */
export const EVENT_PACKAGES = ['Advanced Call', 'Do Not Disturb', 'Call Forwarding Always', 'Call Forwarding Busy', 'Call Forwarding No Answer', 'Remote Office'] as const;
const SERVICES: Record<string, { key: keyof Services; pkg: string; event: string }> = {
  donotdisturb: { key: 'doNotDisturb', pkg: 'Do Not Disturb', event: 'DoNotDisturbEvent' },
  callforwardingalways: { key: 'callForwardingAlways', pkg: 'Call Forwarding Always', event: 'CallForwardingAlwaysEvent' },
  callforwardingbusy: { key: 'callForwardingBusy', pkg: 'Call Forwarding Busy', event: 'CallForwardingBusyEvent' },
  callforwardingnoanswer: { key: 'callForwardingNoAnswer', pkg: 'Call Forwarding No Answer', event: 'CallForwardingNoAnswerEvent' },
  remoteoffice: { key: 'remoteOffice', pkg: 'Remote Office', event: 'RemoteOfficeEvent' },
};
const SERVICE_ROOT: Record<keyof Services, string> = { doNotDisturb: 'DoNotDisturb', callForwardingAlways: 'CallForwardingAlways', callForwardingBusy: 'CallForwardingBusy', callForwardingNoAnswer: 'CallForwardingNoAnswer', remoteOffice: 'RemoteOffice' };

export interface XsiFaults {
  /** Answer every Xsi-Actions request with this status (0 = off). */
  actionStatus: number;
  /** Answer every request (HTTP and CTI) this many milliseconds late (0 = at once). */
  answerDelayMs: number;
  /** Answer no request at all (a platform that hangs); the requests stay unanswered. */
  silent: boolean;
}

export interface XsiOptions {
  prefix: string;
  /** A streamed event not acknowledged within this time terminates its channel. */
  eventResponseTimeoutMs: number;
  /** Longest channel and subscription lifetime a client may ask for (seconds). */
  maxExpiresSeconds: number;
}

interface Login {
  kind: 'admin' | 'user';
  userId: string;
}

/** Where a channel's documents go: the streamed HTTP response, or the CTI socket. */
export interface ChannelSink {
  write(doc: string): void;
  end(): void;
  /** Cuts the transport without a word (a connection lost on the way). */
  cut(): void;
}

/** One Xsi request, whichever way it came (HTTP, or a CTIRequest on the CTI socket). */
export interface XsiRequest {
  method: string;
  /** Path and query as sent. */
  target: string;
  authorization: string;
  body: string;
}

/** The answer; `channel` when the request opened an event channel, to drop when its transport goes. */
export interface XsiReply {
  status: number;
  body: string;
  headers?: Record<string, string>;
  channel?: { drop(): void };
}

interface Channel {
  id: string;
  setId: string;
  owner: string;
  sink: ChannelSink;
  expiresAt: number;
  /** Event IDs sent and not yet acknowledged, with the time they were sent. */
  unacked: Map<string, number>;
  timer: NodeJS.Timeout;
}

interface Subscription {
  id: string;
  owner: string;
  setId: string;
  pkg: string;
  applicationId: string;
  /** A user ID, or null for every user of the group. */
  target: string | null;
  expiresAt: number;
  sequence: number;
}

class XsiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class XsiService {
  readonly calls: CallModel;
  readonly faults: XsiFaults = { actionStatus: 0, answerDelayMs: 0, silent: false };
  private readonly channels = new Map<string, Channel>();
  private readonly subscriptions = new Map<string, Subscription>();
  /** The subscriptions on each user ('' for the group-wide ones): an event looks at its user's only. */
  private readonly byTarget = new Map<string, Set<Subscription>>();
  private readonly actionsBase: string;
  private readonly eventsBase: string;
  private readonly asyncChannel: string;
  /** `ctiRequests`: those of `requests` that came over the CTI socket. */
  readonly counters = { requests: 0, ctiRequests: 0, events: 0, eventResponses: 0, channelsOpened: 0, channelsTerminated: 0 };

  constructor(
    readonly group: SimGroup,
    private readonly opts: XsiOptions,
    private readonly log: PeerLog,
    ringMs?: number,
  ) {
    const p = opts.prefix || 'com.broadsoft';
    this.actionsBase = `/${p}.xsi-actions/v2.0/`;
    this.eventsBase = `/${p}.xsi-events/v2.0/`;
    this.asyncChannel = `/${p}.async/${p}.xsi-events/v2.0/channel`;
    this.calls = new CallModel(group, (userId, event, half) => this.callEvent(userId, event, half), ringMs);
    this.calls.onConference = (userId, event, callIds) => this.deliver(userId, 'Advanced Call', event, el('xsi:conference', conferenceXml(callIds, event === 'ConferenceReleasedEvent' ? 'Released' : 'Active', 'xsi:')));
  }

  status() {
    return { users: this.group.users.length, calls: this.calls.size, channels: this.channels.size, subscriptions: this.subscriptions.size, faults: this.faults, counters: this.counters };
  }

  /** Ends every channel with ChannelTerminatedEvent (a restart of the platform, as the client sees it). */
  terminateChannels(reason = 'terminated by the control API'): number {
    const n = this.channels.size;
    for (const c of [...this.channels.values()]) this.endChannel(c, reason);
    return n;
  }

  /** Cuts every channel's transport (the HTTP stream, the CTI socket) with no ChannelTerminatedEvent. */
  cutChannels(): number {
    const n = this.channels.size;
    for (const c of [...this.channels.values()]) {
      this.dropChannel(c);
      c.sink.cut();
    }
    return n;
  }

  /** Ends every subscription with a SubscriptionTerminatedEvent on its channel; the channels stay open. */
  terminateSubscriptions(): number {
    const all = [...this.subscriptions.values()];
    for (const s of all) this.terminateSubscription(s, s.target ?? '');
    return all.length;
  }

  /** Waits as the delay and silence faults say; false: leave the request unanswered. */
  async answerFaults(): Promise<boolean> {
    if (this.faults.silent) return false;
    if (this.faults.answerDelayMs) await new Promise((r) => setTimeout(r, this.faults.answerDelayMs));
    return !this.faults.silent;
  }

  close(): void {
    this.calls.close();
    for (const c of [...this.channels.values()]) this.endChannel(c, 'the simulator stops');
  }

  /** Xsi over HTTP: the request's answer, or for a channel the streamed response. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: string;
    try {
      body = (await readLimitedBody(req, MAX_BODY)).toString('utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException)?.code === 'ECONNRESET' && req.destroyed) return;
      if (e instanceof BadRequest) return answer(res, e.status, errorInfo(e.message));
      throw e;
    }
    if (!(await this.answerFaults())) return;
    const sink: ChannelSink = { write: (doc) => res.write(doc), end: () => res.end(), cut: () => req.socket.destroy() };
    const reply = this.dispatch({ method: req.method ?? '', target: req.url ?? '/', authorization: req.headers.authorization ?? '', body }, sink, describeRequest(req));
    if (!reply.channel) return answer(res, reply.status, reply.body, reply.headers);
    res.writeHead(200, { 'Content-Type': 'application/xml; charset=UTF-8' });
    res.write(reply.body);
    const gone = () => reply.channel!.drop();
    res.on('close', gone);
    req.socket.on('close', gone);
  }

  /** One request from either transport; `sink` is where a channel opened by it streams. Never throws. */
  dispatch(r: XsiRequest, sink: ChannelSink, peer: string): XsiReply {
    this.counters.requests++;
    try {
      const { url, path } = targetOf(r.target);
      if (path === this.eventsBase + 'versions' && r.method === 'GET') return { status: 200, body: xsiDoc('Versions', el('version', 'v2.0')) };
      const route = this.routeOf(path);
      if (!route) throw new XsiFailure(404, `no resource at ${path}`);
      const login = this.authenticate(r.authorization);
      if (route.kind === 'channel') return this.openChannel(login, r.method, r.body, sink);
      if (route.kind === 'actions') {
        if (this.faults.actionStatus) throw new XsiFailure(this.faults.actionStatus, 'fault: every Xsi-Actions request fails');
        return this.actions(login, r.method, route.rest, url, r.body);
      }
      return this.events(login, r.method, route.rest, r.body);
    } catch (e) {
      if (e instanceof XsiFailure || e instanceof CallError) return { status: e.status, body: errorInfo(e.message), headers: e.status === 401 ? { 'WWW-Authenticate': 'Basic realm="BroadWorks"' } : {} };
      if (e instanceof BadRequest || e instanceof XmlError) return { status: e instanceof BadRequest ? e.status : 400, body: errorInfo(e.message) };
      this.log.error(`Xsi ${peer}: answered 500: ${describeThrown(e)}`);
      return { status: 500, body: errorInfo('internal error') };
    }
  }

  // ---- routing, auth, scope ----------------------------------------------------------------------------------

  private routeOf(path: string): { kind: 'actions' | 'events' | 'channel'; rest: string[] } | undefined {
    if (path === this.asyncChannel) return { kind: 'channel', rest: [] };
    if (path.startsWith(this.actionsBase)) return { kind: 'actions', rest: path.slice(this.actionsBase.length).split('/') };
    if (path.startsWith(this.eventsBase)) return { kind: 'events', rest: path.slice(this.eventsBase.length).split('/') };
    return undefined;
  }

  private authenticate(authorization: string): Login {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
    if (!m) throw new XsiFailure(401, 'authentication required');
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const login = colon > 0 ? this.group.login(decoded.slice(0, colon), decoded.slice(colon + 1)) : undefined;
    if (!login) throw new XsiFailure(401, 'invalid user name or password');
    return login;
  }

  /** The user a login may act on: itself, or (group admin) any user of the group. */
  private scope(login: Login, userId: string): void {
    const inGroup = !!this.group.user(userId);
    if (login.kind === 'admin' ? !inGroup : login.userId !== userId) throw new XsiFailure(403, `${login.userId} may not act on ${userId}`);
  }

  // ---- Xsi-Actions -------------------------------------------------------------------------------------------

  private actions(login: Login, method: string, rest: string[], url: URL, body: string): XsiReply {
    if (rest[0] !== 'user' || !rest[1]) throw new XsiFailure(404, `no resource at ${rest.join('/')}`);
    const userId = rest[1];
    this.scope(login, userId);
    const user = this.group.user(userId)!;
    const [what, a, b, c] = rest.slice(2).map((s) => s.toLowerCase());
    const raw = rest.slice(2);
    const is = (m: string, n: number) => method === m && rest.length - 2 === n;
    if (what === 'profile' && is('GET', 1)) {
      const details = el('details', [['userId', user.userId], ['firstName', user.firstName], ['lastName', user.lastName], ['groupId', SIM_GROUP.groupId], ['serviceProvider', SIM_GROUP.serviceProviderId], ['number', user.number], ['extension', user.extension]]);
      return ok(200, xsiDoc('Profile', details));
    }
    if (what === 'directories' && a === 'group' && is('GET', 2)) return ok(200, this.directory(url));
    if (what === 'calls' && a === 'conference' && rest.length - 2 === 2) {
      if (method === 'GET') {
        const ids = this.calls.conferenceOf(userId);
        if (!ids.length) throw new XsiFailure(404, `${userId} has no conference`);
        return ok(200, xsiDoc('Conference', conferenceXml(ids, 'Active')));
      }
      if (method === 'DELETE') {
        this.calls.releaseConference(userId);
        return ok(200, '');
      }
      if (method === 'POST' || method === 'PUT') {
        const { root, body: conf } = parseXml(body);
        if (root !== 'Conference') throw new XsiFailure(400, `expected a Conference, got ${root}`);
        const ids = children(child(conf, 'conferenceParticipantList'), 'conferenceParticipant').map((p) => text(p, 'callId'));
        this.calls.conference(userId, ids, method === 'PUT');
        return ok(method === 'POST' ? 201 : 200, '');
      }
    }
    if (what === 'calls') {
      if (is('GET', 1)) return ok(200, xsiDoc('Calls', this.calls.callsOf(userId).map((h) => el('call', [['callId', h.callId], ['uri', `/v2.0/user/${userId}/calls/${h.callId}`]])).join('')));
      if (a === 'new' && is('POST', 2)) {
        const h = this.calls.dial(userId, url.searchParams.get('address') ?? '');
        return ok(201, xsiDoc('CallStartInfo', el('callId', esc(h.callId)) + el('externalTrackingId', esc(h.extTrackingId))));
      }
      const callId = raw[1];
      if (is('GET', 2)) return ok(200, xsiDoc('Call', callXml(this.calls.half(userId, callId))));
      if (is('DELETE', 2)) {
        this.calls.release(userId, callId);
        return ok(200, '');
      }
      if (is('PUT', 3)) {
        if (b === 'talk') this.calls.talk(userId, callId);
        else if (b === 'hold') this.calls.hold(userId, callId);
        else if (b === 'blindtransfer') this.calls.blindTransfer(userId, callId, url.searchParams.get('address') ?? '');
        else throw new XsiFailure(404, `no call action ${raw[2]}`);
        return ok(200, '');
      }
      if (is('PUT', 4) && b === 'consulttransfer') {
        this.calls.consultTransfer(userId, callId, raw[3]);
        return ok(200, '');
      }
    }
    if (what === 'services' && a && SERVICES[a] && c === undefined) {
      const s = SERVICES[a];
      // Our guess at the wording; the driver takes any refusal of an unassigned service alike.
      if (user.unassigned.has(s.key) && (is('GET', 2) || is('PUT', 2))) throw new XsiFailure(400, `[Error 4410] User not assigned to this service: ${SERVICE_ROOT[s.key]}`);
      if (is('GET', 2)) return ok(200, serviceXml(s.key, user.services));
      if (is('PUT', 2)) {
        applyService(s.key, user.services, body);
        this.serviceEvent(userId, s.pkg, s.event, serviceInner(s.key, user.services));
        return ok(200, '');
      }
    }
    throw new XsiFailure(method === 'GET' || method === 'PUT' || method === 'POST' || method === 'DELETE' ? 404 : 405, `no ${method} at ${rest.join('/')}`);
  }

  private directory(url: URL): string {
    const users = this.group.users;
    const start = wholeParam(url, 'start', 1, 1, users.length + 1);
    const results = wholeParam(url, 'results', 50, 1, 1000);
    const page = users.slice(start - 1, start - 1 + results);
    const rows = page.map((u) => el('directoryDetails', [['userId', u.userId], ['firstName', u.firstName], ['lastName', u.lastName], ['groupId', SIM_GROUP.groupId], ['number', u.number], ['extension', u.extension]])).join('');
    return xsiDoc('Group', el('startIndex', String(start)) + el('numberOfRecords', String(page.length)) + el('totalAvailableRecords', String(users.length)) + el('groupDirectory', rows));
  }

  // ---- Xsi-Events --------------------------------------------------------------------------------------------

  private openChannel(login: Login, method: string, body: string, sink: ChannelSink): XsiReply {
    if (method !== 'POST') throw new XsiFailure(405, 'open a channel with POST');
    const { root, body: ch } = parseXml(body);
    if (root !== 'Channel') throw new XsiFailure(400, `expected a Channel, got ${root}`);
    const setId = text(ch, 'channelSetId');
    if (!setId || setId.length > 128) throw new XsiFailure(400, 'channelSetId is required (1-128 characters)');
    const expires = this.expires(text(ch, 'expires'));
    const id = randomUUID();
    const c: Channel = { id, setId, owner: login.userId, sink, expiresAt: Date.now() + expires * 1000, unacked: new Map(), timer: setInterval(() => this.checkChannel(c), Math.min(1000, this.opts.eventResponseTimeoutMs)) };
    c.timer.unref();
    this.channels.set(id, c);
    this.counters.channelsOpened++;
    return { status: 200, body: xsiDoc('Channel', el('channelId', id) + el('channelSetId', esc(setId)) + el('priority', '1') + el('weight', '100') + el('expires', String(expires))), channel: { drop: () => this.dropChannel(c) } };
  }

  private events(login: Login, method: string, rest: string[], body: string): XsiReply {
    const [what, id, action] = rest;
    if (what === 'channel' && id === 'eventresponse' && method === 'POST' && rest.length === 2) {
      const { root, body: r } = parseXml(body);
      if (root !== 'EventResponse') throw new XsiFailure(400, `expected an EventResponse, got ${root}`);
      const eventId = text(r, 'eventID');
      if (!eventId) throw new XsiFailure(400, 'eventID is required');
      for (const c of this.channels.values()) if (c.owner === login.userId && c.unacked.delete(eventId)) this.counters.eventResponses++;
      return ok(200, '');
    }
    if (what === 'channel' && id) {
      const c = this.channels.get(id);
      if (!c || c.owner !== login.userId) throw new XsiFailure(404, `no channel ${id}`);
      if (action === 'heartbeat' && method === 'PUT' && rest.length === 3) {
        c.sink.write(xsiDoc('ChannelHeartBeat', ''));
        return ok(200, '');
      }
      if (rest.length === 2 && method === 'PUT') {
        const { body: ch } = parseXml(body);
        const expires = this.expires(text(ch, 'expires'));
        c.expiresAt = Date.now() + expires * 1000;
        return ok(200, xsiDoc('Channel', el('channelId', id) + el('expires', String(expires))));
      }
      if (rest.length === 2 && method === 'DELETE') {
        this.dropChannel(c);
        c.sink.end();
        return ok(200, '');
      }
    }
    if (what === 'subscription' && id && rest.length === 2) {
      const s = this.subscriptions.get(id);
      if (!s || s.owner !== login.userId) throw new XsiFailure(404, `no subscription ${id}`);
      if (method === 'DELETE') {
        this.unsubscribe(s);
        return ok(200, '');
      }
      if (method === 'PUT') {
        const expires = this.expires(text(parseXml(body).body, 'expires'));
        s.expiresAt = Date.now() + expires * 1000;
        return ok(200, xsiDoc('Subscription', el('subscriptionId', id) + el('expires', String(expires))));
      }
    }
    if (method === 'POST' && what === 'user' && id && rest.length === 2) {
      this.scope(login, id);
      return this.subscribe(login, id, body);
    }
    if (method === 'POST' && what === 'serviceprovider' && rest.length === 4 && rest[2] === 'group') {
      if (login.kind !== 'admin') throw new XsiFailure(403, `${login.userId} is not a group administrator`);
      if (id !== SIM_GROUP.serviceProviderId || rest[3] !== SIM_GROUP.groupId) throw new XsiFailure(403, `${login.userId} does not administer ${id}/${rest[3]}`);
      return this.subscribe(login, null, body);
    }
    throw new XsiFailure(404, `no ${method} at ${rest.join('/')}`);
  }

  private subscribe(login: Login, target: string | null, body: string): XsiReply {
    const { root, body: s } = parseXml(body);
    if (root !== 'Subscription') throw new XsiFailure(400, `expected a Subscription, got ${root}`);
    const pkg = text(s, 'event');
    if (!(EVENT_PACKAGES as readonly string[]).includes(pkg)) throw new XsiFailure(400, `unknown event package "${pkg}"`);
    const setId = text(s, 'channelSetId');
    if (![...this.channels.values()].some((c) => c.setId === setId && c.owner === login.userId)) throw new XsiFailure(400, `no open channel in channel set "${setId}"`);
    const expires = this.expires(text(s, 'expires'));
    const sub: Subscription = { id: randomUUID(), owner: login.userId, setId, pkg, applicationId: text(s, 'applicationId').slice(0, 128), target, expiresAt: Date.now() + expires * 1000, sequence: 0 };
    this.subscriptions.set(sub.id, sub);
    const set = this.byTarget.get(target ?? '') ?? new Set();
    set.add(sub);
    this.byTarget.set(target ?? '', set);
    return ok(200, xsiDoc('Subscription', el('subscriptionId', sub.id) + el('expires', String(expires))));
  }

  private unsubscribe(s: Subscription): void {
    this.subscriptions.delete(s.id);
    this.byTarget.get(s.target ?? '')?.delete(s);
  }

  private expires(v: string): number {
    if (v === '') return 3600;
    if (!/^\d{1,7}$/.test(v)) throw new XsiFailure(400, `expires "${v.slice(0, 20)}" is not a number of seconds`);
    return Math.min(Math.max(Number(v), 1), this.opts.maxExpiresSeconds);
  }

  private callEvent(userId: string, event: CallEventName, half: CallHalf): void {
    this.deliver(userId, 'Advanced Call', event, el('xsi:call', callXml(half, 'xsi:')));
  }

  private serviceEvent(userId: string, pkg: string, event: string, inner: string): void {
    this.deliver(userId, pkg, event, inner);
  }

  /** One event to every subscription on the user, over one open channel of the subscription's channel set. */
  private deliver(userId: string, pkg: string, type: string, inner: string): void {
    const now = Date.now();
    for (const s of [...(this.byTarget.get(userId) ?? []), ...(this.byTarget.get('') ?? [])]) {
      if (s.pkg !== pkg) continue;
      if (s.expiresAt < now) {
        this.terminateSubscription(s, userId);
        continue;
      }
      const c = this.channelOf(s);
      if (c) this.send(c, s, type, userId, inner);
    }
  }

  private terminateSubscription(s: Subscription, targetId: string): void {
    this.unsubscribe(s);
    const c = this.channelOf(s);
    if (c) this.send(c, s, 'SubscriptionTerminatedEvent', targetId, '');
  }

  private channelOf(s: Subscription): Channel | undefined {
    for (const c of this.channels.values()) if (c.setId === s.setId && c.owner === s.owner) return c;
    return undefined;
  }

  private send(c: Channel, s: Subscription, type: string, targetId: string, inner: string): void {
    const eventId = randomUUID();
    s.sequence++;
    const head: Array<[string, string | number]> = [['xsi:eventID', eventId], ['xsi:sequenceNumber', s.sequence], ['xsi:userId', s.owner], ['xsi:externalApplicationId', s.applicationId], ['xsi:subscriptionId', s.id], ['xsi:channelId', c.id], ['xsi:targetId', targetId]];
    const doc = xsiEventDoc('SubscriptionEvent', head.map(([k, v]) => `<${k}>${esc(v)}</${k}>`).join('') + `<xsi:eventData xsi1:type="xsi:${type}">${inner}</xsi:eventData>`);
    c.unacked.set(eventId, Date.now());
    this.counters.events++;
    c.sink.write(doc);
  }

  private checkChannel(c: Channel): void {
    const now = Date.now();
    if (c.expiresAt < now) return this.endChannel(c, 'the channel expired');
    for (const at of c.unacked.values()) if (now - at > this.opts.eventResponseTimeoutMs) return this.endChannel(c, 'an event was not acknowledged in time');
  }

  private endChannel(c: Channel, reason: string): void {
    if (!this.channels.has(c.id)) return;
    this.counters.channelsTerminated++;
    c.sink.write(xsiEventDoc('ChannelTerminatedEvent', `<xsi:channelId>${c.id}</xsi:channelId><xsi:reason>${esc(reason)}</xsi:reason>`));
    this.dropChannel(c);
    c.sink.end();
  }

  private dropChannel(c: Channel): void {
    clearInterval(c.timer);
    if (!this.channels.delete(c.id)) return;
    // A channel set without channels is gone, and its subscriptions with it.
    if ([...this.channels.values()].some((o) => o.setId === c.setId && o.owner === c.owner)) return;
    for (const s of [...this.subscriptions.values()]) if (s.setId === c.setId && s.owner === c.owner) this.unsubscribe(s);
  }
}

function callXml(h: CallHalf, p = ''): string {
  const r = h.remote;
  const remote = `<${p}remoteParty>${r.name ? `<${p}name>${esc(r.name)}</${p}name>` : ''}<${p}address>${esc(r.address)}</${p}address>${r.userId ? `<${p}userId>${esc(r.userId)}</${p}userId>` : ''}<${p}callType>${r.callType}</${p}callType></${p}remoteParty>`;
  const t = (k: string, v: number | string | undefined) => (v === undefined ? '' : `<${p}${k}>${esc(v)}</${p}${k}>`);
  return t('callId', h.callId) + t('extTrackingId', h.extTrackingId) + t('personality', h.personality) + t('state', h.state) + (h.releaseCause ? t('releaseCause', h.releaseCause) : '') + remote + t('appearance', 1) + t('startTime', h.startTime) + t('answerTime', h.answerTime) + t('heldTime', h.heldTime) + t('releaseTime', h.releaseTime);
}

function conferenceXml(callIds: string[], state: string, p = ''): string {
  const list = callIds.map((id) => `<${p}conferenceParticipant><${p}callId>${esc(id)}</${p}callId></${p}conferenceParticipant>`).join('');
  return `<${p}conferenceParticipantList>${list}</${p}conferenceParticipantList><${p}state>${state}</${p}state>`;
}

function serviceInner(key: keyof Services, s: Services): string {
  const v = s[key] as Record<string, string | number | boolean>;
  return Object.entries(v)
    .map(([k, x]) => (x === '' ? `<${k} xmlns:xs="http://www.w3.org/2001/XMLSchema-instance" xs:nil="true"/>` : `<${k}>${esc(String(x))}</${k}>`))
    .join('');
}

function serviceXml(key: keyof Services, s: Services): string {
  return xsiDoc(SERVICE_ROOT[key], serviceInner(key, s));
}

/** Applies a PUT body to one service; a field left out keeps its value. */
function applyService(key: keyof Services, services: Services, body: string): void {
  const { root, body: b } = parseXml(body);
  if (root !== SERVICE_ROOT[key]) throw new XsiFailure(400, `expected ${SERVICE_ROOT[key]}, got ${root}`);
  const next = { ...(services[key] as Record<string, string | number | boolean>) };
  for (const k of Object.keys(next)) {
    if (!(k in b)) continue;
    const v = text(b, k);
    const nil = (b[k] as XmlNode | undefined)?.['@nil'] === 'true';
    if (typeof next[k] === 'boolean') {
      if (v !== 'true' && v !== 'false') throw new XsiFailure(400, `${k} must be true or false`);
      next[k] = v === 'true';
    } else if (k === 'numberOfRings') {
      if (!/^\d{1,2}$/.test(v) || Number(v) > 20) throw new XsiFailure(400, 'numberOfRings must be 0-20');
      next[k] = Number(v);
    } else {
      if (!nil && !/^[+*#0-9]{1,32}$/.test(v) && v !== '') throw new XsiFailure(400, `${k} "${v.slice(0, 40)}" is not a phone number`);
      next[k] = nil ? '' : v;
    }
  }
  if ('forwardToPhoneNumber' in next && next.active && !next.forwardToPhoneNumber) throw new XsiFailure(400, 'forwarding needs forwardToPhoneNumber');
  if ('remoteOfficeNumber' in next && next.active && !next.remoteOfficeNumber) throw new XsiFailure(400, 'remote office needs remoteOfficeNumber');
  (services as unknown as Record<string, unknown>)[key] = next;
}

function wholeParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const v = url.searchParams.get(name);
  if (v === null) return fallback;
  if (!/^\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max) throw new XsiFailure(400, `${name} must be ${min}-${max}`);
  return Number(v);
}

function errorInfo(summary: string): string {
  return xsiDoc('ErrorInfo', el('summary', esc(summary)) + el('summaryEnglish', esc(summary)));
}

function ok(status: number, body: string): XsiReply {
  return { status, body };
}

/** A request target as URL and decoded path (the HTTP guard's reading, for the CTI requests too). */
function targetOf(target: string): { url: URL; path: string } {
  return requestTarget({ url: target } as IncomingMessage);
}

function answer(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/xml; charset=UTF-8', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
