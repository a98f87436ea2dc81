// The uaCSTA server as a long-lived service of the app (the console's "SIP phone server" area): it keeps what the
// pages set (a configuration document; passwords and the certificate in the secret store; the phone list in
// <data-dir>/uacsta/phones.json) and drives one UacstaServer with it, turning its refusals into API codes and its
// phones, listeners and licence use into the status the console shows and is pushed on every change.
import { hostname } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { checkWritableDirectory } from '../../log/logger';
import { z } from 'zod';
import type { DocumentSpec, DocumentStore, SecretStore } from '../../store';
import type { LicencePool } from '../../engine/licences';
import { coded, type Coded } from '../../../shared/problems';
import {
  UACSTA_DEFAULT_SETTINGS,
  uacstaSettingsSchema,
  type UacstaCertificateInfo,
  type UacstaInterface,
  type UacstaPhone,
  type UacstaPhoneDetail,
  type UacstaSettings,
  type UacstaSettingsView,
  type UacstaStatus,
} from '../../../shared/api/uacsta';
import { X509Certificate } from 'node:crypto';
import { checkCertificate } from './certificate';
import { featuresOf } from './features';
import { UacstaError } from './phone-interface';
import { PhoneListFileError, readPhoneList, writePhoneList } from './phone-list-file';
import { startedEntry, UacstaServer, type PhoneView, type UacstaInterfaceSettings, type UacstaSettings as ServerSettings } from './server';
import { ProvisioningService } from './provisioning/service';
import type { PnpListenOptions } from './provisioning/pnp';
import { UACSTA_CLIENT_PASSWORD_SECRET, UACSTA_CLIENT_USER_SECRET, UACSTA_PHONE_PASSWORD_SECRET } from './secrets';

export const UACSTA_CERT_SECRET = 'uacsta/tls-cert';
export const UACSTA_KEY_SECRET = 'uacsta/tls-key';
export const UACSTA_SETTINGS_DOC = 'uacsta-server';
export const UACSTA_SETTINGS_SPEC: DocumentSpec<UacstaSettings> = { kind: 'uacsta-server', version: 1, schema: uacstaSettingsSchema as unknown as z.ZodType<UacstaSettings> };

export type UacstaRefusalCode = 'UACSTA_LOG_DIRECTORY_INVALID' | 'UACSTA_PORT_IN_USE' | 'UACSTA_CERTIFICATE_INVALID' | 'UACSTA_NOT_CONFIGURED' | 'UACSTA_LISTEN_FAILED' | 'UACSTA_PHONE_LIST_UNREADABLE' | 'UACSTA_RUNNING' | 'UACSTA_START_FAILED';

/** A refused start or settings change: the API code and its coded problem. */
export class UacstaServiceError extends Error {
  constructor(
    readonly code: UacstaRefusalCode,
    readonly problem: Coded,
  ) {
    super(problem.message);
  }
}

export interface UacstaSaveRequest {
  settings: UacstaSettings;
  phonePassword?: string;
  clientUser?: string;
  clientPassword?: string;
  cert?: string;
  key?: string;
}

export interface UacstaServiceOptions {
  dataDir: string;
  docs: DocumentStore;
  secrets: SecretStore;
  /** The licence pool every driver shares: a connected phone takes one licence (manual §3.8). */
  licences?: Pick<LicencePool, 'lease' | 'release' | 'overview'>;
  /** Every change of the status (phones, lines, start, stop). */
  notify?: (s: UacstaStatus) => void;
  /** The app's logger, for what the service itself does (the server's own lines go to its diagnostics log). */
  logger?: { info: (m: string | Coded) => void; warn: (m: string | Coded) => void; error: (m: string | Coded) => void };
  /** Where "Manage telephones" listens for plug and play (default: the SIP multicast group on all interfaces). */
  pnp?: PnpListenOptions;
  /** The name the TLS certificate must be issued to (default: this computer's name). */
  computerName?: string;
}

const CONNECTION_KEYS = ['phone', 'client', 'notifyVendors'] as const;

export class UacstaService {
  /** "Manage telephones": finding and provisioning phones through their web interface. */
  readonly provisioning: ProvisioningService;
  private server: UacstaServer | undefined;
  private startProblem: Coded | undefined;
  private notifyTimer: NodeJS.Timeout | undefined;
  private linesWatch: NodeJS.Timeout | undefined;
  private usage: UacstaStatus['licences'] = { phones: 0, lines: 0, extraLines: 0, used: 0 };

  constructor(private readonly o: UacstaServiceOptions) {
    this.provisioning = new ProvisioningService({
      docs: o.docs,
      secrets: o.secrets,
      settings: () => this.settings(),
      listening: () => {
        const l = this.server?.status().listening.filter((x) => x.interface === 'phones' && !x.advertised);
        const tcp = l?.find((x) => x.transport === 'TCP');
        return tcp && { tcpPort: tcp.port, tlsPort: l!.find((x) => x.transport === 'TLS')?.port };
      },
      pnp: o.pnp,
      logger: o.logger,
    });
  }

  get listPath(): string {
    return join(this.o.dataDir, 'uacsta', 'phones.json');
  }

  get running(): boolean {
    return this.server?.status().state === 'running';
  }

  async settings(): Promise<UacstaSettings> {
    return (await this.o.docs.read(UACSTA_SETTINGS_DOC, UACSTA_SETTINGS_SPEC)) ?? structuredClone(UACSTA_DEFAULT_SETTINGS);
  }

  async view(): Promise<UacstaSettingsView> {
    const s = this.o.secrets;
    const cert = await s.get(UACSTA_CERT_SECRET);
    return {
      settings: await this.settings(),
      phonePasswordSet: (await s.get(UACSTA_PHONE_PASSWORD_SECRET)) !== undefined,
      clientUser: (await s.get(UACSTA_CLIENT_USER_SECRET)) ?? null,
      clientPasswordSet: (await s.get(UACSTA_CLIENT_PASSWORD_SECRET)) !== undefined,
      certificate: cert ? certificateInfo(cert) : null,
      running: this.running,
    };
  }

  /**
   * Saves the pages' settings. Connection settings, logins and the certificate change only while the server is
   * stopped (manual §3.2); the others reach a running server at once. A certificate that cannot serve at all
   * (unreadable, not its key, out of its dates) is refused before anything is written.
   */
  async save(r: UacstaSaveRequest): Promise<UacstaSettingsView> {
    const current = await this.settings();
    if (this.running) {
      const changed = CONNECTION_KEYS.filter((k) => JSON.stringify(current[k]) !== JSON.stringify(r.settings[k]));
      const logins = [r.phonePassword && 'phonePassword', r.clientUser && 'clientUser', r.clientPassword && 'clientPassword', r.cert && 'certificate'].filter(Boolean) as string[];
      if (changed.length || logins.length) throw new UacstaServiceError('UACSTA_RUNNING', coded('uacsta.stopToChange', { settings: [...changed, ...logins].join(', ') }));
    }
    if (r.cert !== undefined && r.key !== undefined) {
      // the name is checked at start (the computer's name may differ from where the admin is now)
      const bad = checkCertificate({ cert: r.cert, key: r.key }, this.o.computerName ?? hostname(), new Date());
      if (bad && bad.code !== 'uacsta.certificateWrongName') throw new UacstaServiceError('UACSTA_CERTIFICATE_INVALID', bad);
    }
    const logDir = r.settings.diagnostics.logDirectory;
    if (logDir && logDir !== current.diagnostics.logDirectory) {
      // the server writes its log files there: an absolute folder it can write to, or nothing is saved
      const bad = (cause: string) => new UacstaServiceError('UACSTA_LOG_DIRECTORY_INVALID', coded('uacstaServer.logDirectoryInvalid', { directory: logDir, cause }));
      if (!isAbsolute(logDir)) throw bad('not an absolute path');
      try {
        checkWritableDirectory(logDir);
      } catch (e) {
        throw bad((e as NodeJS.ErrnoException).code ?? (e as Error).message);
      }
    }
    if (r.phonePassword !== undefined) await this.o.secrets.set(UACSTA_PHONE_PASSWORD_SECRET, r.phonePassword);
    if (r.clientUser !== undefined) await this.o.secrets.set(UACSTA_CLIENT_USER_SECRET, r.clientUser);
    if (r.clientPassword !== undefined) await this.o.secrets.set(UACSTA_CLIENT_PASSWORD_SECRET, r.clientPassword);
    if (r.cert !== undefined && r.key !== undefined) {
      await this.o.secrets.set(UACSTA_CERT_SECRET, r.cert);
      await this.o.secrets.set(UACSTA_KEY_SECRET, r.key);
    }
    await this.o.docs.write(UACSTA_SETTINGS_DOC, UACSTA_SETTINGS_SPEC, r.settings);
    if (this.running) this.server!.configure({ autoActivate: r.settings.autoActivate, expirySeconds: r.settings.expirySeconds, keepAliveSeconds: r.settings.keepAliveSeconds, diagnostics: this.diagnosticsOf(r.settings) });
    return this.view();
  }

  status(): UacstaStatus {
    const st = this.server?.status();
    const running = st?.state === 'running';
    return {
      running,
      ...(running && st.startedAt ? { since: new Date(st.startedAt).toISOString() } : {}),
      listening: running ? st.listening : [],
      phones: this.server ? this.server.phones().map(phoneView) : this.storedRecords().map((r) => ({ ...phoneView({ ...r, licensed: false }) })),
      lines: this.server?.monitoredLines() ?? [],
      licences: this.usage,
      ...(this.startProblem ? { startProblem: this.startProblem } : {}),
    };
  }

  /** Starts with the stored settings (a running server is left as it is). */
  async start(): Promise<UacstaStatus> {
    if (this.running) return this.status();
    try {
      const server = await this.prepare();
      await server.start().catch((e: unknown) => {
        throw refusal(e);
      });
      this.startProblem = undefined;
      this.watchLines();
      this.o.logger?.info(startedEntry(server.status().listening));
    } catch (e) {
      if (e instanceof UacstaServiceError) {
        this.startProblem = e.problem;
        this.o.logger?.warn(coded('logServers.serverNotStarted', { reason: e.problem }));
        this.push();
      }
      throw e;
    }
    this.push();
    return this.status();
  }

  async stop(): Promise<UacstaStatus> {
    clearInterval(this.linesWatch);
    if (this.server && this.running) {
      await this.server.stop();
      this.savePhoneList();
      this.o.logger?.info(coded('logServers.serverStopped'));
    }
    this.push();
    return this.status();
  }

  async setEnabled(mac: string, enabled: boolean): Promise<UacstaPhone> {
    const server = this.server ?? (await this.prepare());
    const view = await server.setEnabled(mac, enabled);
    // the manual's checkbox works whether or not the service runs: stopped, it is kept for the next start
    this.savePhoneList();
    this.push();
    return phoneView(view);
  }

  phoneDetail(mac: string): UacstaPhoneDetail | undefined {
    const v: PhoneView | undefined = this.server?.phone(mac) ?? this.storedRecords().map((r) => ({ ...r, licensed: false, dialog: 'none' as const, features: featuresOf(r.vendor, r.firmware) })).find((r) => r.mac === mac);
    if (!v) return undefined;
    const features = v.features.map((f) => ({ service: f.service, support: f.support === 'no' && f.since ? ('firmware' as const) : f.support, ...(f.since ? { since: f.since } : {}) }));
    const err = v.lastCstaError;
    return { ...phoneView(v), features: v.vendor === 'unknown' ? [] : features, dialog: v.dialog, ...(err ? { lastCstaError: { service: err.service, error: err.error, ...(err.reason ? { reason: err.reason } : {}), at: new Date(err.at).toISOString() } } : {}) };
  }

  /** The server's diagnostics log (what it wrote lately). */
  recentLog(limit: number) {
    return this.server?.recentLog(limit) ?? [];
  }

  async dispose(): Promise<void> {
    clearTimeout(this.notifyTimer);
    clearInterval(this.linesWatch);
    await this.server?.close();
  }

  /** The server object with the stored settings: made once (with the stored phone list), re-configured before each start. */
  private async prepare(): Promise<UacstaServer> {
    const settings = await this.serverSettings();
    if (this.server) {
      this.server.configure(settings);
      return this.server;
    }
    let known;
    try {
      known = readPhoneList(this.listPath);
    } catch (e) {
      if (e instanceof PhoneListFileError) throw new UacstaServiceError('UACSTA_PHONE_LIST_UNREADABLE', coded('uacstaServer.phoneListUnreadable', { cause: e.message }));
      throw e;
    }
    const server = new UacstaServer({ settings, known, licences: this.o.licences, computerName: this.o.computerName, logger: this.o.logger && { ...this.o.logger, debug: () => undefined } });
    server.on('phone', () => {
      this.savePhoneList();
      this.push();
    });
    server.on('status', () => this.push());
    this.server = server;
    return server;
  }

  /** What the server object runs with: the stored settings and, from the secret store, the logins and certificate. */
  private async serverSettings(): Promise<ServerSettings> {
    const s = await this.settings();
    const phonePassword = await this.o.secrets.get(UACSTA_PHONE_PASSWORD_SECRET);
    const clientUser = await this.o.secrets.get(UACSTA_CLIENT_USER_SECRET);
    const clientPassword = await this.o.secrets.get(UACSTA_CLIENT_PASSWORD_SECRET);
    if (phonePassword === undefined || clientUser === undefined || clientPassword === undefined) {
      const missing = [phonePassword === undefined && 'phonePassword', clientUser === undefined && 'clientUser', clientPassword === undefined && 'clientPassword'].filter(Boolean).join(', ');
      throw new UacstaServiceError('UACSTA_NOT_CONFIGURED', coded('uacstaServer.notConfigured', { missing }));
    }
    const cert = await this.o.secrets.get(UACSTA_CERT_SECRET);
    const key = await this.o.secrets.get(UACSTA_KEY_SECRET);
    return {
      phones: interfaceOf(s.phone),
      clients: interfaceOf(s.client),
      ...(cert && key ? { certificate: { cert, key } } : {}),
      phonePassword,
      clientLogins: [{ user: clientUser, password: clientPassword }],
      autoActivate: s.autoActivate,
      expirySeconds: s.expirySeconds,
      keepAliveSeconds: s.keepAliveSeconds,
      notifyVendors: s.notifyVendors,
      diagnostics: this.diagnosticsOf(s),
    };
  }

  private diagnosticsOf(s: UacstaSettings): ServerSettings['diagnostics'] {
    const d = s.diagnostics;
    return { level: d.logLevel, maxFileBytes: d.maxLogFileMb * 1024 * 1024, deleteDaily: d.deleteLogsDaily, directory: d.logDirectory || join(this.o.dataDir, 'logs', 'uacsta'), logMacs: d.logMacs };
  }

  private storedRecords() {
    try {
      return readPhoneList(this.listPath);
    } catch {
      return [];
    }
  }

  private savePhoneList(): void {
    if (!this.server) return;
    try {
      writePhoneList(this.listPath, this.server.phones());
    } catch (e) {
      this.o.logger?.error(coded('logServers.phoneListNotSaved', { file: this.listPath, detail: (e as Error).message }));
    }
  }

  /** Lines come and go with the clients' monitors: the status follows them (and the licence use) within 2 s. */
  private watchLines(): void {
    clearInterval(this.linesWatch);
    let seen = '';
    const check = async () => {
      const server = this.server;
      if (!server || !this.running) return;
      const usage = await server.licenceUsage().catch(() => this.usage);
      const now = JSON.stringify([server.monitoredLines(), usage]);
      if (now === seen) return;
      seen = now;
      this.usage = usage;
      this.push();
    };
    void check();
    this.linesWatch = setInterval(() => void check(), 2000);
    this.linesWatch.unref();
  }

  /** Pushes the status at most every 100 ms (a fleet registering at once is one push, not hundreds). */
  private push(): void {
    if (!this.o.notify || this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.o.notify?.(this.status());
    }, 100);
    this.notifyTimer.unref();
  }
}

function interfaceOf(i: UacstaInterface): UacstaInterfaceSettings {
  const w = i.wan;
  const optional = <K extends string>(k: K, v: number | undefined) => (v !== undefined ? ({ [k]: v } as Record<K, number>) : {});
  const wan = w && { host: w.host, port: w.tcpPort, ...optional('tlsPort', w.tlsPort), publicHost: w.publicHost, ...optional('publicPort', w.publicPort), ...optional('publicTlsPort', w.publicTlsPort) };
  return { host: i.lan, tcpPort: i.tcpPort, ...optional('tlsPort', i.tlsPort), ...(wan ? { wan } : {}) };
}

function phoneView(p: PhoneView | (Omit<PhoneView, 'dialog' | 'features'> & Partial<PhoneView>)): UacstaPhone {
  const { mac, type, vendor, firmware, lastIp, identity, identities, lastLogin, status, enabled, problem, licensed } = p;
  return {
    mac, type, vendor, lastIp, identities, status, enabled, licensed,
    ...(firmware ? { firmware } : {}),
    ...(identity ? { identity } : {}),
    ...(lastLogin > 0 ? { lastLogin: new Date(lastLogin).toISOString() } : {}),
    ...(problem ? { problem } : {}),
  };
}

/** The server's refusal as the API's: a taken port and a bad certificate get codes of their own. */
function refusal(e: unknown): Error {
  if (!(e instanceof UacstaError)) return e as Error;
  const p = e.problem;
  if (p.code.startsWith('uacsta.certificate')) return new UacstaServiceError('UACSTA_CERTIFICATE_INVALID', p);
  if (p.code === 'uacsta.noPhonePassword') return new UacstaServiceError('UACSTA_NOT_CONFIGURED', p);
  if (p.code === 'uacsta.listenFailed') {
    const taken = /EADDRINUSE/.test(String(p.params?.cause ?? ''));
    return taken ? new UacstaServiceError('UACSTA_PORT_IN_USE', coded('uacstaServer.portInUse', { bind: String(p.params?.host), port: Number(p.params?.port) })) : new UacstaServiceError('UACSTA_LISTEN_FAILED', p);
  }
  return new UacstaServiceError('UACSTA_START_FAILED', p);
}

export function certificateInfo(pem: string): UacstaCertificateInfo | null {
  try {
    const c = new X509Certificate(pem);
    const cn = /CN=([^\n,]+)/.exec(c.subject)?.[1];
    const alt = (c.subjectAltName ?? '').split(',').map((x) => x.trim().replace(/^(DNS|IP Address):/, '')).filter(Boolean);
    return { subject: c.subject.replace(/\n/g, ', '), names: [...new Set([...(cn ? [cn] : []), ...alt])], validFrom: new Date(c.validFrom).toISOString(), validTo: new Date(c.validTo).toISOString() };
  } catch {
    return null;
  }
}
