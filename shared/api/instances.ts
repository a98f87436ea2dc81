import { z } from 'zod';
import { event, method } from './define';
import { instancePatchSchema, type Instance, type InstanceSummary, type SettingProblem } from '../model/instance';
import { lineSchema, type Line } from '../model/line';

/** An instance as the console shows it: settings without the line list, which passwords are set, what is missing. */
export type InstanceDetails = Omit<Instance, 'lines'> & {
  lineCount: number;
  /** Password field -> set or not; values never leave main. */
  secrets: Record<string, boolean>;
  problems: SettingProblem[];
};

/** A stored document that exists but cannot be loaded; the backup is offered when there is one. */
export interface DocumentProblem {
  document: string;
  code: string;
  message: string;
  /** The instance's name from the damaged file or its backup copy (null if neither tells); it stays taken meanwhile. */
  name: string | null;
  backupFile: string | null;
  backupSavedAt: string | null;
}

export interface InstanceList {
  instances: InstanceSummary[];
  problems: DocumentProblem[];
}

/** Identifies a line within an instance: its number, on CME together with the device ID. */
const lineRefSchema = z.object({ number: z.string(), deviceId: z.string().optional() }).strict();
export type LineRef = z.output<typeof lineRefSchema>;

const id = z.string().min(1);

export const instancesMethods = {
  'instances.list': method<InstanceList>()(z.object({}).strict()),
  'instances.get': method<InstanceDetails>()(z.object({ id }).strict()),
  // The family is checked against the registry of the process (a test may add one), not a fixed list.
  'instances.create': method<InstanceDetails>()(z.object({ family: z.string().min(1).max(64), name: z.string(), notes: z.string().optional() }).strict()),
  'instances.rename': method<InstanceDetails>()(z.object({ id, name: z.string() }).strict()),
  'instances.duplicate': method<InstanceDetails>()(z.object({ id, name: z.string().optional() }).strict()),
  /** `confirmName` must repeat the instance's name: deleting loses its lines and passwords. */
  'instances.delete': method<{ deleted: string }>()(z.object({ id, confirmName: z.string() }).strict()),
  'instances.update': method<InstanceDetails>()(z.object({ id, patch: instancePatchSchema }).strict()),
  /** Sets (or with null clears) a password of the instance; it goes to the SecretStore only. */
  'instances.setSecret': method<{ secrets: Record<string, boolean> }>()(z.object({ id, field: z.string(), value: z.string().nullable() }).strict()),
  /** Replaces a document that cannot be loaded by its kept backup. */
  'instances.restoreBackup': method<InstanceDetails>()(z.object({ document: z.string() }).strict()),

  /** `shownAs`: each listed line's number as the instance shows it (canonical), when its location says so; else null. */
  'lines.list': method<{ total: number; lines: Line[]; shownAs: Record<string, string> | null }>()(
    z.object({ instanceId: id, offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(200_000).default(200_000) }).strict(),
  ),
  'lines.add': method<{ line: Line; lineCount: number }>()(z.object({ instanceId: id, line: lineSchema }).strict()),
  'lines.update': method<{ line: Line; lineCount: number }>()(z.object({ instanceId: id, ref: lineRefSchema, line: lineSchema }).strict()),
  /** Bulk delete; if any ref is unknown nothing is deleted. */
  'lines.delete': method<{ deleted: number; lineCount: number }>()(z.object({ instanceId: id, refs: z.array(lineRefSchema).min(1) }).strict()),
};

export const instancesEvents = {
  'instances.changed': event<{ instanceId: string; kind: 'created' | 'updated' | 'deleted' | 'lines' }>(),
  'lines.changed': event<{ instanceId: string; lineCount: number }>(),
};
