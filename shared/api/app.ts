import type { Coded } from '../problems';
import { z } from 'zod';
import { event, method } from './define';

export interface AppInfo {
  product: string;
  version: string;
  transport: 'electron' | 'websocket';
  dataDir: string;
  platform: string;
}

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogEntry {
  /** ISO 8601 time. */
  time: string;
  level: LogLevel;
  /** The component that logged it: `api`, `csta`, `mux` … */
  source: string;
  /** English, as written to the log file. */
  message: string;
  /** Set for entries the console shows in the admin's language (`problems.<code>`), with their facts. */
  code?: string;
  params?: Coded['params'];
}

export interface LogSettings {
  level: LogLevel;
  /** The folder written to now. */
  directory: string;
  /** `logs` in the data directory: used while no other folder is chosen. */
  defaultDirectory: string;
  /** Daily files older than this many days are deleted; 0 keeps all. */
  keepDays: number;
}

export const appMethods = {
  'app.info': method<AppInfo>()(z.object({}).strict()),
  'log.recent': method<LogEntry[]>()(z.object({ limit: z.number().int().min(1).max(5000).default(200), minLevel: z.enum(LOG_LEVELS).optional() }).strict()),
  'log.settings': method<LogSettings>()(z.object({}).strict()),
  /** `directory`: an absolute folder, checked writable (LOG_DIRECTORY_NOT_ABSOLUTE, LOG_DIRECTORY_NOT_WRITABLE); '' for the default. */
  'log.configure': method<LogSettings>()(
    z.object({ level: z.enum(LOG_LEVELS).optional(), keepDays: z.number().int().min(0).max(3650).optional(), directory: z.string().trim().max(4096).optional() }).strict(),
  ),
  /** Opens the log folder in the system's file manager (the desktop app); LOG_FOLDER_NOT_OPENED elsewhere or when it fails. */
  'log.openFolder': method<{ directory: string }>()(z.object({}).strict()),
  /** A failure in the console itself (a render error caught by its error boundary), written to main's log. */
  'log.reportError': method<{ logged: true }>()(
    z.object({ message: z.string().max(2000), stack: z.string().max(20_000).optional(), componentStack: z.string().max(20_000).optional() }).strict(),
  ),
  'log.deleteOld': method<{ deleted: string[] }>()(z.object({ olderThanDays: z.number().int().min(0).max(3650) }).strict()),
};

export const appEvents = {
  'log.entry': event<LogEntry>(),
};
