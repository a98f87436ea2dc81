import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventBus } from '../api/event-bus';
import { Logger } from '../log/logger';
import type { LogLevel } from '../../shared/api/app';

export interface ServicesOptions {
  dataDir: string;
  transport: 'electron' | 'websocket';
  logLevel?: LogLevel;
}

/**
 * The engines the API serves, built once per process for one data directory.
 * Domains add their services here and their handlers in main/api/handlers.
 */
export interface Services {
  readonly options: ServicesOptions;
  readonly bus: EventBus;
  readonly logger: Logger;
  /** Closes connections, servers and timers; called on quit. */
  dispose(): Promise<void>;
}

export function createServices(options: ServicesOptions): Services {
  mkdirSync(options.dataDir, { recursive: true });
  const bus = new EventBus();
  const logger = new Logger({ directory: join(options.dataDir, 'logs'), level: options.logLevel ?? 'info' });
  logger.onEntry((entry) => bus.emit('log.entry', entry));
  const disposers: Array<() => Promise<void> | void> = [];
  return {
    options,
    bus,
    logger,
    async dispose() {
      for (const d of disposers.reverse()) await d();
    },
  };
}
