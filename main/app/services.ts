import { join } from 'node:path';
import { EventBus } from '../api/event-bus';
import { Logger } from '../log/logger';
import type { LogLevel } from '../../shared/api/app';
import { prepareDataDir, readSettings, type DocumentStore, type SecretStore } from '../store';
import { openConfigStores, type InstanceStore } from '../engine/instances';
import { openLicenceService, type LicenceService } from '../engine/licences';
import { DemoPbx } from '../engine/demo';
import { ProfileStore } from '../engine/profiles';
import { DriverRuntimes, pendingAwarePins, storeCertificatePins, type DriverRuntimesDeps } from '../engine/runtime';
import { MuxService } from '../servers/mux';
import { UacstaService } from '../servers/uacsta';
import { catalogueOf, demoFamilies, DRIVER_REGISTRY, familyOf, phoneServerDemoFamily, type DriverRegistry } from '../drivers/registry';
import { PhoneServerDemo } from '../engine/demo/phone-server-demo';
import { coded } from '../../shared/problems';
import type { ClientApiRunner } from '../protocols/dhcp';

export interface ServicesOptions {
  dataDir: string;
  transport: 'electron' | 'websocket';
  logLevel?: LogLevel;
  /** The app passes its safeStorage-based store; CLI and serve use the AES-GCM key file in `<dataDir>/secrets`. */
  secretStore?: SecretStore;
  /** Driver runtime tuning (tests shorten the retry intervals). */
  drivers?: Pick<DriverRuntimesDeps, 'timing' | 'connectionDefaults'>;
  /** The families (default: the shipped registry; a test adds one of its own). */
  registry?: DriverRegistry;
  /** Where the SIP phone server's plug-and-play search listens (tests: loopback, port 0, no multicast). */
  uacstaPnp?: { host?: string; port?: number; group?: string | null };
  /**
   * Where "Locate" sends its DHCPINFORM and receives the answer (tests: a responder on loopback, a free port). On
   * Windows the system's DHCP client is asked unless a `target` is named; `clientApi` asks it that way on any system
   * (tests: the C# under Mono against a stand-in dhcpcsvc).
   */
  dhcp?: { target?: string; serverPort?: number; clientPort?: number; timeoutMs?: number; attempts?: number; clientApi?: ClientApiRunner };
  /** Opens a folder in the system's file manager (the desktop app); resolves to '' or the reason it failed. */
  openFolder?: (directory: string) => Promise<string>;
}

/**
 * The engines the API serves, built once per process for one data directory.
 * Domains add their services here and their handlers in main/api/handlers.
 */
export interface Services {
  readonly options: ServicesOptions;
  /** The families this process knows (the API and the console ask it what each can do). */
  readonly registry: DriverRegistry;
  readonly bus: EventBus;
  readonly logger: Logger;
  /** Configuration documents (`<dataDir>/config`): settings, instances, licences. */
  readonly docs: DocumentStore;
  readonly secrets: SecretStore;
  readonly instances: InstanceStore;
  /** Licence keys, the trial, and the line pool every driver leases from when it opens a line. */
  readonly licences: LicenceService;
  /** The CSTA multiplexer (started from the console's Multiplexer page). */
  readonly mux: MuxService;
  /** The uaCSTA server for SIP phones (the console's "SIP phone server" area). */
  readonly uacsta: UacstaService;
  /** Simulated phones at the uaCSTA server, for trying it without phones. */
  readonly phoneDemo: PhoneServerDemo;
  /** Running driver instances (lines opened and monitored), line discovery and test connection. */
  readonly drivers: DriverRuntimes;
  /** The built-in demo PBX (a simulator on loopback) for users without a telephone system. */
  readonly demo: DemoPbx;
  /** Access profiles (BroadWorks providers) the admin added with a profile file. */
  readonly profiles: ProfileStore;
  /** Closes connections, servers and timers; called on quit. */
  dispose(): Promise<void>;
}

export function createServices(options: ServicesOptions): Services {
  const tightened = prepareDataDir(options.dataDir);
  const bus = new EventBus();
  const logger = new Logger({ directory: join(options.dataDir, 'logs'), level: options.logLevel ?? 'info' });
  logger.onEntry((entry) => bus.emit('log.entry', entry));
  if (tightened.length) logger.child('store').warn(coded('logApp.dataDirTightened', { count: tightened.length, files: `${tightened.slice(0, 5).join(', ')}${tightened.length > 5 ? ', …' : ''}` }));
  const disposers: Array<() => Promise<void> | void> = [];
  const registry = options.registry ?? DRIVER_REGISTRY;
  const { docs, secrets, instances } = openConfigStores(options.dataDir, options.secretStore, catalogueOf(registry));
  // The saved log level applies unless the caller chose one; an unreadable settings document keeps the default.
  // A chosen log folder that cannot be written now (unmounted, permissions) leaves the logs in the default one, said in the log.
  readSettings(docs).then(
    (saved) => {
      if (!options.logLevel) logger.level = saved.logLevel;
      if (!saved.logDirectory) return;
      try {
        logger.useDirectory(saved.logDirectory);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        logger.child('app').warn(coded('logApp.logFolderUnwritable', { folder: saved.logDirectory, ...(code ? { code } : { detail: (e as Error).message }), fallback: logger.directory }));
      }
    },
    () => undefined,
  );
  instances.onChange((c) => {
    bus.emit('instances.changed', { instanceId: c.instanceId, kind: c.kind });
    if (c.kind === 'lines') bus.emit('lines.changed', { instanceId: c.instanceId, lineCount: c.lineCount ?? 0 });
  });
  const licences = openLicenceService(options.dataDir, docs, instances, secrets, logger.child('licences'));
  disposers.push(() => licences.pool.releaseAll());
  const pins = pendingAwarePins(storeCertificatePins(docs), (id) => instances.isPending(id));
  // A wizard instance's accepted certificate is stored with the instance, when the wizard creates it.
  instances.onChange((c) => void (c.kind === 'created' && pins.keep(c.instanceId).catch(() => undefined)));
  const drivers = new DriverRuntimes({
    getInstance: (id) => instances.get(id),
    getPassword: (i) => instances.getSecret(i.id, familyOf(registry, i.family).spec.passwordSecret),
    updateLines: (id, fn) => instances.updateLines(id, fn),
    backupFileOf: (id) => instances.backupFileOf(id),
    lease: (id, line) => licences.pool.lease(id, line),
    leaseMany: (id, lines) => licences.pool.leaseMany(id, lines),
    releaseMany: (leases) => void licences.pool.releaseMany(leases),
    release: (lease) => licences.pool.release(lease),
    onStatus: (s) => bus.emit('connection.status', s),
    onLineEvent: (e) => bus.emit('line.event', e),
    onDiscoverProgress: (p) => bus.emit('lines.discoverProgress', p),
    logger: logger.child('drivers'),
    pins,
    linkHistoryFile: join(options.dataDir, 'run', 'link-history.jsonl'),
    registry,
    ...options.drivers,
  });
  instances.onChange((c) => void drivers.instanceChanged(c.instanceId, c.kind));
  disposers.push(licences.pool.onFreed(() => void drivers.licencesFreed()));
  disposers.push(() => drivers.dispose());
  const demo = new DemoPbx({ instances, families: demoFamilies(registry), logger: logger.child('demo') });
  // Registered after the drivers so it stops first on dispose (disposers run in reverse).
  disposers.push(() => demo.stop());
  const mux = new MuxService(secrets, (st) => bus.emit('mux.status', st), logger.child('mux'));
  disposers.push(async () => void (await mux.stop()));
  const uacsta = new UacstaService({ dataDir: options.dataDir, docs, secrets, licences: licences.pool, notify: (st) => bus.emit('uacsta.status', st), logger: logger.child('uacsta'), pnp: options.uacstaPnp });
  disposers.push(() => uacsta.dispose());
  const phoneDemo = new PhoneServerDemo({ uacsta, secrets, family: phoneServerDemoFamily(registry), logger: logger.child('uacsta-demo') });
  // registered after the server so the phones stop before it (disposers run in reverse)
  disposers.push(() => phoneDemo.stop());
  return {
    options,
    registry,
    bus,
    logger,
    docs,
    secrets,
    instances,
    licences,
    mux,
    uacsta,
    phoneDemo,
    drivers,
    demo,
    profiles: new ProfileStore(docs, catalogueOf(registry)),
    async dispose() {
      for (const d of disposers.reverse()) await d();
    },
  };
}
