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
import { listenersOf, userOf, type PhoneInterface } from './phone-interface';

export interface ClientInterfaceOptions {
  host?: string;
  port?: number;
  tls?: { port: number; key: string | Buffer; cert: string | Buffer };
  /** The logins CTI clients use (manual §3.3: the client's own user and password). */
  clients: Array<{ user: string; password: string }>;
  realm?: string;
  logger?: SipLogger;
  /** Told of each client request a phone refused or the server refused for it (the console's "last CSTA error"). */
  onCstaError?: (mac: string, service: string, error: string) => void;
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
}

const failure = (error: string) => new CstaSessionError('CSTA_UNIVERSAL_FAILURE', error, { failure: { category: 'operation', error } });

export class ClientInterface {
  private readonly lines = new Map<string, Line>();
  private readonly byCrossRef = new Map<string, ClientMonitor & { line: Line }>();
  private readonly clients = new Set<XmlCstaSwitch>();
  private readonly registrar: Registrar;
  private readonly digest: DigestServer;
  private nextRef = 1;
  private readonly guard: ReturnType<typeof guarded>;

  private constructor(readonly endpoint: SipEndpoint, private readonly phones: PhoneInterface, private readonly o: ClientInterfaceOptions) {
    this.guard = guarded(o.logger, 'uaCSTA client interface');
    this.digest = new DigestServer({ realm: o.realm ?? 'uacsta-clients' });
    this.registrar = new Registrar({ auth: { server: this.digest, password: (u) => this.password(u) } });
    endpoint.on('request', (inc) => this.guard('request', () => this.request(inc), () => inc.respond(500)));
    phones.on('session', (mac, s) => this.guard('phone session', () => this.phoneSession(mac, s)));
    phones.on('changed', (rec) => this.guard('phone changed', () => rec.status !== 'controllable' && this.phoneDown(rec.mac)));
  }

  static async start(phones: PhoneInterface, o: ClientInterfaceOptions): Promise<ClientInterface> {
    const ep = await SipEndpoint.start({ user: 'uacsta', listen: listenersOf(o.host, o.port ?? 5062, o.tls), logger: o.logger, timers: { tryingMs: 200 } });
    return new ClientInterface(ep, phones, o);
  }

  get port(): number {
    return this.endpoint.servers[0].port;
  }

  get tlsPort(): number | undefined {
    return this.endpoint.servers.find((l) => l.transport === 'TLS')?.port;
  }

  /** How many clients monitor each line (by the phone's identity). */
  monitoredLines(): Array<{ mac: string; device: string; clients: number; monitoredInPhone: boolean }> {
    return [...this.lines.values()].map((l) => ({ mac: l.mac, device: l.device, clients: l.monitors.length, monitoredInPhone: l.phoneCrossRef !== undefined }));
  }

  async close(): Promise<void> {
    this.registrar.close();
    for (const c of [...this.clients]) await c.close().catch(() => undefined);
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
        this.clients.add(sw);
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
          this.phones.phoneLogger(mac)?.warn(`refused ${r.service} for phone ${mac}: ${support.no}`);
          this.o.onCstaError?.(mac, r.service, 'serviceNotSupported');
          throw failure('serviceNotSupported');
        }
        if (support === 'emulated' && r.service === 'alternateCall') {
          // the manual's tables: AlternateCall is HoldCall of the active call, then RetrieveCall of the held one
          await session.invoke('holdCall', { callToBeHeld: r.args.activeCall });
          await session.invoke('retrieveCall', { callToBeRetrieved: r.args.heldCall });
          return {};
        }
        return session.invoke(r.service as never, r.args as never).catch((e: unknown) => {
          const f = (e as CstaSessionError).details?.failure;
          this.o.onCstaError?.(mac, r.service, f && 'error' in f ? String(f.error) : ((e as CstaSessionError).code ?? String(e)));
          throw e;
        });
      }
    }
  }

  private monitorStart(client: XmlCstaSwitch, device: string): { crossRefIdentifier: string } {
    const mac = this.phones.phoneOf(device);
    if (!mac) throw failure('invalidMonitorObject');
    const key = `${mac}/${userOf(device)}`;
    let line = this.lines.get(key);
    if (!line) {
      line = { key, mac, device: this.phones.phone(mac)!.identities.find((i) => userOf(i) === userOf(device)) ?? device, monitors: [] };
      this.lines.set(key, line);
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
        for (const m of line.monitors) await this.send(m, backInService(m));
      } catch (e) {
        this.phones.phoneLogger(line.mac)?.warn(`phone ${line.mac} refused the monitor on ${line.device}: ${(e as CstaSessionError).code}`);
      }
    };
    line.starting = run().finally(() => (line.starting = undefined));
    return line.starting;
  }

  private async stop(line: Line, m: ClientMonitor): Promise<void> {
    line.monitors = line.monitors.filter((x) => x.crossRef !== m.crossRef);
    this.byCrossRef.delete(m.crossRef);
    if (line.monitors.length > 0) return;
    this.lines.delete(line.key);
    const { phoneCrossRef, session } = line;
    line.phoneCrossRef = undefined;
    if (phoneCrossRef !== undefined && session?.open) await session.invoke('monitorStop', { crossRefIdentifier: phoneCrossRef }).catch(() => undefined);
  }

  private clientGone(client: XmlCstaSwitch): void {
    this.clients.delete(client);
    for (const m of [...this.byCrossRef.values()]) if (m.client === client) void this.stop(m.line, m);
  }

  /** A phone's (new) dialog: its events are routed to the lines, and lines waiting for it are monitored again. */
  private phoneSession(mac: string, s: XmlCstaSession): void {
    s.onEvent((e) => this.guard('phone event', () => this.phoneEvent(mac, s, e)));
    for (const line of this.lines.values()) if (line.mac === mac && line.phoneCrossRef === undefined) void this.startInPhone(line);
  }

  private phoneDown(mac: string): void {
    for (const line of this.lines.values()) {
      if (line.mac !== mac || line.phoneCrossRef === undefined) continue;
      line.phoneCrossRef = undefined;
      line.session = undefined;
      for (const m of line.monitors) void this.send(m, { category: 'deviceMaintenance', name: 'outOfService', monitorCrossRefId: m.crossRef, device: { id: m.device } });
    }
  }

  private phoneEvent(mac: string, s: XmlCstaSession, e: CstaEvent): void {
    for (const line of this.lines.values()) {
      if (line.mac !== mac || line.session !== s || line.phoneCrossRef !== e.monitorCrossRefId) continue;
      for (const m of line.monitors) void this.send(m, { ...e, monitorCrossRefId: m.crossRef } as CstaEvent);
    }
  }

  private async send(m: ClientMonitor, e: CstaEvent): Promise<void> {
    if (!m.client.carrier.open) return;
    await m.client.sendEvent(e).catch((err: Error) => this.o.logger?.warn(`a ${e.name} event to a client failed: ${err.message}`));
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
