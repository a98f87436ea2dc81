import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventBus } from '../api/event-bus';
import { Logger } from '../log/logger';
import type { LogLevel } from '../../shared/api/app';
import { readSettings, type DocumentStore, type SecretStore } from '../store';
import { openConfigStores, type InstanceStore } from '../engine/instances';
import { openLicenceService, type LicenceService } from '../engine/licences';
import { DemoPbx } from '../engine/demo';
import { DriverRuntimes, storeCertificatePins, type DriverRuntimesDeps } from '../engine/runtime';
import { MuxService } from '../servers/mux';

export interface ServicesOptions {
  dataDir: string;
  transport: 'electron' | 'websocket';
  logLevel?: LogLevel;
  /** The app passes its safeStorage-based store; CLI and serve use the AES-GCM key file in `<dataDir>/secrets`. */
  secretStore?: SecretStore;
  /** Driver runtime tuning (tests shorten the retry intervals). */
  drivers?: Pick<DriverRuntimesDeps, 'timing' | 'connectionDefaults'>;
}

/**
 * The engines the API serves, built once per process for one data directory.
 * Domains add their services here and their handlers in main/api/handlers.
 */
export interface Services {
  readonly options: ServicesOptions;
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
  /** Running driver instances (lines opened and monitored), line discovery and test connection. */
  readonly drivers: DriverRuntimes;
  /** The built-in demo PBX (a simulator on loopback) for users without a telephone system. */
  readonly demo: DemoPbx;
  /** Closes connections, servers and timers; called on quit. */
  dispose(): Promise<void>;
}

export function createServices(options: ServicesOptions): Services {
  mkdirSync(options.dataDir, { recursive: true });
  const bus = new EventBus();
  const logger = new Logger({ directory: join(options.dataDir, 'logs'), level: options.logLevel ?? 'info' });
  logger.onEntry((entry) => bus.emit('log.entry', entry));
  const disposers: Array<() => Promise<void> | void> = [];
  const { docs, secrets, instances } = openConfigStores(options.dataDir, options.secretStore);
  // The saved log level applies unless the caller chose one; an unreadable settings document keeps the default.
  if (!options.logLevel) readSettings(docs).then((saved) => (logger.level = saved.logLevel), () => undefined);
  instances.onChange((c) => {
    bus.emit('instances.changed', { instanceId: c.instanceId, kind: c.kind });
    if (c.kind === 'lines') bus.emit('lines.changed', { instanceId: c.instanceId, lineCount: c.lineCount ?? 0 });
  });
  const licences = openLicenceService(options.dataDir, docs, instances, logger.child('licences'));
  disposers.push(() => licences.pool.releaseAll());
  const drivers = new DriverRuntimes({
    getInstance: (id) => instances.get(id),
    getPassword: (i) => (i.family === 'panasonic' ? instances.getSecret(i.id, 'multiplexerPassword') : Promise.resolve(undefined)),
    updateLines: (id, fn) => instances.updateLines(id, fn),
    lease: (id, line) => licences.pool.lease(id, line),
    release: (lease) => licences.pool.release(lease),
    onStatus: (s) => bus.emit('connection.status', s),
    onLineEvent: (e) => bus.emit('line.event', e),
    onDiscoverProgress: (p) => bus.emit('lines.discoverProgress', p),
    logger: logger.child('drivers'),
    pins: storeCertificatePins(docs),
    ...options.drivers,
  });
  instances.onChange((c) => void drivers.instanceChanged(c.instanceId, c.kind));
  disposers.push(() => drivers.dispose());
  const demo = new DemoPbx({ instances, logger: logger.child('demo') });
  // Registered after the drivers so it stops first on dispose (disposers run in reverse).
  disposers.push(() => demo.stop());
  const mux = new MuxService(secrets, (st) => bus.emit('mux.status', st), logger.child('mux'));
  disposers.push(async () => void (await mux.stop()));
  return {
    options,
    bus,
    logger,
    docs,
    secrets,
    instances,
    licences,
    mux,
    drivers,
    demo,
    async dispose() {
      for (const d of disposers.reverse()) await d();
    },
  };
}
