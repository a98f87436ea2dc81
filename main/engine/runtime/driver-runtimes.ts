// Every instance's runtime in this process, line discovery beside them, and "test connection". The API handlers
// and the services object talk only to this.
import { isDeepStrictEqual } from 'node:util';
import { coded } from '../../../shared/problems';
import type { ConnectionStatus, DiscoverProgress, DriverStatus, LineEvent, LineStateBrief, TestConnectionResult } from '../../../shared/api/drivers';
import { ApiFailure, ErrorCodes, issueDetail } from '../../../shared/api/errors';
import { lineKey, type Instance } from '../../../shared/model/instance';
import type { Line } from '../../../shared/model/line';
import { DRIVER_REGISTRY, DriverFailure, driverError, failureDetails, familyOf, type Driver, type DriverRegistry, type DriverSettings, type FamilyDriver } from '../../drivers';
import type { Lease } from '../licences';
import { DiscoveryService } from '../discovery';
import { InstanceRuntime, type RuntimeLogger, type RuntimeTiming } from './instance-runtime';
import { memoryCertificatePins, type CertificatePins } from './certificate-pins';
import { LinkHistory } from './link-history';

export interface DriverRuntimesDeps {
  getInstance(id: string): Promise<Instance>;
  getPassword(instance: Instance): Promise<string | undefined>;
  updateLines(id: string, fn: (lines: Line[], instance: Instance) => Line[]): Promise<Instance>;
  /** Where the store keeps the instance document's previous version (named after a line query is applied). */
  backupFileOf?(id: string): string | null;
  lease(instanceId: string, line: string): Promise<Lease>;
  /** Leases for many lines at once, in order; a failure (no licence free) in place of each lease not taken. */
  leaseMany?(instanceId: string, lines: string[]): Promise<Array<Lease | Error>>;
  release(lease: Lease): void;
  onStatus(s: ConnectionStatus): void;
  onLineEvent(e: LineEvent): void;
  onDiscoverProgress(p: DiscoverProgress): void;
  logger: RuntimeLogger;
  timing?: Partial<RuntimeTiming>;
  /** Certificates accepted by fingerprint (default: kept in memory only). */
  pins?: CertificatePins;
  /** Where the reconnect history is kept (in memory only without). */
  linkHistoryFile?: string;
  /** Test hooks: extra TLS trust, timeouts, keep-alive. */
  connectionDefaults?: Partial<DriverSettings> & { keepAliveMs?: number };
  /** The families (default: the shipped registry). */
  registry?: DriverRegistry;
}

export type TestConnectionInput = {
  instanceId: string;
  connection?: Partial<Pick<DriverSettings, 'mode' | 'host' | 'port' | 'tls' | 'user'>>;
  /** The form's whole unsaved connection section, for the family's own fields. */
  values?: Record<string, string | number | boolean>;
  password?: string;
  fingerprint?: string;
};

export class DriverRuntimes {
  private readonly runtimes = new Map<string, InstanceRuntime>();
  readonly discovery: DiscoveryService;
  readonly pins: CertificatePins;
  readonly linkHistory: LinkHistory;

  private readonly registry: DriverRegistry;

  constructor(private readonly deps: DriverRuntimesDeps) {
    this.registry = deps.registry ?? DRIVER_REGISTRY;
    this.pins = deps.pins ?? memoryCertificatePins();
    this.linkHistory = new LinkHistory({ file: deps.linkHistoryFile, log: deps.logger });
    this.discovery = new DiscoveryService({
      loadInstance: (id) => deps.getInstance(id),
      borrowDriver: (instance) => this.borrowDriver(instance),
      updateLines: (id, fn) => deps.updateLines(id, fn),
      onProgress: (p) => deps.onDiscoverProgress(p),
      afterApply: (id) => this.runtimes.get(id)?.reload() ?? Promise.resolve(),
      identityOf: (i) => this.family(i).spec.lineIdentity,
      backupFileOf: deps.backupFileOf,
    });
  }

  runtime(instanceId: string): InstanceRuntime {
    let r = this.runtimes.get(instanceId);
    if (!r) {
      const d = this.deps;
      r = new InstanceRuntime(instanceId, {
        loadInstance: (id) => d.getInstance(id),
        settingsOf: (i) => this.settingsOf(i),
        createDriver: (i, s) => this.driverOf(i).create({ ...s, keepAliveMs: d.connectionDefaults?.keepAliveMs }),
        warningsOf: (i, s) => this.driverOf(i).warnings?.(s) ?? [],
        reconnectKeyOf: (i, s) => this.driverOf(i).reconnectKey?.(s),
        repromptsPassword: (i) => this.driverOf(i).repromptsPassword === true,
        specOf: (i) => this.family(i).spec,
        lease: (id, line) => d.lease(id, line),
        ...(d.leaseMany ? { leaseMany: (id: string, lines: string[]) => d.leaseMany!(id, lines) } : {}),
        release: (l) => d.release(l),
        saveMobile: (id, key, mobile) => d.updateLines(id, (lines, inst) => lines.map((l) => (lineKey(inst.family, l) === key ? { ...l, mobile } : l))).then(() => undefined),
        onStatus: (s) => {
          this.linkHistory.observe(s);
          d.onStatus(s);
        },
        onLineEvent: (e) => d.onLineEvent(e),
        logger: d.logger,
        timing: d.timing,
      });
      this.runtimes.set(instanceId, r);
    }
    return r;
  }

  /**
   * Follows the instance store: a deleted instance is stopped and forgotten; a changed line list is taken up by a
   * running instance at once.
   */
  async instanceChanged(instanceId: string, kind: 'created' | 'updated' | 'deleted' | 'lines'): Promise<void> {
    const r = this.runtimes.get(instanceId);
    if (kind === 'deleted') {
      await r?.stop();
      this.runtimes.delete(instanceId);
      this.linkHistory.forget(instanceId);
      return;
    }
    if (!r) return;
    if (kind === 'updated' && r.isRunning) {
      await r.settingsChanged().catch((e: unknown) => this.deps.logger.warn(coded('log.settingsNotTaken', { instance: r.name, detail: (e as Error).message })));
    } else if (kind === 'lines' && r.isRunning) {
      await r.reload().catch((e: unknown) => this.deps.logger.warn(coded('log.linesNotTaken', { instance: r.name, detail: (e as Error).message })));
    }
  }

  /** Licences came back in this process: the running instances' lines without one take them, instance by instance. */
  async licencesFreed(): Promise<void> {
    for (const r of this.runtimes.values()) {
      if (r.isRunning) await r.takeFreedLicences().catch((e: unknown) => this.deps.logger.warn(coded('logApp.licencesNotTaken', { instance: r.name, detail: (e as Error).message })));
    }
  }

  /** The runtime of a started instance, for the line monitor; NOT_RUNNING otherwise. */
  started(instanceId: string): InstanceRuntime {
    const r = this.runtimes.get(instanceId);
    if (!r?.isRunning) throw new ApiFailure('NOT_RUNNING', `instance ${instanceId} is not started: start it to open its lines`);
    return r;
  }

  /** Many lines' states in one answer; a stopped instance has none (not an error: the table simply shows no state). */
  lineStates(instanceId: string, keys: readonly string[]): { running: boolean; states: LineStateBrief[] } {
    const r = this.runtimes.get(instanceId);
    if (!r?.isRunning) return { running: false, states: [] };
    return { running: true, states: r.lineStates(keys) };
  }

  async start(instanceId: string): Promise<DriverStatus> {
    // Refused before anything runs: a family without a driver would otherwise retry the missing driver forever.
    this.driverOf(await this.deps.getInstance(instanceId));
    return this.runtime(instanceId).start();
  }

  async stop(instanceId: string): Promise<DriverStatus> {
    return this.runtime(instanceId).stop();
  }

  async status(instanceId: string): Promise<DriverStatus> {
    if (!this.runtimes.has(instanceId)) await this.deps.getInstance(instanceId);
    return this.runtime(instanceId).driverStatus();
  }

  /** Connects with the stored (or the form's unsaved) settings, logs in, and reports what happened. */
  async testConnection(input: TestConnectionInput): Promise<TestConnectionResult> {
    const stored = await this.deps.getInstance(input.instanceId);
    const instance = input.values ? this.withConnection(stored, input.values) : stored;
    const running = this.runtimes.get(input.instanceId)?.connectedDriver;
    const settings = await this.settingsOf(instance, { ...input.connection, ...(input.password !== undefined ? { password: input.password } : {}), ...(input.fingerprint ? { fingerprint: input.fingerprint } : {}) });
    const base = { host: settings.host, port: settings.port, transport: settings.tls ? ('tls' as const) : ('tcp' as const), warnings: this.driverOf(instance).warnings?.(settings) ?? [] };
    const started = Date.now();
    // The form sends its values even when they are the stored ones; only a change needs a second link.
    const unchanged = !input.values || isDeepStrictEqual(instance.connection, stored.connection);
    if (running && !input.connection && unchanged && input.password === undefined && !input.fingerprint) {
      // The PBX takes one CSTA client (a CME one session server on the driver's SIP port): the running link is the proof.
      return { ...base, ok: true, durationMs: 0, reply: 'connected: the instance is running on this link', error: null, fingerprint: null, target: this.runtimes.get(input.instanceId)?.connectionStatus().target ?? null };
    }
    if (!settings.host) return { ...base, ok: false, durationMs: 0, reply: null, error: { code: 'HOST_MISSING', message: 'no host is set for this instance' }, fingerprint: null, target: null };
    const driver = this.driverOf(instance).create({ ...settings, keepAliveMs: 0 });
    try {
      const reply = await driver.connect();
      return { ...base, ok: true, durationMs: Date.now() - started, reply, error: null, fingerprint: null, target: driver.connectedTo?.() ?? { host: settings.host, port: settings.port, via: 'configured' } };
    } catch (e) {
      const f = e instanceof DriverFailure ? e : new DriverFailure('INTERNAL', String(e));
      return { ...base, ok: false, durationMs: Date.now() - started, reply: null, error: driverError(f), fingerprint: f.fingerprint ?? null, target: null };
    } finally {
      await driver.close().catch(() => undefined);
    }
  }

  /** Accepts the certificate with this fingerprint for the instance from now on (null: check the chain again). */
  async acceptCertificate(instanceId: string, fingerprint: string | null): Promise<{ fingerprint: string | null }> {
    await this.deps.getInstance(instanceId);
    return { fingerprint: await this.pins.set(instanceId, fingerprint) };
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.runtimes.values()].map((r) => r.stop().catch(() => undefined)));
    this.runtimes.clear();
  }

  /** The instance with the form's unsaved connection values over its stored ones, checked by the family's schema. */
  private withConnection(instance: Instance, values: Record<string, string | number | boolean>): Instance {
    const r = this.family(instance).spec.connection.safeParse({ ...instance.connection, ...values });
    if (!r.success) throw new ApiFailure(ErrorCodes.invalidInput, `the connection settings to test are not valid: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { issues: r.error.issues.map(issueDetail) });
    return { ...instance, connection: r.data } as Instance;
  }

  private family(instance: Instance): FamilyDriver {
    return familyOf(this.registry, instance.family);
  }

  /** The family's driver; FAMILY_NOT_SUPPORTED while the family can only be configured. */
  private driverOf(instance: Instance): NonNullable<FamilyDriver['driver']> {
    const d = this.family(instance).driver;
    if (!d) throw new ApiFailure('FAMILY_NOT_SUPPORTED', `instance "${instance.name}" is a ${instance.family} instance; its driver is still to come`, { family: instance.family, name: instance.name });
    return d;
  }

  /** The driver settings of a stored instance: its password, the pinned certificate, the test-time defaults. */
  async settingsOf(instance: Instance, override: Partial<DriverSettings> = {}): Promise<DriverSettings> {
    const driver = this.driverOf(instance);
    const password = await this.deps.getPassword(instance);
    const defaults = this.deps.connectionDefaults ?? {};
    const pinned = override.fingerprint ?? (await this.pins.get(instance.id));
    return driver.settingsOf(instance, password, { ...defaults, ...override, ...(pinned ? { fingerprint: pinned } : {}) });
  }

  private async borrowDriver(instance: Instance): Promise<{ driver: Driver; done(): Promise<void> }> {
    const running = this.runtimes.get(instance.id)?.connectedDriver;
    if (running) return { driver: running, done: async () => undefined };
    const settings = await this.settingsOf(instance);
    if (!settings.host) throw new ApiFailure('HOST_MISSING', `no host is set for instance "${instance.name}"`);
    const driver = this.driverOf(instance).create({ ...settings, keepAliveMs: 0 });
    try {
      await driver.connect();
    } catch (e) {
      if (e instanceof DriverFailure) throw new ApiFailure(e.code, e.message, failureDetails(e));
      throw e;
    }
    return { driver, done: () => driver.close() };
  }
}
