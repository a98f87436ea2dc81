// The uaCSTA server as a long-lived service of the app (the console's "SIP phone server" area): settings kept as a
// configuration document, passwords and the certificate's key in the secret store, start and stop with the reason
// a start failed as a code, the phone list and monitored lines pushed on every change.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import type { DocumentSpec, DocumentStore, SecretStore } from '../../store';
import { Logger } from '../../log/logger';
import { coded, type Coded } from '../../../shared/problems';
import {
  UACSTA_DEFAULT_SETTINGS,
  uacstaSettingsSchema,
  type UacstaCertificateInfo,
  type UacstaPhone,
  type UacstaPhoneDetail,
  type UacstaSettings,
  type UacstaSettingsView,
  type UacstaStatus,
} from '../../../shared/api/uacsta';
import { ClientInterface } from './client-interface';
import { FEATURE_TABLES, atLeast } from './features';
import { PhoneInterface, type PhoneRecord } from './phone-interface';
import { PhoneListFileError, readPhoneList, writePhoneList } from './phone-list-file';
import { ProvisioningService } from './provisioning/service';
import type { PnpListenOptions } from './provisioning/pnp';
import { UACSTA_CLIENT_PASSWORD_SECRET, UACSTA_CLIENT_USER_SECRET, UACSTA_PHONE_PASSWORD_SECRET } from './secrets';

export const UACSTA_CERT_SECRET = 'uacsta/tls-cert';
export const UACSTA_KEY_SECRET = 'uacsta/tls-key';
export const UACSTA_SETTINGS_DOC = 'uacsta-server';
export const UACSTA_SETTINGS_SPEC: DocumentSpec<UacstaSettings> = { kind: 'uacsta-server', version: 1, schema: uacstaSettingsSchema as unknown as z.ZodType<UacstaSettings> };

export type UacstaStartCode = 'UACSTA_PORT_IN_USE' | 'UACSTA_CERTIFICATE_INVALID' | 'UACSTA_NOT_CONFIGURED' | 'UACSTA_LISTEN_FAILED' | 'UACSTA_PHONE_LIST_UNREADABLE';

/** A refused start or settings change: the API code, its coded problem (for the status page) and its facts. */
export class UacstaServiceError extends Error {
  constructor(
    readonly code: UacstaStartCode | 'UACSTA_RUNNING',
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
  /** Every change of the status (phones, lines, start, stop). */
  notify?: (s: UacstaStatus) => void;
  /** The app's logger, for what the service itself does (the server's own lines go to its diagnostics log). */
  logger?: { info(m: string): void; warn(m: string): void; error(m: string): void };
  /** Test-time tuning passed to the phone interface (a short re-open time). */
  phoneTuning?: { reopenMs?: number; answerTimeoutMs?: number };
  /** Where "Manage telephones" listens for plug and play (default: the SIP multicast group on all interfaces). */
  pnp?: PnpListenOptions;
}

interface Running {
  phones: PhoneInterface;
  clients: ClientInterface;
  logger: Logger;
  since: string;
  settings: UacstaSettings;
  dailyCleanup?: NodeJS.Timeout;
}

const CONNECTION_KEYS = ['phone', 'client'] as const;

export class UacstaService {
  private running: Running | undefined;
  private startProblem: Coded | undefined;
  private readonly cstaErrors = new Map<string, { service: string; error: string; at: string }>();
  private notifyTimer: NodeJS.Timeout | undefined;

  /** "Manage telephones": finding and provisioning phones through their web interface. */
  readonly provisioning: ProvisioningService;

  constructor(private readonly o: UacstaServiceOptions) {
    this.provisioning = new ProvisioningService({ docs: o.docs, secrets: o.secrets, settings: () => this.settings(), listening: () => this.status().listening?.phone, pnp: o.pnp, logger: o.logger });
  }

  get listPath(): string {
    return join(this.o.dataDir, 'uacsta', 'phones.json');
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
      running: this.running !== undefined,
    };
  }

  /**
   * Saves the pages' settings. Connection settings, logins and the certificate change only while the server is
   * stopped (manual §3.2); a certificate that cannot serve is refused before anything is written.
   */
  async save(r: UacstaSaveRequest): Promise<UacstaSettingsView> {
    const current = await this.settings();
    if (this.running) {
      const changed = CONNECTION_KEYS.filter((k) => JSON.stringify(current[k]) !== JSON.stringify(r.settings[k]));
      const logins = [r.phonePassword && 'phonePassword', r.clientUser && 'clientUser', r.clientPassword && 'clientPassword', r.cert && 'certificate'].filter(Boolean) as string[];
      if (changed.length || logins.length) throw new UacstaServiceError('UACSTA_RUNNING', coded('uacstaServer.running', { fields: [...changed, ...logins].join(', ') }));
    }
    if (r.cert !== undefined && r.key !== undefined) checkCertificate(r.cert, r.key, []);
    if (r.phonePassword !== undefined) await this.o.secrets.set(UACSTA_PHONE_PASSWORD_SECRET, r.phonePassword);
    if (r.clientUser !== undefined) await this.o.secrets.set(UACSTA_CLIENT_USER_SECRET, r.clientUser);
    if (r.clientPassword !== undefined) await this.o.secrets.set(UACSTA_CLIENT_PASSWORD_SECRET, r.clientPassword);
    if (r.cert !== undefined && r.key !== undefined) {
      await this.o.secrets.set(UACSTA_CERT_SECRET, r.cert);
      await this.o.secrets.set(UACSTA_KEY_SECRET, r.key);
    }
    await this.o.docs.write(UACSTA_SETTINGS_DOC, UACSTA_SETTINGS_SPEC, r.settings);
    return this.view();
  }

  status(): UacstaStatus {
    const r = this.running;
    if (!r) return { running: false, phones: this.storedPhones(), lines: [], ...(this.startProblem ? { startProblem: this.startProblem } : {}) };
    const { phone, client } = r.settings;
    return {
      running: true,
      since: r.since,
      listening: {
        phone: { bind: phone.lan, wan: phone.wan, tcpPort: r.phones.port, ...(r.phones.tlsPort !== undefined ? { tlsPort: r.phones.tlsPort } : {}) },
        client: { bind: client.lan, wan: client.wan, tcpPort: r.clients.port, ...(r.clients.tlsPort !== undefined ? { tlsPort: r.clients.tlsPort } : {}) },
      },
      phones: r.phones.phones().map(phoneView),
      lines: r.clients.monitoredLines(),
    };
  }

  /** Starts with the stored settings (a running server is left as it is). */
  async start(): Promise<UacstaStatus> {
    if (this.running) return this.status();
    try {
      await this.doStart();
      this.startProblem = undefined;
    } catch (e) {
      if (e instanceof UacstaServiceError) {
        this.startProblem = e.problem;
        this.o.logger?.warn(`the uaCSTA server did not start: ${e.message}`);
        this.push();
      }
      throw e;
    }
    this.push();
    return this.status();
  }

  async stop(): Promise<UacstaStatus> {
    const r = this.running;
    if (!r) return this.status();
    this.running = undefined;
    clearInterval(r.dailyCleanup);
    await r.clients.close().catch(() => undefined);
    await r.phones.close().catch(() => undefined);
    r.logger.log('info', 'uacsta', 'uaCSTA server stopped');
    this.o.logger?.info('uaCSTA server stopped');
    this.push();
    return this.status();
  }

  async setEnabled(mac: string, enabled: boolean): Promise<UacstaPhone> {
    if (this.running) return phoneView(await this.running.phones.setEnabled(mac, enabled));
    // stopped: the stored list is switched, as the manual's checkbox works whether or not the service runs
    const list = readPhoneList(this.listPath);
    const p = list.find((x) => x.mac === mac);
    if (!p) throw new UacstaServiceError('UACSTA_NOT_CONFIGURED', coded('uacsta.unknownPhone', { mac }));
    p.enabled = enabled;
    p.status = enabled ? 'offline' : 'disabled';
    writePhoneList(this.listPath, list);
    this.push();
    return phoneView(p);
  }

  phoneDetail(mac: string): UacstaPhoneDetail | undefined {
    const record = this.running?.phones.phone(mac) ?? this.storedRecords().find((p) => p.mac === mac);
    if (!record) return undefined;
    const table = record.vendor === 'unknown' ? undefined : FEATURE_TABLES[record.vendor];
    const features = table
      ? Object.entries(table).map(([service, f]) => {
          if (f === 'no' || f === 'emulated') return { service, support: f };
          return atLeast(record.firmware, f.since) ? { service, support: 'yes' as const, since: f.since } : { service, support: 'firmware' as const, since: f.since };
        })
      : [];
    const lastCstaError = this.cstaErrors.get(record.mac);
    return { ...phoneView(record), features, dialog: this.running?.phones.session(record.mac) ? 'open' : 'closed', ...(lastCstaError ? { lastCstaError } : {}) };
  }

  /** The server's diagnostics log (what it wrote since it last started). */
  recentLog(limit: number) {
    return this.running?.logger.recent(limit) ?? [];
  }

  async dispose(): Promise<void> {
    clearTimeout(this.notifyTimer);
    await this.stop();
  }

  private async doStart(): Promise<void> {
    const settings = await this.settings();
    const phonePassword = await this.o.secrets.get(UACSTA_PHONE_PASSWORD_SECRET);
    const clientUser = await this.o.secrets.get(UACSTA_CLIENT_USER_SECRET);
    const clientPassword = await this.o.secrets.get(UACSTA_CLIENT_PASSWORD_SECRET);
    if (phonePassword === undefined || clientUser === undefined || clientPassword === undefined) {
      const missing = [phonePassword === undefined && 'phonePassword', clientUser === undefined && 'clientUser', clientPassword === undefined && 'clientPassword'].filter(Boolean).join(', ');
      throw new UacstaServiceError('UACSTA_NOT_CONFIGURED', coded('uacstaServer.notConfigured', { missing }));
    }
    const wantsTls = settings.phone.tlsPort !== undefined || settings.client.tlsPort !== undefined;
    let pem: { cert: string; key: string } | undefined;
    if (wantsTls) {
      const cert = await this.o.secrets.get(UACSTA_CERT_SECRET);
      const key = await this.o.secrets.get(UACSTA_KEY_SECRET);
      if (!cert || !key) throw new UacstaServiceError('UACSTA_CERTIFICATE_INVALID', coded('uacstaServer.certificateMissing'));
      checkCertificate(cert, key, [hostname(), settings.phone.lan, settings.phone.wan, settings.client.lan, settings.client.wan]);
      pem = { cert, key };
    }
    let known: PhoneRecord[];
    try {
      known = readPhoneList(this.listPath);
    } catch (e) {
      if (e instanceof PhoneListFileError) throw new UacstaServiceError('UACSTA_PHONE_LIST_UNREADABLE', coded('uacstaServer.phoneListUnreadable', { cause: e.message }));
      throw e;
    }
    const d = settings.diagnostics;
    const logger = new Logger({ directory: d.logDirectory || join(this.o.dataDir, 'logs', 'uacsta'), level: d.logLevel, maxFileBytes: d.maxLogFileMb * 1024 * 1024 });
    const log = logger.child('uacsta');
    let phones: PhoneInterface | undefined;
    try {
      phones = await PhoneInterface.start({
        host: settings.phone.lan,
        port: settings.phone.tcpPort,
        tls: pem && settings.phone.tlsPort !== undefined ? { port: settings.phone.tlsPort, ...pem } : undefined,
        password: phonePassword,
        autoActivate: settings.autoActivate,
        keepAliveMs: settings.keepAliveSeconds * 1000,
        maxExpires: settings.expirySeconds,
        known,
        logMacs: d.logMacs,
        logger: log,
        ...this.o.phoneTuning,
      });
      const clients = await ClientInterface.start(phones, {
        host: settings.client.lan,
        port: settings.client.tcpPort,
        tls: pem && settings.client.tlsPort !== undefined ? { port: settings.client.tlsPort, ...pem } : undefined,
        clients: [{ user: clientUser, password: clientPassword }],
        logger: logger.child('uacsta-clients'),
        onCstaError: (mac, service, error) => {
          this.cstaErrors.set(mac, { service, error, at: new Date().toISOString() });
          this.push();
        },
      });
      const running: Running = { phones, clients, logger, since: new Date().toISOString(), settings };
      this.running = running;
      const list = phones;
      list.on('changed', () => {
        try {
          writePhoneList(this.listPath, list.phones());
        } catch (e) {
          log.error(`the phone list could not be saved to ${this.listPath}: ${(e as Error).message}`);
        }
        this.push();
      });
      // lines come and go with the clients' monitors: the status follows them within 2 s without a phone change
      let lines = '[]';
      let lastCleanup = Date.now();
      running.dailyCleanup = setInterval(() => {
        const now = JSON.stringify(clients.monitoredLines());
        if (now !== lines) {
          lines = now;
          this.push();
        }
        if (d.deleteLogsDaily && Date.now() - lastCleanup > 3_600_000) {
          lastCleanup = Date.now();
          logger.deleteOlderThan(1);
        }
      }, 2000);
      running.dailyCleanup.unref();
      if (d.deleteLogsDaily) logger.deleteOlderThan(1);
      writePhoneList(this.listPath, phones.phones());
      log.info(`uaCSTA server started: phones on ${settings.phone.lan}:${phones.port}, clients on ${settings.client.lan}:${clients.port}`);
      this.o.logger?.info(`uaCSTA server started: phones on ${settings.phone.lan}:${phones.port}, clients on ${settings.client.lan}:${clients.port}`);
    } catch (e) {
      await phones?.close().catch(() => undefined);
      throw listenProblem(e, settings);
    }
  }

  private storedRecords(): PhoneRecord[] {
    try {
      return readPhoneList(this.listPath);
    } catch {
      return [];
    }
  }

  private storedPhones(): UacstaPhone[] {
    return this.storedRecords().map(phoneView);
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

function phoneView(p: PhoneRecord): UacstaPhone {
  const { mac, type, vendor, firmware, lastIp, identity, identities, lastLogin, status, enabled, problem } = p;
  return {
    mac, type, vendor, lastIp, identities, status, enabled,
    ...(firmware ? { firmware } : {}),
    ...(identity ? { identity } : {}),
    ...(lastLogin > 0 ? { lastLogin: new Date(lastLogin).toISOString() } : {}),
    ...(problem ? { problem } : {}),
  };
}

/** A listener that could not open: the port taken, or another reason, with the address. */
function listenProblem(e: unknown, settings: UacstaSettings): Error {
  if (e instanceof UacstaServiceError) return e;
  // the SIP transport names host, port and the socket's cause in its params
  const err = e as Error & { code?: string; params?: { host?: string; port?: number; cause?: string } };
  const where = { bind: err.params?.host ?? settings.phone.lan, port: err.params?.port ?? settings.phone.tcpPort };
  const cause = err.params?.cause ?? err.code ?? err.message;
  if (cause === 'EADDRINUSE') return new UacstaServiceError('UACSTA_PORT_IN_USE', coded('uacstaServer.portInUse', where));
  return new UacstaServiceError('UACSTA_LISTEN_FAILED', coded('uacstaServer.listenFailed', { ...where, cause }));
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

/**
 * The TLS certificate must go with its key, be valid now and be issued to the computer name or an address the
 * server is reached by (manual §3.2); `names` empty checks only key and dates (while saving).
 */
export function checkCertificate(cert: string, key: string, names: string[], now = new Date()): void {
  const bad = (cause: string) => new UacstaServiceError('UACSTA_CERTIFICATE_INVALID', coded('uacstaServer.certificateInvalid', { cause }));
  let x: X509Certificate;
  try {
    x = new X509Certificate(cert);
    createSecureContext({ cert, key });
  } catch (e) {
    throw bad((e as Error).message);
  }
  if (!x.checkPrivateKey(createPrivateKey(key))) throw bad('the private key does not belong to the certificate');
  if (now < new Date(x.validFrom)) throw bad(`not valid before ${new Date(x.validFrom).toISOString()}`);
  if (now > new Date(x.validTo)) throw bad(`expired on ${new Date(x.validTo).toISOString()}`);
  const wanted = names.filter((n) => n && n !== '0.0.0.0' && n !== '::');
  if (wanted.length && !wanted.some((n) => (isIP(n) ? x.checkIP(n) : x.checkHost(n)) !== undefined)) {
    throw bad(`issued to ${certificateInfo(cert)?.names.join(', ') || x.subject}, not to ${wanted.join(' or ')}`);
  }
}

