// The uaCSTA server as one object the console and the command drive (manual §3): its settings (phone and client
// connection, access, advanced, diagnostics), start and stop with a coded reason when a start fails, the phone
// list with each phone's features, dialog state and last CSTA error, the enable switch, and the licence usage.
// Connection settings change only while the server is stopped, as in the manual.
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { coded, type Coded } from '../../../shared/problems';
import type { LogLevel } from '../../../shared/api/app';
import type { LicencePool } from '../../engine/licences';
import { Logger } from '../../log/logger';
import type { SipLogger } from '../../protocols/sip';
import { checkCertificate } from './certificate';
import { ClientInterface } from './client-interface';
import { featuresOf, type FeatureRow } from './features';
import { PhoneInterface, UacstaError, type CstaErrorNote, type DialogState, type PhoneRecord, type PhoneVendorName, type WanInterface } from './phone-interface';

/** One interface's LAN address and ports, and the optional WAN interface (manual §3.2, §3.3). */
export interface UacstaInterfaceSettings {
  host: string;
  tcpPort: number;
  /** Needs the certificate. */
  tlsPort?: number;
  wan?: WanInterface;
}

export interface UacstaDiagnostics {
  level: LogLevel;
  /** A log file is rotated when it would grow past this. */
  maxFileBytes: number;
  /** Log files of earlier days are deleted (at start and each day). */
  deleteDaily: boolean;
  /** Where the server writes its own log files; absent: lines go to the `logger` option. */
  directory?: string;
  /** Lines about single phones only for these MACs; empty: every phone. */
  logMacs: string[];
}

export interface UacstaSettings {
  phones: UacstaInterfaceSettings;
  /** Absent: no client interface. */
  clients?: UacstaInterfaceSettings;
  /** PEM; checked at start to be issued to the computer name. */
  certificate?: { cert: string; key: string };
  phonePassword: string;
  clientLogins: Array<{ user: string; password: string }>;
  /** "Automatically put phones into operation". */
  autoActivate: boolean;
  /** "SIP expiration time": what a REGISTER is granted at most, and when it asks for none (seconds). */
  expirySeconds: number;
  /** "Keep connection alive time" (seconds). */
  keepAliveSeconds: number;
  /** Vendors whose phones take CSTA in out-of-dialog NOTIFY. */
  notifyVendors: PhoneVendorName[];
  diagnostics?: UacstaDiagnostics;
}

/** The settings that change only while the server is stopped (the manual's connection pages). */
export const CONNECTION_SETTINGS = ['phones', 'clients', 'certificate', 'phonePassword', 'clientLogins', 'notifyVendors'] as const satisfies ReadonlyArray<keyof UacstaSettings>;

export const DEFAULT_UACSTA_SETTINGS: Omit<UacstaSettings, 'phonePassword'> = {
  phones: { host: '127.0.0.1', tcpPort: 5060 },
  clientLogins: [],
  autoActivate: false,
  expirySeconds: 300,
  keepAliveSeconds: 60,
  notifyVendors: [],
};

export type ServerState = 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';

export interface ServerStatus {
  state: ServerState;
  /** Why the last start failed (state `failed`). */
  problem?: Coded;
  startedAt?: number;
  /** The ports listened on (a configured 0 becomes the port the system chose). */
  listening: Array<{ interface: 'phones' | 'clients'; transport: 'TCP' | 'TLS'; host: string; port: number; advertised?: string }>;
  clients: number;
}

/** A phone as the console's list and detail show it. */
export interface PhoneView extends PhoneRecord {
  licensed: boolean;
  dialog: DialogState;
  lastCstaError?: CstaErrorNote;
  features: FeatureRow[];
}

export interface LicenceUsage {
  /** Connected phones holding a licence (each covers one monitored line). */
  phones: number;
  /** Distinct monitored lines (a line several clients monitor counts once). */
  lines: number;
  /** Lines beyond the first of their phone, each holding a licence of its own. */
  extraLines: number;
  /** Licences this server holds: phones + extra lines. */
  used: number;
  /** The shared pool (every driver on this PC): total, in use, free. */
  pool?: { total: number; inUse: number; free: number };
}

type ServerEvents = { phone: [PhoneView]; status: [ServerStatus] };

export interface UacstaServerOptions {
  settings: UacstaSettings;
  /** The stored phone list. */
  known?: PhoneRecord[];
  /** The licence pool all drivers share; without it nothing is counted. */
  licences?: Pick<LicencePool, 'lease' | 'release' | 'overview'>;
  /** The instance name the server's leases go under. */
  licenceInstanceId?: string;
  /** The computer name the certificate must be issued to (default: this host's name). */
  computerName?: string;
  /** Where log lines go when there are no diagnostics settings (with them, the server writes its own files). */
  logger?: SipLogger;
  now?: () => Date;
}

export const UACSTA_LICENCE_INSTANCE = 'uacsta-server';

/** The manual's SIP expiration time (registrations and CSTA dialogs) and keep-alive time, as the phone interface takes them. */
function timersOf(s: UacstaSettings) {
  return { keepAliveMs: s.keepAliveSeconds * 1000, defaultExpires: s.expirySeconds, maxExpires: Math.max(s.expirySeconds, 60), dialogExpires: s.expirySeconds };
}

export class UacstaServer extends EventEmitter<ServerEvents> {
  private current: UacstaSettings;
  private phonesIf?: PhoneInterface;
  private clientsIf?: ClientInterface;
  private state: ServerState = 'stopped';
  private problem?: Coded;
  private startedAt?: number;
  private known: PhoneRecord[];
  private logFiles?: Logger;
  private daily?: NodeJS.Timeout;
  /** Log lines go through here, so diagnostics changes take effect at once. */
  readonly log: SipLogger;

  constructor(private readonly o: UacstaServerOptions) {
    super();
    this.current = structuredClone(o.settings);
    this.known = o.known ?? [];
    // The diagnostics files get the English with its details; a coded entry keeps its code for the console.
    const line = (level: LogLevel) => (m: string | Coded, details?: unknown) => {
      const english = typeof m === 'string' ? m : m.message;
      const text = details === undefined ? english : `${english} ${JSON.stringify(details)}`;
      if (this.logFiles) this.logFiles.log(level, 'uacsta', typeof m === 'string' ? text : { ...m, message: text });
      else this.o.logger?.[level](m, details);
    };
    this.log = { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug') };
    this.applyDiagnostics();
  }

  settings(): UacstaSettings {
    return structuredClone(this.current);
  }

  /**
   * Changes settings. Connection settings only while stopped (`uacsta.stopToChange` names them); the others take
   * effect at once (keep-alive and expiry for registrations and dialogs from now on).
   */
  configure(patch: Partial<UacstaSettings>): UacstaSettings {
    const running = this.state !== 'stopped' && this.state !== 'failed';
    const changed = CONNECTION_SETTINGS.filter((k) => k in patch && JSON.stringify(patch[k]) !== JSON.stringify(this.current[k]));
    if (running && changed.length > 0) throw new UacstaError(coded('uacsta.stopToChange', { settings: changed.join(', ') }));
    this.current = { ...this.current, ...structuredClone(patch) };
    this.applyDiagnostics();
    if (this.phonesIf && 'autoActivate' in patch) this.phonesIf.autoActivate = this.current.autoActivate;
    if (this.phonesIf && ('keepAliveSeconds' in patch || 'expirySeconds' in patch)) this.phonesIf.setTimers(timersOf(this.current));
    return this.settings();
  }

  status(): ServerStatus {
    const listening: ServerStatus['listening'] = [];
    for (const [name, itf] of [['phones', this.phonesIf], ['clients', this.clientsIf]] as const) {
      for (const l of itf?.endpoint.servers ?? []) {
        const wan = this.current[name]?.wan;
        // a WAN listener: on the WAN address, or on the LAN one at the WAN ports
        const onWan = wan !== undefined && l.host === wan.host && (wan.host !== this.current[name]?.host || l.port === wan.port || l.port === wan.tlsPort);
        const pubPort = l.transport === 'TLS' ? wan?.publicTlsPort : wan?.publicPort;
        listening.push({ interface: name, transport: l.transport, host: l.host, port: l.port, ...(onWan ? { advertised: `${wan.publicHost}:${pubPort ?? l.port}` } : {}) });
      }
    }
    return { state: this.state, problem: this.problem, startedAt: this.startedAt, listening, clients: this.clientsIf?.clientCount ?? 0 };
  }

  /** Starts both interfaces; a failure (port taken, certificate not for this computer) leaves it `failed` with the reason. */
  async start(): Promise<ServerStatus> {
    if (this.state === 'running' || this.state === 'starting') return this.status();
    this.setState('starting');
    const s = this.current;
    try {
      const wantsTls = s.phones.tlsPort !== undefined || s.clients?.tlsPort !== undefined || s.phones.wan?.tlsPort !== undefined || s.clients?.wan?.tlsPort !== undefined;
      if (wantsTls) {
        if (!s.certificate) throw new UacstaError(coded('uacsta.certificateMissing', {}));
        const bad = checkCertificate(s.certificate, this.o.computerName ?? hostname(), this.o.now?.() ?? new Date());
        if (bad) throw new UacstaError(bad);
      }
      if (!s.phonePassword) throw new UacstaError(coded('uacsta.noPhonePassword', {}));
      const pem = s.certificate;
      const tlsOf = (i: UacstaInterfaceSettings) => (i.tlsPort !== undefined && pem ? { port: i.tlsPort, key: pem.key, cert: pem.cert } : undefined);
      const licences = this.o.licences && { pool: this.o.licences, instanceId: this.o.licenceInstanceId ?? UACSTA_LICENCE_INSTANCE };
      const phones = await this.listen('phones', s.phones, () =>
        PhoneInterface.start({
          host: s.phones.host, port: s.phones.tcpPort, tls: tlsOf(s.phones), wan: s.phones.wan, password: s.phonePassword,
          autoActivate: s.autoActivate, ...timersOf(s),
          notifyVendors: s.notifyVendors, known: this.known, logMacs: s.diagnostics?.logMacs, licences, logger: this.log,
        }),
      );
      this.phonesIf = phones;
      phones.on('changed', (r) => this.emit('phone', this.view(r)));
      if (s.clients) {
        const c = s.clients;
        this.clientsIf = await this.listen('clients', c, () => ClientInterface.start(phones, { host: c.host, port: c.tcpPort, tls: tlsOf(c), wan: c.wan, clients: s.clientLogins, licences, logger: this.log }));
      }
      this.startedAt = Date.now();
      this.problem = undefined;
      this.setState('running');
      this.log.info(startedEntry(this.status().listening));
      return this.status();
    } catch (e) {
      await this.shutDown();
      this.problem = e instanceof UacstaError ? e.problem : coded('uacsta.startFailed', { cause: (e as Error).message });
      // the caller says why (the command on stderr, the console from the status); no log line of its own
      this.setState('failed');
      throw e instanceof UacstaError ? e : new UacstaError(this.problem);
    }
  }

  async stop(): Promise<ServerStatus> {
    if (this.state === 'stopped' || this.state === 'failed') return this.status();
    this.setState('stopping');
    await this.shutDown();
    this.startedAt = undefined;
    this.setState('stopped');
    this.log.info(coded('logServers.serverStopped'));
    return this.status();
  }

  /** Stops and closes the log files (the process ends). */
  async close(): Promise<void> {
    await this.stop();
    clearInterval(this.daily);
  }

  phones(): PhoneView[] {
    return (this.phonesIf?.phones() ?? this.known.map((r) => ({ ...r, status: r.enabled ? 'offline' : 'disabled' }) as PhoneRecord)).map((r) => this.view(r));
  }

  phone(mac: string): PhoneView | undefined {
    return this.phones().find((p) => p.mac === mac.replace(/[:.-]/g, '').toLowerCase());
  }

  /** The enable switch; while stopped it is kept for the next start. */
  async setEnabled(mac: string, enabled: boolean): Promise<PhoneView> {
    if (this.phonesIf) return this.view(await this.phonesIf.setEnabled(mac, enabled));
    const m = mac.replace(/[:.-]/g, '').toLowerCase();
    const r = this.known.find((p) => p.mac === m);
    if (!r) throw new UacstaError(coded('uacsta.unknownPhone', { mac }));
    r.enabled = enabled;
    return this.view({ ...r, status: enabled ? 'offline' : 'disabled' });
  }

  /** What the diagnostics log files got lately (the console's Diagnostics page); none without diagnostics settings. */
  recentLog(limit: number) {
    return this.logFiles?.recent(limit) ?? [];
  }

  /** Whether lines about this phone are logged (the MAC filter). */
  phoneLogged(mac: string): boolean {
    const only = (this.current.diagnostics?.logMacs ?? []).map((m) => m.replace(/[:.-]/g, '').toLowerCase());
    return only.length === 0 || only.includes(mac.replace(/[:.-]/g, '').toLowerCase());
  }

  /** Which lines clients monitor, with how many clients each. */
  monitoredLines() {
    return this.clientsIf?.monitoredLines() ?? [];
  }

  async licenceUsage(): Promise<LicenceUsage> {
    const phones = (this.phonesIf?.phones() ?? []).filter((p) => this.o.licences && this.phonesIf?.licensed(p.mac) && p.status !== 'offline' && p.status !== 'disabled').length;
    const lines = this.monitoredLines();
    const extraLines = lines.filter((l) => l.ownLicence).length;
    const overview = await this.o.licences?.overview();
    return { phones, lines: lines.length, extraLines, used: phones + extraLines, ...(overview ? { pool: { total: overview.total, inUse: overview.inUse, free: overview.free } } : {}) };
  }

  private view(r: PhoneRecord): PhoneView {
    const d = this.phonesIf?.dialog(r.mac);
    return { ...r, licensed: !!this.phonesIf && r.status !== 'offline' && r.status !== 'disabled' && this.phonesIf.licensed(r.mac), dialog: d?.state ?? 'none', lastCstaError: d?.lastCstaError, features: featuresOf(r.vendor, r.firmware) };
  }

  /** Starts one interface; a port that cannot be listened on becomes `uacsta.listenFailed` naming it. */
  private async listen<T>(name: 'phones' | 'clients', i: UacstaInterfaceSettings, start: () => Promise<T>): Promise<T> {
    try {
      return await start();
    } catch (e) {
      const p = (e as { params?: Record<string, unknown> }).params ?? {};
      throw new UacstaError(coded('uacsta.listenFailed', { interface: name, host: String(p.host ?? i.host), port: String(p.port ?? i.tcpPort), cause: (e as Error).message }));
    }
  }

  private async shutDown(): Promise<void> {
    const phones = this.phonesIf;
    if (phones) this.known = phones.phones();
    await this.clientsIf?.close().catch(() => undefined);
    await phones?.close().catch(() => undefined);
    this.clientsIf = undefined;
    this.phonesIf = undefined;
  }

  private setState(state: ServerState): void {
    this.state = state;
    this.emit('status', this.status());
  }

  /** The diagnostics settings: own log files (level, size, directory), and daily deletion. */
  private applyDiagnostics(): void {
    const d = this.current.diagnostics;
    clearInterval(this.daily);
    this.daily = undefined;
    if (this.phonesIf) this.phonesIf.logMacs = d?.logMacs ?? [];
    if (!d?.directory) {
      this.logFiles = undefined;
      return;
    }
    if (!this.logFiles || this.logFiles.directory !== d.directory || this.logFiles.maxFileBytes !== d.maxFileBytes) this.logFiles = new Logger({ directory: d.directory, level: d.level, maxFileBytes: d.maxFileBytes, now: this.o.now });
    this.logFiles.level = d.level;
    if (d.deleteDaily) {
      const files = this.logFiles;
      const sweep = () => {
        try {
          files.deleteOlderThan(0);
        } catch (e) {
          this.o.logger?.warn(coded('logServers.oldLogsNotDeleted', { directory: d.directory!, detail: (e as Error).message }));
        }
      };
      sweep();
      this.daily = setInterval(sweep, 60 * 60_000);
      this.daily.unref();
    }
  }
}

/**
 * "uaCSTA server started" with what it listens on: the English lists every listener as before; the console gets
 * the phones' and the clients' listeners apart (a WAN listener with the public address peers are told).
 */
export function startedEntry(listening: ServerStatus['listening']): Coded {
  const detail = listening.map((l) => `${l.interface} ${l.transport} ${l.host}:${l.port}${l.advertised ? ` (public ${l.advertised})` : ''}`).join(', ');
  const of = (i: 'phones' | 'clients') => listening.filter((l) => l.interface === i).map((l) => `${l.transport} ${l.host}:${l.port}${l.advertised ? ` → ${l.advertised}` : ''}`).join(', ');
  const clients = of('clients');
  return clients ? coded('logServers.serverStartedWithClients', { phones: of('phones'), clients, detail }) : coded('logServers.serverStarted', { phones: of('phones'), detail });
}
