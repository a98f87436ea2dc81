// The uaCSTA server's phone interface (manual §3.2, §3.4, §4.1.1): a SIP registrar for phones (the MAC address as
// user name, one password for all, digest); after a phone registers, the server opens the CSTA dialog to its
// binding (INVITE, CSTA XML in INFO), registers for configuration changes where the phone takes SystemRegister,
// reads its identities (GetSwitchingFunctionDevices) and keeps the dialog alive, re-opening it when it drops.
// The phone list is what the manual's "Telephones" page shows.
import { EventEmitter } from 'node:events';
import { CstaSessionError, type CstaSwitchRequest } from '../../protocols/csta/model';
import { openCstaSession, type XmlCstaSession } from '../../protocols/csta-xml';
import { DigestServer, header, type DigestAlgorithm, normaliseMacUser, Registrar, SipEndpoint, type Binding, type IncomingRequest, type RemovalReason, type SipLogger } from '../../protocols/sip';
import { causeProblem, coded, type Coded } from '../../../shared/problems';
import type { Lease, LicencePool } from '../../engine/licences';
import { firmwareOf, supportOf } from './features';
import { guarded } from './guard';

export type PhoneStatus = 'registered' | 'controllable' | 'offline' | 'disabled';

export interface PhoneRecord {
  /** 12 lower-case hex digits. */
  mac: string;
  /** The User-Agent it registered with (vendor, model, firmware). */
  type: string;
  vendor: PhoneVendorName;
  /** The firmware version from the User-Agent, when it names one. */
  firmware?: string;
  lastIp: string;
  /** The identity (device ID) the server monitors it by: the first the phone reported. */
  identity?: string;
  identities: string[];
  /** Epoch ms of the last successful REGISTER. */
  lastLogin: number;
  status: PhoneStatus;
  enabled: boolean;
  /** Why the last attempt to control it failed (coded). */
  problem?: Coded;
}

export type PhoneVendorName = 'snom' | 'yealink' | 'auerswald' | 'mitel' | 'unknown';

/** The vendor from a User-Agent, as the manual's phone list types them. */
export function vendorOf(userAgent: string): PhoneVendorName {
  const ua = userAgent.toLowerCase();
  if (ua.startsWith('snom')) return 'snom';
  if (ua.includes('yealink')) return 'yealink';
  if (ua.includes('auerswald') || ua.includes('comfortel')) return 'auerswald';
  if (ua.includes('mitel') || ua.includes('aastra')) return 'mitel';
  return 'unknown';
}

/** The manual's WAN interface: a second address to listen on, and the public address (NAT) peers are told. */
export interface WanInterface {
  host: string;
  port: number;
  /** A TLS port on the WAN address (needs the certificate). */
  tlsPort?: number;
  /** The public IP address or DNS name, and ports if the NAT maps others, as peers reaching the WAN address see them. */
  publicHost: string;
  publicPort?: number;
  publicTlsPort?: number;
}

/** The shared licence pool and the name the server's leases go under (one per connected phone). */
export interface UacstaLicences {
  pool: Pick<LicencePool, 'lease' | 'release'>;
  instanceId: string;
}

/** The last CSTA request to a phone that failed: the service, the error, and why (the console's phone detail). */
export interface CstaErrorNote {
  service: string;
  error: string;
  reason?: string;
  at: number;
}

export interface PhoneInterfaceOptions {
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  /** A TLS port too (5061 in the manual), with the server's certificate (PEM). */
  tls?: { port: number; key: string | Buffer; cert: string | Buffer };
  wan?: WanInterface;
  /** One licence per connected phone: a phone the pool has none for stays registered with `uacsta.noLicence`. */
  licences?: UacstaLicences;
  /** The one password every phone logs in with. */
  password: string;
  /** "Automatically put phones into operation": a new phone is enabled at its first registration (default true). */
  autoActivate?: boolean;
  /** "Keep connection alive time": RequestSystemStatus in the dialog this often (default 60 s). */
  keepAliveMs?: number;
  /** How long after a dropped or failed dialog the server tries again while the phone stays registered (default 5 s). */
  reopenMs?: number;
  /** Vendors whose phones take CSTA in out-of-dialog NOTIFY (Event: uaCSTA) instead of an INVITE dialog. */
  notifyVendors?: PhoneVendorName[];
  /** How long a request to a phone waits for its answer (default 10 s). */
  answerTimeoutMs?: number;
  /** How long the phone has to report its identities (default 5 s). */
  identitiesTimeoutMs?: number;
  /** The digest algorithms phones are challenged with (default MD5 only, what the phones of the manual know). */
  digestAlgorithms?: DigestAlgorithm[];
  minExpires?: number;
  maxExpires?: number;
  /** The manual's "SIP expiration time": what the server grants a REGISTER that names no expiry. */
  defaultExpires?: number;
  /** The same time for the CSTA dialogs: Session-Expires on the INVITE, refreshed (UPDATE or re-INVITE) at half of it; absent or 0: none. */
  dialogExpires?: number;
  realm?: string;
  logger?: SipLogger;
  /** Phones known from before (the stored phone list): they are listed offline with their enable switch. */
  known?: PhoneRecord[];
  /** The manual's log filter: per-phone log lines only for these MACs (any spelling); empty or absent: all phones. */
  logMacs?: string[];
  now?: () => number;
}

const MAC = /^[0-9a-f]{12}$/;

/** Why a registration went, as the log entry's code. */
const REMOVED = { unregistered: 'logServers.phoneUnregistered', expired: 'logServers.phoneRegistrationExpired', 'connection-closed': 'logServers.phoneConnectionClosed' } as const satisfies Record<RemovalReason, string>;

/** A refusal of the server's own API, with its coded problem. */
export class UacstaError extends Error {
  constructor(readonly problem: Coded) {
    super(problem.message);
  }
}

interface PhoneState {
  record: PhoneRecord;
  binding?: Binding;
  session?: XmlCstaSession;
  /** Set while a dialog is being opened, so a refresh does not open a second. */
  opening?: Promise<void>;
  retry?: NodeJS.Timeout;
  licence?: Lease;
  lastCstaError?: CstaErrorNote;
  /** Segments of a device list the phone sends on its own, gathered up to the last. */
  changedDevices?: string[];
}

export type DialogState = 'open' | 'opening' | 'none';

type PhoneEvents = {
  changed: [PhoneRecord];
  /** A phone became controllable over a new CSTA dialog (the first, or one re-opened after a drop). */
  session: [string, XmlCstaSession];
};

export class PhoneInterface extends EventEmitter<PhoneEvents> {
  private readonly phonesByMac = new Map<string, PhoneState>();
  /** Phones by the user part of each identity (`setIdentities` keeps it). */
  private readonly byUser = new Map<string, Set<PhoneState>>();
  private readonly registrar: Registrar;
  private readonly now: () => number;
  private userAgent = '';
  private closed = false;
  /** "Automatically put phones into operation" (changes apply to phones registering for the first time). */
  autoActivate: boolean;
  /** The log filter by MAC (empty: every phone). */
  logMacs: string[];
  private readonly guard: ReturnType<typeof guarded>;

  private constructor(readonly endpoint: SipEndpoint, private readonly o: PhoneInterfaceOptions) {
    super();
    this.now = o.now ?? Date.now;
    this.autoActivate = o.autoActivate ?? true;
    this.logMacs = o.logMacs ?? [];
    this.guard = guarded(o.logger, 'phones');
    this.registrar = new Registrar({
      minExpires: o.minExpires, maxExpires: o.maxExpires, defaultExpires: o.defaultExpires,
      // MD5 only by default: the manual's phone firmware knows no other; SIPp answers the first challenge only, and
      // baresip 1.0 (libre) gives up on a challenge set that includes SHA-256 at all
      auth: { server: new DigestServer({ realm: o.realm ?? 'uacsta', algorithms: o.digestAlgorithms ?? ['MD5'] }), password: (user) => (MAC.test(normaliseMacUser(user)) ? o.password : undefined) },
    });
    this.registrar.on('added', (b) => this.guard('registered', () => this.registered(b, false)));
    this.registrar.on('refreshed', (b) => this.guard('refreshed', () => this.registered(b, true)));
    this.registrar.on('removed', (b, why) => this.guard('removed', () => this.removed(b, why)));
    endpoint.on('request', (inc) => this.guard('request', () => this.request(inc), () => inc.respond(500)));
    for (const r of o.known ?? []) {
      const mac = normaliseMacUser(r.mac);
      if (!MAC.test(mac)) continue;
      const p: PhoneState = { record: { ...r, mac, identities: [], status: r.enabled ? 'offline' : 'disabled', problem: undefined } };
      this.phonesByMac.set(mac, p);
      this.setIdentities(p, [...r.identities]);
      p.record.identity = r.identity;
    }
  }

  static async start(o: PhoneInterfaceOptions): Promise<PhoneInterface> {
    const ep = await SipEndpoint.start({ user: 'uacsta', listen: listenersOf(o.host, o.port ?? 5060, o.tls, o.wan), logger: o.logger, timers: { tryingMs: 200 } });
    // a copy: setTimers changes it
    return new PhoneInterface(ep, { ...o });
  }

  /** Keep-alive and expiry changed on a running server: they count for registrations and dialogs from now on. */
  setTimers(t: Pick<PhoneInterfaceOptions, 'keepAliveMs' | 'defaultExpires' | 'maxExpires' | 'dialogExpires'>): void {
    Object.assign(this.o, t);
    this.registrar.setExpiry({ maxExpires: t.maxExpires, defaultExpires: t.defaultExpires });
  }

  get port(): number {
    return this.endpoint.servers[0].port;
  }

  get tlsPort(): number | undefined {
    return this.endpoint.servers.find((l) => l.transport === 'TLS')?.port;
  }

  /** The phone list, most recently logged in first. */
  phones(): PhoneRecord[] {
    return [...this.phonesByMac.values()].map((p) => ({ ...p.record })).sort((a, b) => b.lastLogin - a.lastLogin);
  }

  phone(mac: string): PhoneRecord | undefined {
    const p = this.phonesByMac.get(normaliseMacUser(mac));
    return p && { ...p.record };
  }

  /** The open CSTA session to a controllable phone (the client interface sends its requests through it). */
  session(mac: string): XmlCstaSession | undefined {
    const s = this.phonesByMac.get(normaliseMacUser(mac))?.session;
    return s?.open ? s : undefined;
  }

  /** The CSTA dialog's state and the last CSTA error of a phone (the console's phone detail). */
  dialog(mac: string): { state: DialogState; lastCstaError?: CstaErrorNote } | undefined {
    const p = this.phonesByMac.get(normaliseMacUser(mac));
    if (!p) return undefined;
    return { state: p.session?.open ? 'open' : p.opening ? 'opening' : 'none', lastCstaError: p.lastCstaError && { ...p.lastCstaError } };
  }

  /** Notes a failed CSTA request to a phone (refused by the phone, or by the server for its vendor). */
  noteCstaError(mac: string, e: Omit<CstaErrorNote, 'at'>): void {
    const p = this.phonesByMac.get(normaliseMacUser(mac));
    if (p) p.lastCstaError = { ...e, at: this.now() };
  }

  /** Whether the phone holds its licence (always true without a licence pool). */
  licensed(mac: string): boolean {
    const p = this.phonesByMac.get(normaliseMacUser(mac));
    return !!p && (!this.o.licences || p.licence !== undefined);
  }

  /** The logger for lines about one phone: none when the log filter leaves that phone out. */
  phoneLogger(mac: string): SipLogger | undefined {
    const only = this.logMacs.map(normaliseMacUser);
    return only.length === 0 || only.includes(normaliseMacUser(mac)) ? this.o.logger : undefined;
  }

  /** The MAC of the controllable phone that has `device` among its identities (matched by user part, as phones do). */
  phoneOf(device: string): string | undefined {
    for (const p of this.byUser.get(userOf(device)) ?? []) if (p.session?.open) return p.record.mac;
    return undefined;
  }

  /** A phone's identities, and the index by user part every client request looks phones up in. */
  private setIdentities(p: PhoneState, identities: string[]): void {
    for (const id of p.record.identities) {
      const same = this.byUser.get(userOf(id));
      same?.delete(p);
      if (same?.size === 0) this.byUser.delete(userOf(id));
    }
    p.record.identities = identities;
    p.record.identity = identities[0];
    for (const id of identities) {
      let same = this.byUser.get(userOf(id));
      if (!same) this.byUser.set(userOf(id), (same = new Set()));
      same.add(p);
    }
  }

  /** The enable switch of the phone list: off ends the CSTA dialog, on opens it when the phone is registered. */
  async setEnabled(mac: string, enabled: boolean): Promise<PhoneRecord> {
    const p = this.phonesByMac.get(normaliseMacUser(mac));
    if (!p) throw new UacstaError(coded('uacsta.unknownPhone', { mac }));
    p.record.enabled = enabled;
    if (!enabled) {
      clearTimeout(p.retry);
      this.releaseLicence(p);
      const s = p.session;
      p.session = undefined;
      await s?.close();
    }
    this.update(p);
    if (enabled && p.binding && !p.session) await this.open(p);
    return { ...p.record };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.registrar.close();
    for (const p of this.phonesByMac.values()) {
      clearTimeout(p.retry);
      this.releaseLicence(p);
      await p.session?.close().catch(() => undefined);
    }
    await this.endpoint.close();
  }

  private request(inc: IncomingRequest): void {
    switch (inc.request.method) {
      case 'REGISTER':
        // the registrar's events fire inside handle(), where the User-Agent of this very REGISTER is wanted
        this.userAgent = header(inc.request, 'User-Agent') ?? '';
        try {
          this.registrar.handle(inc);
        } finally {
          this.userAgent = '';
        }
        return;
      case 'OPTIONS':
        return inc.respond(200);
      case 'NOTIFY':
        // a phone's CSTA in NOTIFY: its session's carrier (listening on the same endpoint) answers it
        if ([...this.phonesByMac.values()].some((p) => p.session && p.binding?.connection === inc.connection && this.notifyMode(p))) return;
        return inc.respond(481, { reason: 'No CSTA Session' });
      default:
        // phones register and answer here; they open nothing
        return inc.respond(405, { headers: [{ name: 'Allow', value: 'REGISTER, OPTIONS' }] });
    }
  }

  private registered(b: Binding, refresh: boolean): void {
    let p = this.phonesByMac.get(b.key);
    if (!p) {
      p = { record: { mac: b.key, type: '', vendor: 'unknown', lastIp: '', identities: [], lastLogin: 0, status: 'registered', enabled: this.autoActivate } };
      this.phonesByMac.set(b.key, p);
    }
    p.binding = b;
    if (this.userAgent) {
      p.record.type = this.userAgent;
      p.record.vendor = vendorOf(this.userAgent);
      p.record.firmware = firmwareOf(this.userAgent);
    }
    p.record.lastIp = b.connection.remote.host;
    p.record.lastLogin = this.now();
    if (!refresh) this.phoneLogger(b.key)?.info(coded('logServers.phoneRegistered', { mac: b.key, address: `${b.connection.remote.host}:${b.connection.remote.port}`, type: p.record.type || '?' }));
    this.update(p);
    if (p.record.enabled && !p.session?.open && !p.opening) void this.open(p);
  }

  private removed(b: Binding, why: RemovalReason): void {
    const p = this.phonesByMac.get(b.key);
    if (!p || p.binding !== b) return;
    this.phoneLogger(b.key)?.info(coded(REMOVED[why], { mac: b.key }));
    p.binding = undefined;
    clearTimeout(p.retry);
    this.releaseLicence(p);
    const s = p.session;
    p.session = undefined;
    void s?.close().catch(() => undefined);
    this.update(p);
  }

  private notifyMode(p: PhoneState): boolean {
    return this.o.notifyVendors?.includes(p.record.vendor) ?? false;
  }

  /** Opens the CSTA dialog and reads the identities; on failure the phone stays registered and it is tried again. */
  private open(p: PhoneState): Promise<void> {
    const run = async () => {
      const b = p.binding;
      if (!b || this.closed) return;
      if (!(await this.takeLicence(p))) return this.retryLater(p);
      let session: XmlCstaSession | undefined;
      try {
        session = await openCstaSession(this.endpoint, {
          mode: this.notifyMode(p) ? 'notify' : 'dialog',
          uri: b.contact, connection: b.connection, to: b.aor, from: `<sip:uacsta@${this.endpoint.sentBy(b.connection).host}>`,
          keepAlive: { intervalMs: this.o.keepAliveMs ?? 60_000 }, invokeTimeoutMs: this.o.answerTimeoutMs, logger: this.o.logger,
          ...(this.o.dialogExpires ? { sessionTimer: { seconds: this.o.dialogExpires } } : {}),
        });
        const s = session;
        // configuration changes where the vendor takes SystemRegister (manual's tables); a refusal is fine too
        if (typeof supportOf(p.record.vendor, p.record.firmware, 'systemRegister') !== 'object') await s.invoke('systemRegister', { requestTypes: ['switchingFunctionDevicesChanged'] }).catch(() => undefined);
        const identities = await this.identities(s);
        if (p.binding !== b || !p.record.enabled || this.closed) {
          await s.close();
          return;
        }
        p.session = s;
        this.setIdentities(p, identities);
        p.record.problem = undefined;
        s.onRequest((r) => this.guard('device list', () => this.devicesChanged(p, s, r)));
        s.onLost((e) => this.guard('dialog lost', () => this.lost(p, s, e)));
        this.phoneLogger(p.record.mac)?.info(coded('logServers.phoneControllable', { mac: p.record.mac, identities: identities.join(', ') || '-' }));
        this.update(p);
        this.emit('session', p.record.mac, s);
      } catch (e) {
        await session?.close().catch(() => undefined);
        // By its code, which the console words; the English detail goes to the log.
        const cause = causeProblem(e instanceof CstaSessionError ? e.code : String((e as { code?: unknown }).code ?? 'INTERNAL'));
        p.record.problem = session ? coded('uacsta.identitiesFailed', { mac: p.record.mac, cause }) : coded('uacsta.dialogFailed', { mac: p.record.mac, cause });
        // a licence is for a phone the server controls: one it cannot control gives it back until it can
        this.releaseLicence(p);
        this.phoneLogger(p.record.mac)?.warn(p.record.problem);
        this.update(p);
        this.retryLater(p);
      }
    };
    const opening = run().finally(() => {
      if (p.opening === opening) p.opening = undefined;
    });
    p.opening = opening;
    return opening;
  }

  /** GetSwitchingFunctionDevices, then the segments the phone sends as requests of their own, up to the last. */
  private identities(s: XmlCstaSession): Promise<string[]> {
    return new Promise<string[]>((resolve, reject) => {
      const found: string[] = [];
      let ref: string | undefined;
      const timer = setTimeout(() => {
        off();
        reject(new CstaSessionError('CSTA_TIMEOUT', 'the phone sent no device list'));
      }, this.o.identitiesTimeoutMs ?? 5000);
      const off = s.onRequest((r) => {
        if (r.service !== 'switchingFunctionDevices' || (ref !== undefined && r.args.serviceCrossRefID !== ref)) return;
        found.push(...r.args.deviceList.map((d) => d.deviceID.id));
        if (r.args.lastSegment) {
          clearTimeout(timer);
          off();
          resolve(found);
        }
      });
      s.invoke('getSwitchingFunctionDevices', {}).then(
        (res) => (ref = res.serviceCrossRefID),
        (e) => {
          clearTimeout(timer);
          off();
          reject(e);
        },
      );
    });
  }

  /** A device list the phone sends later (after SystemRegister, its configuration changed) replaces the identities. */
  private devicesChanged(p: PhoneState, s: XmlCstaSession, r: CstaSwitchRequest): void {
    if (p.session !== s || r.service !== 'switchingFunctionDevices') return;
    const devices = [...(p.changedDevices ?? []), ...r.args.deviceList.map((d) => d.deviceID.id)];
    p.changedDevices = r.args.lastSegment ? undefined : devices;
    if (!r.args.lastSegment || devices.length === 0) return;
    this.setIdentities(p, devices);
    this.update(p);
  }

  private lost(p: PhoneState, s: XmlCstaSession, e: CstaSessionError): void {
    if (p.session !== s) return;
    p.session = undefined;
    this.releaseLicence(p);
    p.record.problem = coded('uacsta.dialogLost', { mac: p.record.mac, cause: causeProblem(e.code) });
    this.phoneLogger(p.record.mac)?.warn(p.record.problem);
    this.update(p);
    this.retryLater(p);
  }

  /** A connected phone's licence from the shared pool; none free: the phone waits with `uacsta.noLicence`. */
  private async takeLicence(p: PhoneState): Promise<boolean> {
    const l = this.o.licences;
    if (!l || p.licence) return true;
    try {
      p.licence = await l.pool.lease(l.instanceId, p.record.mac, 'phone');
      return true;
    } catch (e) {
      p.record.problem = coded('uacsta.noLicence', { mac: p.record.mac, cause: licenceCause(e) });
      this.phoneLogger(p.record.mac)?.warn(p.record.problem);
      this.update(p);
      return false;
    }
  }

  private releaseLicence(p: PhoneState): void {
    if (p.licence) this.o.licences?.pool.release(p.licence);
    p.licence = undefined;
  }

  private retryLater(p: PhoneState): void {
    clearTimeout(p.retry);
    if (this.closed || !p.binding || !p.record.enabled) return;
    p.retry = setTimeout(() => {
      if (p.binding && p.record.enabled && !p.session && !p.opening) void this.open(p);
    }, this.o.reopenMs ?? 5000);
    p.retry.unref();
  }

  private update(p: PhoneState): void {
    p.record.status = !p.record.enabled ? 'disabled' : !p.binding ? 'offline' : p.session?.open ? 'controllable' : 'registered';
    this.emit('changed', { ...p.record });
  }
}

/** `sip:201@host:5060;tel=…` and `201` name the same device: phones compare user parts (reference addendum §1.4). */
export function userOf(device: string): string {
  return device.replace(/^sips?:/i, '').split(/[@;]/)[0];
}

/**
 * The TCP listener, and the TLS one when there is a certificate; 127.0.0.1 unless told otherwise. A WAN
 * interface adds its own listeners, which tell peers the public address instead of their own.
 */
export function listenersOf(host: string | undefined, port: number, tls: { port: number; key: string | Buffer; cert: string | Buffer } | undefined, wan?: WanInterface) {
  const h = host ?? '127.0.0.1';
  const pem = tls && { key: tls.key, cert: tls.cert };
  return [
    { host: h, port },
    ...(pem ? [{ host: h, port: tls.port, tls: pem }] : []),
    ...(wan ? [{ host: wan.host, port: wan.port, advertise: { host: wan.publicHost, port: wan.publicPort } }] : []),
    ...(wan && pem && wan.tlsPort !== undefined ? [{ host: wan.host, port: wan.tlsPort, tls: pem, advertise: { host: wan.publicHost, port: wan.publicTlsPort } }] : []),
  ];
}

/** Why the pool gave no licence, as a coded fact the console words: all in use, none there at all, or another cause. */
function licenceCause(e: unknown): Coded {
  const total = (e as { details?: { total?: unknown } }).details?.total;
  if ((e as { code?: string }).code === 'LICENCE_POOL_EMPTY' && typeof total === 'number') return total > 0 ? coded('uacsta.licencesInUse', { total }) : coded('uacsta.noLicencesLeft');
  return causeProblem((e as { code?: string }).code ?? 'INTERNAL');
}
