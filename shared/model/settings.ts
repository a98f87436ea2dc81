import { z } from 'zod';
import { LOG_LEVELS } from '../api/app';

/** The global settings document: what applies to the whole console, not to one instance. */
export const LANGUAGES = ['de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const globalSettingsSchema = z.object({
  language: z.enum(LANGUAGES).default('en'),
  logLevel: z.enum(LOG_LEVELS).default('info'),
  /** Daily log files older than this are deleted; 0 keeps all. */
  logKeepDays: z.number().int('must be a whole number of days').min(0, 'must be 0 (keep all) or more days').max(3650, 'must be at most 3650 days').default(30),
  /** Folder for the daily log files (absolute); empty: `logs` in the data directory. */
  logDirectory: z.string().max(4096, 'must be at most 4096 characters').default(''),
});
export type GlobalSettings = z.output<typeof globalSettingsSchema>;

/** Fields to change; absent ones stay as saved. */
export const globalSettingsPatchSchema = z
  .object({
    language: globalSettingsSchema.shape.language.unwrap(),
    logLevel: globalSettingsSchema.shape.logLevel.unwrap(),
    logKeepDays: globalSettingsSchema.shape.logKeepDays.unwrap(),
    logDirectory: globalSettingsSchema.shape.logDirectory.unwrap(),
  })
  .partial()
  .strict();
