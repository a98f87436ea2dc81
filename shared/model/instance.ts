import { z } from 'zod';
import { lineSchema, type Line, type LineRef } from './line';
import { coded, type Coded, type ProblemCode } from '../problems';
import type { Family } from '../families/ids';
import { locationSchema, numberFormatSchema, sipFilterSchema } from './rules';

/**
 * Driver instances as stored (one document each) and exchanged over the API: connection settings per family
 * as the vendor manuals describe them, location, number format, SIP-line filter, advanced settings, notes, lines.
 * Passwords are not here: they live in the SecretStore under the names in SECRET_FIELDS.
 */

import {
  FAMILY_SPECS,
  broadworks,
  cme,
  panasonic,
  sipPhones,
  applyConnectionChange,
  familySpec,
  macDigits,
  type AccessProfile,
  type FamilyCatalogue,
  type FamilySpec,
} from '../families';

export {
  FAMILIES,
  INTERVALS,
  PANASONIC_PORTS,
  panasonicConnectionSchema,
  panasonicAdvancedSchema,
  CME_DEFAULTS,
  cmeConnectionSchema,
  cmeAdvancedSchema,
  BROADWORKS_CONNECTION_TYPES,
  BROADWORKS_PORTS,
  BROADWORKS_PROVIDERS,
  broadworksConnectionSchema,
  broadworksAdvancedSchema,
  SIP_PHONES_PORTS,
  sipPhonesConnectionSchema,
  sipPhonesAdvancedSchema,
  macDigits,
  type BroadWorksConnectionType,
  type Family,
} from '../families';

/** Secret names per family, kept in the SecretStore as `instance/<id>/<field>`. */
export const SECRET_FIELDS = Object.fromEntries(Object.values(FAMILY_SPECS).map((f) => [f.id, f.secrets])) as Record<Family, readonly string[]>;
export type SecretField = string;

const common = {
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  name: z.string().trim().min(1, 'name must not be empty').max(80, 'name is longer than 80 characters'),
  notes: z.string().max(20_000, 'notes are longer than 20000 characters').default(''),
  createdAt: z.string().default(''),
  location: locationSchema.prefault({}),
  numberFormat: numberFormatSchema.prefault({}),
  sipFilter: sipFilterSchema.prefault({}),
  lines: z.array(lineSchema).default([]),
};

/** The stored shape of one family's instances: the common fields plus its connection and advanced settings. */
function familyInstanceSchema<Id extends string, C extends z.ZodObject, A extends z.ZodObject>(spec: FamilySpec<Id, C, A>) {
  return z.object({ family: z.literal(spec.id), ...common, connection: spec.connection.prefault({} as never), advanced: spec.advanced.prefault({} as never) });
}

/** The family's rules between fields, as schema issues. */
function checkFamilyRules(catalogue: FamilyCatalogue) {
  return (inst: { family: string; connection: unknown; advanced: unknown }, ctx: z.RefinementCtx) => {
    for (const { path, ...problem } of catalogue[inst.family]?.check?.(inst.connection as never, inst.advanced as never) ?? []) {
      ctx.addIssue({ code: 'custom', path, message: problem.message, params: { problem } });
    }
  };
}

export const panasonicInstanceSchema = familyInstanceSchema(panasonic);
export const cmeInstanceSchema = familyInstanceSchema(cme);
export const broadworksInstanceSchema = familyInstanceSchema(broadworks);
export const sipPhonesInstanceSchema = familyInstanceSchema(sipPhones);

/** One stored driver instance; the family decides the shape of `connection` and `advanced`. */
export const instanceSchema = z
  .discriminatedUnion('family', [panasonicInstanceSchema, cmeInstanceSchema, broadworksInstanceSchema, sipPhonesInstanceSchema])
  .superRefine(checkFamilyRules(FAMILY_SPECS));
export type Instance = z.output<typeof instanceSchema>;
export type PanasonicInstance = z.output<typeof panasonicInstanceSchema>;
export type CmeInstance = z.output<typeof cmeInstanceSchema>;
export type BroadWorksInstance = z.output<typeof broadworksInstanceSchema>;
export type SipPhonesInstance = z.output<typeof sipPhonesInstanceSchema>;

/**
 * The instance schema of another catalogue (a test's, with a family of its own). Its instances are typed as
 * `Instance` although their family may be none of the four: code past the store reads them through the spec.
 */
export function instanceSchemaOf(catalogue: FamilyCatalogue): z.ZodType<Instance> {
  if (catalogue === FAMILY_SPECS) return instanceSchema as unknown as z.ZodType<Instance>;
  const [first, ...rest] = Object.values(catalogue).map((spec) => familyInstanceSchema(spec));
  return z.discriminatedUnion('family', [first, ...rest]).superRefine(checkFamilyRules(catalogue)) as unknown as z.ZodType<Instance>;
}

/** What may be changed by `instances.update`: each section is merged one level deep into the current one. */
export const instancePatchSchema = z
  .object({
    name: z.string(),
    notes: z.string(),
    connection: z.record(z.string(), z.unknown()),
    location: z.record(z.string(), z.unknown()),
    numberFormat: z.record(z.string(), z.unknown()),
    sipFilter: z.record(z.string(), z.unknown()),
    advanced: z.record(z.string(), z.unknown()),
  })
  .partial()
  .strict();
export type InstancePatch = z.input<typeof instancePatchSchema>;

/** An instance without its lines, for lists. */
export interface InstanceSummary {
  id: string;
  name: string;
  family: Family;
  host: string;
  lineCount: number;
  notes: string;
}

/** A setting the admin still has to fill in before the instance can connect. */
export interface SettingProblem extends Coded {
  field: string;
}

/** Settings that are valid to store but not enough to connect (a fresh instance has no host yet). */
export function instanceProblems(inst: Instance): SettingProblem[] {
  const out: SettingProblem[] = [];
  if (!inst.connection.host) out.push({ field: 'connection.host', ...coded('validation.hostEmpty') });
  return out;
}

/** The port a connection uses by default for its transport, per the manuals. */
export function defaultPort(inst: Instance, catalogue: FamilyCatalogue = FAMILY_SPECS): number {
  return familySpec(inst.family, catalogue).defaultPort(inst.connection as never);
}

/** The connection's main port (AXL port for CME). */
export function mainPort(inst: Instance, catalogue: FamilyCatalogue = FAMILY_SPECS): number {
  return (inst.connection as unknown as Record<string, number>)[familySpec(inst.family, catalogue).portField];
}

/** The instance's connection after a patch, with the fill-ins and port rules of its family. */
export function patchedConnection(inst: Instance, patch: Record<string, unknown>, catalogue: FamilyCatalogue = FAMILY_SPECS, addedProfiles: readonly AccessProfile[] = []): Record<string, unknown> {
  return applyConnectionChange(familySpec(inst.family, catalogue), inst.connection as Record<string, unknown>, patch, addedProfiles);
}

// ---- Lines: syntax and uniqueness within an instance.

/** Internal numbers: digits, * and #, optionally a leading +; at most 32 characters. */
export const LINE_NUMBER_RE = /^\+?[0-9*#]{1,32}$/;
/** A phone's MAC address as CME names devices: `SEP` + 12 hex digits, or the 12 hex digits alone (as lines-io reads them). */
export const MAC_RE = /^(?:SEP)?[0-9A-Fa-f]{12}$/;

export interface LineProblem extends Coded {
  /** Index in the list checked. */
  index: number;
  field: keyof Line;
}

/** A family by id (in the shipped catalogue) or its spec. */
type FamilyOf = string | FamilySpec;
const specOf = (f: FamilyOf): FamilySpec => (typeof f === 'string' ? familySpec(f) : f);

/** What identifies a line within an instance: the family's identity (number; number + device on CME …). */
export function lineKey(family: FamilyOf, line: Pick<Line, 'number' | 'deviceId' | 'userId'>): string {
  return specOf(family).lineIdentity(line);
}

/** How a driver addresses the line: its identity key and the fields the PBX finds it by. */
export function lineRefOf(family: FamilyOf, line: Pick<Line, 'number' | 'deviceId' | 'userId'>): LineRef {
  const ref: LineRef = { key: lineKey(family, line), number: line.number };
  if (line.deviceId) ref.deviceId = line.deviceId;
  if (line.userId) ref.userId = line.userId;
  return ref;
}

/** C0 controls but TAB, DEL and C1: a NUL cuts names short in PBX messages (line breaks have their own problem). */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Syntax of one line for its family; no uniqueness. Problems are appended to `out` (returned). */
export function checkLine(family: FamilyOf, line: Line, index = 0, out: LineProblem[] = []): LineProblem[] {
  const fields = specOf(family).lineFields;
  const add = (field: keyof Line, code: ProblemCode, params?: Parameters<typeof coded>[1]) => out.push({ index, field, ...coded(code, params) });
  if (!LINE_NUMBER_RE.test(line.number)) add('number', 'line.badNumber', { value: line.number });
  if (line.name.length > 256) add('name', 'line.nameLong', { max: 256 });
  if (line.name.includes('\n') || line.name.includes('\r')) add('name', 'line.nameBreaks');
  else {
    const bad = CONTROL_CHARACTER.exec(line.name);
    if (bad) add('name', 'line.controlCharacter', { character: `U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` });
  }
  if (line.deviceId) {
    if (!fields.includes('deviceId')) add('deviceId', 'line.deviceIdCme');
    else if (!MAC_RE.test(line.deviceId)) add('deviceId', 'line.badMac', { value: line.deviceId });
  }
  if (line.buttons?.length) {
    if (!fields.includes('buttons')) add('buttons', 'line.buttonsCme');
    for (const b of line.buttons) if (!LINE_NUMBER_RE.test(b)) add('buttons', 'line.badButton', { value: b });
  }
  if (line.mobile) {
    if (!fields.includes('mobile')) add('mobile', 'line.mobilePanasonic');
    else if (!LINE_NUMBER_RE.test(line.mobile)) add('mobile', 'line.badMobile', { value: line.mobile });
  }
  if (line.userId) {
    if (!fields.includes('userId')) add('userId', 'line.userIdBroadworks');
    else if (!/^\S{1,128}$/.test(line.userId)) add('userId', 'line.badUserId', { value: line.userId });
  }
  return out;
}

/** Every problem of a whole line list: syntax of each line, duplicates (by lineKey), and on CME a device on two lines. */
export function checkLines(family: FamilyOf, lines: Line[]): LineProblem[] {
  const out: LineProblem[] = [];
  const byDevice = specOf(family).lineFields.includes('deviceId');
  const keys = new Map<string, number>();
  const devices = new Map<string, number>();
  lines.forEach((line, i) => {
    checkLine(family, line, i, out);
    const key = lineKey(family, line);
    const first = keys.get(key);
    if (first !== undefined) out.push({ index: i, field: 'number', ...(byDevice && line.deviceId ? coded('line.repeatedOnDevice', { value: line.number, device: line.deviceId, first: first + 1 }) : coded('line.repeated', { value: line.number, first: first + 1 })) });
    else keys.set(key, i);
    if (byDevice && line.deviceId) {
      const d = macDigits(line.deviceId);
      const firstDev = devices.get(d);
      if (firstDev !== undefined && first === undefined) out.push({ index: i, field: 'deviceId', ...coded('line.deviceUsed', { device: line.deviceId, first: firstDev + 1 }) });
      else if (firstDev === undefined) devices.set(d, i);
    }
  });
  return out;
}

/** Trims text fields and drops empty optional ones, so equal lines compare equal. */
export function normalizeLine(line: Line): Line {
  const out: Line = { number: line.number.trim(), name: line.name.trim() };
  if (line.deviceId?.trim()) out.deviceId = line.deviceId.trim();
  const buttons = line.buttons?.map((b) => b.trim()).filter(Boolean);
  if (buttons?.length) out.buttons = buttons;
  if (line.mobile?.trim()) out.mobile = line.mobile.trim();
  if (line.userId?.trim()) out.userId = line.userId.trim();
  return out;
}
