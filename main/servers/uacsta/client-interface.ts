// The uaCSTA server's client interface (manual §3.3, §4.1.1): CTI clients register with their own user and
// password (digest), open an INVITE dialog to the server (digest again) and speak CSTA XML in INFO. A client's
// MonitorStart is answered at once; the server starts the monitor in the phone asynchronously and reports
// BackInService when it stands (OutOfService while the phone's dialog is down, BackInService when it is back).
// Requests go to the phone that owns the device and their results come back; the phone's events go to every
// client that monitors the line; the phone's monitor goes when the last interested client stops or leaves.
import { CstaSessionError, type CstaEvent } from '../../protocols/csta/model';
import { acceptCstaDialog, type CstaXmlRequest, type XmlCstaSession, type XmlCstaSwitch } from '../../protocols/csta-xml';
import { DigestServer, Registrar, SipEndpoint, type IncomingRequest, type SipLogger } from '../../protocols/sip';
import { supportOf } from './features';
import { guarded } from './guard';
import { coded } from '../../../shared/problems';
import type { Lease } from '../../engine/licences';
import { listenersOf, userOf, type PhoneInterface, type PhoneRecord, type UacstaLicences, type WanInterface } from './phone-interface';

export interface ClientInterfaceOptions {
  host?: string;
  port?: number;
  tls?: { port: number; key: string | Buffer; cert: string | Buffer };
  wan?: WanInterface;
  /** A phone's licence covers one monitored line; each further line monitored on it at once takes one more. */
  licences?: UacstaLicences;
  /** The logins CTI clients use (manual §3.3: the client's own user and password). */
  clients: Array<{ user: string; password: string }>;
  realm?: string;
  logger?: SipLogger;
}

interface ClientMonitor {
  client: XmlCstaSwitch;
  crossRef: string;
  /** The device as the client named it (events echo it in BackInService). */
  device: string;
}

/** A monitored line: one phone identity, the clients watching it, and the monitor in the phone. */
interface Line {
  key: string;
  mac: string;
  device: string;
  monitors: ClientMonitor[];
  phoneCrossRef?: string;
  /** The phone session the monitor was started on. */
  session?: XmlCstaSession;
  starting?: Promise<void>;
  /** The licence of a further line on the phone; absent on the line its phone's own licence covers. */
  lease?: Lease;
}

const failure = (error: string) => new CstaSessionError('CSTA_UNIVERSAL_FAILURE', error, { failure: { category: 'operation', error } });
const noLicence = (why: string) => new CstaSessionError('CSTA_UNIVERSAL_FAILURE', why, { failure: { category: 'systemResourceAvailability', error: 'resourceLimitExceeded' } });

export class ClientInterface {
  private readonly lines = new Map<string, Line>();
  /** The same lines by phone: a phone's event looks at that phone's lines only, not at every monitored line. */
  private readonly linesByMac = new Map<string, Set<Line>>();
  private readonly byCrossRef = new Map<string, ClientMonitor & { line: Line }>();
  /** The connected clients by the address they connected from (what log entries name them by). */
  private readonly clients = new Map<XmlCstaSwitch, string>();
  /** Events of a phone session held back while a monitor starts in that phone. */
  private readonly waiting = new Map<XmlCstaSession, CstaEvent[]>();
  /** Line licences taken for a MonitorStart whose line is not created yet. */
  private readonly pending = new Map<string, Lease>();
  private readonly registrar: Registrar;
  private readonly digest: DigestServer;
  private nextRef = 1;
  private readonly guard: ReturnType<typeof guarded>;
  /** What this interface listens to on the phone side, undone when it closes (the phone interface may run on). */
  private readonly phoneSessions = new Map<XmlCstaSession, () => void>();
  private readonly onPhoneSession = (mac: string, s: XmlCstaSession) => this.guard('phone session', () => this.phoneSession(mac, s));
  private readonly onPhoneChanged = (rec: PhoneRecord) => this.guard('phone changed', () => rec.status !== 'controllable' && this.phoneDown(rec.mac));

  private constructor(readonly endpoint: SipEndpoint, private readonly phones: PhoneInterface, private readonly o: ClientInterfaceOptions) {
    this.guard = guarded(o.logger, 'clients');
    this.digest = new DigestServer({ realm: o.realm ?? 'uacsta-clients' });
    this.registrar = new Registrar({ auth: { server: this.digest, password: (u) => this.password(u) } });
    endpoint.on('request', (inc) => this.guard('request', () => this.request(inc), () => inc.respond(500)));
    phones.on('session', this.onPhoneSession);
    phones.on('changed', this.onPhoneChanged);
    // phones already controlled (this interface restarted while the phone side ran on)
    for (const r of phones.phones()) {
      const session = phones.session(r.mac);
      if (session?.open) this.phoneSession(r.mac, session);
    }
  }

  static async start(phones: PhoneInterface, o: ClientInterfaceOptions): Promise<ClientInterface> {
    const ep = await SipEndpoint.start({ user: 'uacsta', listen: listenersOf(o.host, o.port ?? 5062, o.tls, o.wan), logger: o.logger, timers: { tryingMs: 200 } });
    return new ClientInterface(ep, phones, o);
  }

  get port(): number {
    return this.endpoint.servers[0].port;
  }

  get tlsPort(): number | undefined {
    return this.endpoint.servers.find((l) => l.transport === 'TLS')?.port;
  }

  /** How many clients monitor each line (by the phone's identity). */
  monitoredLines(): Array<{ mac: string; device: string; clients: number; monitoredInPhone: boolean; ownLicence: boolean }> {
    return [...this.lines.values()].map((l) => ({ mac: l.mac, device: l.device, clients: l.monitors.length, monitoredInPhone: l.phoneCrossRef !== undefined, ownLicence: l.lease !== undefined }));
  }

  /** How many CTI clients have their CSTA dialog open. */
  get clientCount(): number {
    return this.clients.size;
  }

  async close(): Promise<void> {
    this.registrar.close();
    for (const c of [...this.clients.keys()]) await c.close().catch(() => undefined);
    // the phones' monitor points go with the client side, as with a line's last client (else each restart leaves one)
    await Promise.all([...this.lines.values()].map((l) => (l.phoneCrossRef !== undefined && l.session?.open ? l.session.invoke('monitorStop', { crossRefIdentifier: l.phoneCrossRef }, { timeoutMs: 2000 }).catch(() => undefined) : undefined)));
    // line licences go back with the server, whatever the clients' dialogs did
    for (const lease of [...this.pending.values(), ...[...this.lines.values()].flatMap((l) => (l.lease ? [l.lease] : []))]) this.o.licences?.pool.release(lease);
    this.pending.clear();
    this.lines.clear();
    this.linesByMac.clear();
    this.phones.off('session', this.onPhoneSession);
    this.phones.off('changed', this.onPhoneChanged);
    for (const off of this.phoneSessions.values()) off();
    this.phoneSessions.clear();
    await this.endpoint.close();
  }

  private password(user: string): string | undefined {
    return this.o.clients.find((c) => c.user === user)?.password;
  }

  private request(inc: IncomingRequest): void {
    switch (inc.request.method) {
      case 'REGISTER':
        return this.registrar.handle(inc);
      case 'OPTIONS':
        return inc.respond(200);
      case 'INVITE': {
        const user = inc.authenticate(this.digest, (u) => this.password(u));
        if (user === undefined) return;
        const sw = acceptCstaDialog(this.endpoint, inc, (r) => this.handle(sw, r), { logger: this.o.logger });
        const client = `${inc.connection.remote.host}:${inc.connection.remote.port}`;
        this.clients.set(sw, client);
        this.o.logger?.info(coded('logServers.clientConnected', { client, user }));
        sw.carrier.onClosed(() => this.guard('client left', () => this.clientGone(sw)));
        return;
      }
      default:
        return inc.respond(405, { headers: [{ name: 'Allow', value: 'REGISTER, INVITE, OPTIONS' }] });
    }
  }

  private async handle(client: XmlCstaSwitch, r: CstaXmlRequest): Promise<unknown> {
    switch (r.service) {
      case 'requestSystemStatus':
        return { systemStatus: 'normal' };
      case 'systemRegister':
        return { sysStatRegisterID: '1' };
      case 'monitorStart': {
        const obj = r.args.monitorObject;
        if (!('device' in obj)) throw failure('invalidMonitorObject');
        await this.licenceFor(obj.device.id);
        return this.monitorStart(client, obj.device.id);
      }
      case 'monitorStop': {
        const m = this.byCrossRef.get(r.args.crossRefIdentifier);
        if (!m || m.client !== client) throw failure('invalidCrossRefID');
        await this.stop(m.line, m);
        return {};
      }
      case 'getSwitchingFunctionDevices': {
        const ref = String(this.nextRef++);
        // the number (the identity's user part) is the line a client monitors; the model name is the phone's type
        const deviceList = this.phones.phones().filter((p) => p.status === 'controllable').flatMap((p) => p.identities.map((id) => ({ deviceID: { id: userOf(id) }, deviceCategory: 'station' as const, deviceModelName: p.type || undefined })));
        // the list follows the response as a request of its own, as phones send it
        setTimeout(() => void client.sendDevices({ serviceCrossRefID: ref, lastSegment: true, deviceList }).catch(() => undefined), 0);
        return { serviceCrossRefID: ref };
      }
      default: {
        const device = deviceOf(r.args);
        const mac = device === undefined ? undefined : this.phones.phoneOf(device);
        const session = mac && this.phones.session(mac);
        if (!session) throw failure(device === undefined ? 'invalidDeviceID' : 'deviceOutOfService');
        const phone = this.phones.phone(mac)!;
        const support = supportOf(phone.vendor, phone.firmware, r.service);
        if (typeof support === 'object') {
          this.phones.phoneLogger(mac)?.warn(coded('logServers.serviceRefused', { service: r.service, mac, detail: support.no }));
          this.phones.noteCstaError(mac, { service: r.service, error: 'serviceNotSupported', reason: support.no });
          throw failure('serviceNotSupported');
        }
        try {
          if (support === 'emulated' && r.service === 'alternateCall') {
            // the manual's tables: AlternateCall is HoldCall of the active call, then RetrieveCall of the held one
            await session.invoke('holdCall', { callToBeHeld: r.args.activeCall });
            await session.invoke('retrieveCall', { callToBeRetrieved: r.args.heldCall });
            return {};
          }
          return await session.invoke(r.service as never, r.args as never);
        } catch (e) {
          const f = (e as CstaSessionError).details?.failure as { error?: string } | undefined;
          this.phones.noteCstaError(mac, { service: r.service, error: f?.error ?? (e as CstaSessionError).code ?? 'failed', reason: (e as Error).message });
          throw e;
        }
      }
    }
  }

  /**
   * A new line on a phone that already has one monitored takes a licence of its own (the phone's licence covers
   * one line); a line already monitored, by any client, costs nothing more. None free: the MonitorStart is refused.
   */
  private async licenceFor(device: string): Promise<void> {
    const l = this.o.licences;
    const mac = this.phones.phoneOf(device);
    if (!l || !mac) return;
    const key = `${mac}/${userOf(device)}`;
    if (this.lines.has(key) || !this.linesByMac.get(mac)?.size) return;
    try {
      const lease = await l.pool.lease(l.instanceId, key, 'line');
      // another client opened the same line meanwhile: its licence (or its phone's) is enough
      if (this.lines.has(key) || this.pending.has(key)) l.pool.release(lease);
      else this.pending.set(key, lease);
    } catch (e) {
      this.phones.noteCstaError(mac, { service: 'monitorStart', error: 'resourceLimitExceeded', reason: (e as Error).message });
      throw noLicence((e as Error).message);
    }
  }

  private monitorStart(client: XmlCstaSwitch, device: string): { crossRefIdentifier: string } {
    const mac = this.phones.phoneOf(device);
    if (!mac) throw failure('invalidMonitorObject');
    const key = `${mac}/${userOf(device)}`;
    let line = this.lines.get(key);
    if (!line) {
      line = { key, mac, device: this.phones.phone(mac)!.identities.find((i) => userOf(i) === userOf(device)) ?? device, monitors: [], lease: this.pending.get(key) };
      this.pending.delete(key);
      this.addLine(line);
    }
    const m: ClientMonitor = { client, crossRef: String(this.nextRef++), device };
    line.monitors.push(m);
    this.byCrossRef.set(m.crossRef, { ...m, line });
    const l = line;
    if (l.phoneCrossRef !== undefined) setTimeout(() => void this.send(m, backInService(m)), 0);
    else setTimeout(() => void this.startInPhone(l), 0);
    return { crossRefIdentifier: m.crossRef };
  }

  /** Starts the line's monitor in the phone (once however many clients wait) and tells them when it stands. */
  private startInPhone(line: Line): Promise<void> {
    if (line.starting) return line.starting;
    const run = async () => {
      const session = this.phones.session(line.mac);
      if (!session || line.monitors.length === 0) return;
      try {
        const res = await session.invoke('monitorStart', { monitorObject: { device: { id: line.device } } });
        if (line.monitors.length === 0) {
          await session.invoke('monitorStop', { crossRefIdentifier: res.crossRefIdentifier }).catch(() => undefined);
          return;
        }
        line.phoneCrossRef = res.crossRefIdentifier;
        line.session = session;
        // those waiting now; one that joins while these go out is told by monitorStart (else it heard it twice)
        for (const m of [...line.monitors]) await this.send(m, backInService(m));
      } catch (e) {
        this.phones.phoneLogger(line.mac)?.warn(coded('logServers.monitorRefused', { mac: line.mac, device: line.device, failure: String((e as CstaSessionError).code) }));
      }
    };
    line.starting = run().finally(() => (line.starting = undefined));
    return line.starting;
  }

  private async stop(line: Line, m: ClientMonitor): Promise<void> {
    line.monitors = line.monitors.filter((x) => x.crossRef !== m.crossRef);
    this.byCrossRef.delete(m.crossRef);
    if (line.monitors.length > 0) return;
    this.removeLine(line);
    this.giveBackLicence(line);
    const { phoneCrossRef, session } = line;
    line.phoneCrossRef = undefined;
    if (phoneCrossRef !== undefined && session?.open) await session.invoke('monitorStop', { crossRefIdentifier: phoneCrossRef }).catch(() => undefined);
  }

  /** A line's licence goes back; if it was the one its phone's licence covered, another line of the phone takes that place. */
  private giveBackLicence(line: Line): void {
    const pool = this.o.licences?.pool;
    if (!pool) return;
    if (line.lease) pool.release(line.lease);
    else {
      const other = [...this.linesOf(line.mac)].find((x) => x.lease);
      if (other?.lease) pool.release(other.lease);
      if (other) other.lease = undefined;
    }
    line.lease = undefined;
  }

  private clientGone(client: XmlCstaSwitch): void {
    const address = this.clients.get(client);
    if (address !== undefined) this.o.logger?.info(coded('logServers.clientLeft', { client: address }));
    this.clients.delete(client);
    for (const m of [...this.byCrossRef.values()]) if (m.client === client) void this.stop(m.line, m);
  }

  /** A phone's (new) dialog: its events are routed to the lines, and lines waiting for it are monitored again. */
  private phoneSession(mac: string, s: XmlCstaSession): void {
    if (this.phoneSessions.has(s)) return;
    const offEvents = s.onEvent((e) => this.guard('phone event', () => this.phoneEvent(mac, s, e)));
    const offLost = s.onLost(() => this.phoneSessions.get(s)?.());
    this.phoneSessions.set(s, () => {
      offEvents();
      offLost();
      this.phoneSessions.delete(s);
    });
    for (const line of this.linesOf(mac)) if (line.phoneCrossRef === undefined) void this.startInPhone(line);
  }

  private phoneDown(mac: string): void {
    for (const line of this.linesOf(mac)) {
      if (line.phoneCrossRef === undefined) continue;
      line.phoneCrossRef = undefined;
      line.session = undefined;
      for (const m of line.monitors) void this.send(m, { category: 'deviceMaintenance', name: 'outOfService', monitorCrossRefId: m.crossRef, device: { id: m.device } });
    }
  }

  /**
   * A phone's event. While a monitor is being started in that phone, its events wait: the phone may report on the
   * new monitor in the same read as its MonitorStart response, before the line knows the cross-reference ID.
   */
  private phoneEvent(mac: string, s: XmlCstaSession, e: CstaEvent): void {
    const queued = this.waiting.get(s);
    if (queued) return void queued.push(e);
    const starts: Array<Promise<void>> = [];
    for (const l of this.linesOf(mac)) if (l.starting) starts.push(l.starting);
    if (starts.length === 0) return this.route(mac, s, e);
    const q = [e];
    this.waiting.set(s, q);
    void Promise.allSettled(starts).then(() => {
      this.waiting.delete(s);
      for (const x of q) this.guard('phone event', () => this.route(mac, s, x));
    });
  }

  private route(mac: string, s: XmlCstaSession, e: CstaEvent): void {
    for (const line of this.linesOf(mac)) {
      if (line.session !== s || line.phoneCrossRef !== e.monitorCrossRefId) continue;
      for (const m of line.monitors) void this.send(m, { ...e, monitorCrossRefId: m.crossRef } as CstaEvent);
    }
  }

  private linesOf(mac: string): Iterable<Line> {
    return this.linesByMac.get(mac) ?? [];
  }

  private addLine(line: Line): void {
    this.lines.set(line.key, line);
    let own = this.linesByMac.get(line.mac);
    if (!own) this.linesByMac.set(line.mac, (own = new Set()));
    own.add(line);
  }

  private removeLine(line: Line): void {
    this.lines.delete(line.key);
    const own = this.linesByMac.get(line.mac);
    own?.delete(line);
    if (own?.size === 0) this.linesByMac.delete(line.mac);
  }

  private async send(m: ClientMonitor, e: CstaEvent): Promise<void> {
    if (!m.client.carrier.open) return;
    await m.client.sendEvent(e).catch((err: Error) => this.o.logger?.warn(coded('logServers.eventNotSent', { event: e.name, client: this.clients.get(m.client) ?? m.client.carrier.peer, detail: err.message })));
  }
}

function backInService(m: ClientMonitor): CstaEvent {
  return { category: 'deviceMaintenance', name: 'backInService', monitorCrossRefId: m.crossRef, device: { id: m.device } };
}

/** The device a request acts on: its first member that is a device or a connection at a device. */
function deviceOf(args: unknown): string | undefined {
  if (!args || typeof args !== 'object') return undefined;
  for (const v of Object.values(args as Record<string, unknown>)) {
    if (!v || typeof v !== 'object') continue;
    const o = v as { id?: unknown; device?: { id?: unknown } };
    if (typeof o.id === 'string') return o.id;
    if (typeof o.device?.id === 'string') return o.device.id;
  }
  return undefined;
}
