import { z } from 'zod';
import { event, method } from './define';
import { globalSettingsPatchSchema, type GlobalSettings } from '../model/settings';

/** A whole-configuration backup as produced by `config.backup` (JSON, no secrets). */
export interface ConfigBackupFile {
  format: string;
  version: number;
  createdAt: string;
  documents: Record<string, unknown>;
}

export const configMethods = {
  'settings.get': method<GlobalSettings>()(z.object({}).strict()),
  'settings.update': method<GlobalSettings>()(globalSettingsPatchSchema),
  'config.backup': method<{ backup: ConfigBackupFile; skipped: Array<{ document: string; cause: string }> }>()(z.object({}).strict()),
  /**
   * Replaces the whole configuration (passwords stay as they are); the previous one is saved to `safetyFile`.
   * `kept`: damaged instance documents left on disk as they were (restore them from their backup copy).
   */
  'config.restore': method<{ restored: string[]; removed: string[]; kept: string[]; safetyFile: string }>()(z.object({ backup: z.unknown() }).strict()),
};

export const configEvents = {
  'settings.changed': event<GlobalSettings>(),
};
