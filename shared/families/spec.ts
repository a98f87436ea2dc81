import { z } from 'zod';
import type { Line } from '../model/line';
import type { Coded } from '../problems';
import type { CallControlOpName } from '../api/call-control';

/**
 * What the product knows about one PBX family without talking to it: its settings, secrets, line fields and
 * identity, default ports and the rules between fields, what it can do, and how the console lays out its form.
 * Renderer-safe: no Node module, nothing of main.
 */

/** One setting as the form shows it; labels come from `fields.<key>`, option labels from `options.<value>`. */
export interface FieldDesc {
  key: string;
  kind: 'text' | 'number' | 'select' | 'checkbox';
  options?: readonly string[];
  /** Option labels that are proper names (providers) rather than translated words. */
  optionLabels?: Record<string, string>;
  show?: (v: Record<string, unknown>) => boolean;
  /** The field can be filled in by asking the network: `tftpServer` = the DHCP server's TFTP server (CME "Locate"). */
  locate?: 'tftpServer';
}

/** Line fields beyond number and name that a family may carry. */
export type LineField = 'deviceId' | 'buttons' | 'mobile' | 'userId';

/** Call-control operations a driver of the family offers (the console shows a button for each). */
/**
 * What a family's lines can do: the call operations of `shared/api/call-control.ts`, forwarding when busy and on no
 * answer (`setForwarding` alone is unconditional), forwarding for internal or external callers only, and reading
 * forwarding and do-not-disturb back from the PBX, Remote Office (read and set; BroadWorks).
 */
export type CallControlOp = 'makeCall' | 'clearCall' | 'setForwarding' | 'setDoNotDisturb' | CallControlOpName | 'forwardBusy' | 'forwardNoAnswer' | 'forwardByCaller' | 'readFeatures' | 'remoteOffice';

export interface FamilyCapabilities {
  /** "Test connection" in the wizard and the settings. */
  testConnection: boolean;
  /** "Query available lines" from the PBX. */
  discovery: boolean;
  /** Lines can be opened and monitored (the instance can be started). */
  runtime: boolean;
  callControl: readonly CallControlOp[];
  /** Line-list file formats an import accepts, and the one an export writes by default. */
  importFormats: readonly ('text' | 'cme' | 'csv')[];
  exportFormat: 'text' | 'cme';
  /** The wizard offers a built-in demo system of this family (its simulator on this PC). */
  demo?: boolean;
}

/** A rule between fields that the schema alone cannot say, reported on one field as a coded problem. */
export interface FieldIssue extends Coded {
  path: ['connection' | 'advanced', string];
}

export interface FamilySpec<Id extends string = string, C extends z.ZodObject = z.ZodObject, A extends z.ZodObject = z.ZodObject> {
  id: Id;
  connection: C;
  advanced: A;
  /** Names of the secrets an instance keeps in the SecretStore (`instance/<id>/<name>`); the first is the login's. */
  secrets: readonly string[];
  /** The secret used as the connection's password, if any. */
  passwordSecret: string;
  /** The connection field that holds the main port (shown in lists). */
  portField: keyof z.output<C> & string;
  lineFields: readonly LineField[];
  /** A line's identity within an instance: discovery, the runtime, licences and events key lines by it. */
  lineIdentity(line: Pick<Line, 'number' | 'deviceId' | 'userId'>): string;
  /** The port the manuals give for the connection's transport. */
  defaultPort(connection: z.output<C>): number;
  /**
   * Fill-ins the manuals tie to a change of connection settings (a provider profile's host and port, TLS off
   * when leaving the multiplexer). `patch` holds only what the admin changed.
   */
  fillIn?(before: z.output<C>, patch: Record<string, unknown>): Record<string, unknown>;
  /** Rules between fields of a whole instance; the schemas check each field alone. */
  check?(connection: z.output<C>, advanced: z.output<A>): FieldIssue[];
  /** Pre-configured access profiles (BroadWorks providers) the admin can extend with a profile file. */
  profiles?: ProfilesSpec;
  capabilities: FamilyCapabilities;
  /**
   * The lines are licensed by the server they come from, not from the pool per line: the uaCSTA server's licence
   * per phone covers its monitored line for every client (manual §3.8), so a client's line takes none again.
   */
  linesLicensedByServer?: boolean;
  /** The form of the family's call IDs when it has one (Panasonic: the hex of CSTA's octet string); CALL_ID_INVALID otherwise. */
  callIdPattern?: RegExp;
  /**
   * `passwordShown`: whether the connection in these settings logs in with `passwordSecret` (the wizard asks for it
   * then, so "test connection" can log in); always when absent.
   */
  form: { connection: readonly FieldDesc[]; advanced: readonly FieldDesc[]; passwordShown?: (v: Record<string, unknown>) => boolean };
  /** Configuration helpers for the PBX: commands made from the admin's values, to copy or (`applies`) to apply. */
  configHelpers?: readonly ConfigHelperSpec[];
}

/**
 * One configuration helper: its options (a schema and their fields; the defaults may come from the instance's
 * connection), whether the PBX can be asked for `choices` (the extensions to configure), and whether main can apply
 * the commands to the PBX (after the admin confirmed them) or they are only shown to copy.
 */
export interface ConfigHelperSpec {
  id: string;
  options: z.ZodObject;
  fields: readonly FieldDesc[];
  defaults(connection: Record<string, unknown>): Record<string, unknown>;
  choices: boolean;
  applies: boolean;
}

/** One access profile: its ID (the value of the profile field), its name, and the connection fields it fills in. */
export interface AccessProfile {
  id: string;
  label: string;
  fields: Record<string, string | number>;
}

/** A family's access profiles: the built-in ones, and the text format of a profile file. */
export interface ProfilesSpec {
  /** The connection field that names the profile; `custom` there means none. */
  field: string;
  builtIn: readonly AccessProfile[];
  /** The file name an export suggests. */
  fileName: string;
  /** A whole profile file, all or nothing: the profiles, or every problem (each naming its line). */
  parse(text: string): { profiles: AccessProfile[]; problems: Coded[] };
  format(profiles: readonly AccessProfile[]): string;
}

/** Declares a spec with its schema types kept, so `z.output` of each family stays precise. */
export function defineFamily<Id extends string, C extends z.ZodObject, A extends z.ZodObject>(spec: FamilySpec<Id, C, A>): FamilySpec<Id, C, A> {
  return spec;
}

// ---- building blocks the families share ----------------------------------------------------------------------

export const port = (what = 'port') => z.number().int(`${what} must be a whole number`).min(1, `${what} must be 1-65535`).max(65535, `${what} must be 1-65535`);
const seconds = (min: number, max: number) =>
  z.number().int('must be a whole number of seconds').min(min, `must be at least ${min} seconds`).max(max, `must be at most ${max} seconds`);
/** Empty until the admin fills it in; `instanceProblems` reports it, a patch may not set it back to empty. */
export const host = z.string().trim().max(253, 'host name is longer than 253 characters');
export const user = z.string().max(128, 'user name is longer than 128 characters');

/** Interval bounds (seconds). The manuals give no numbers; these defaults and minima are our choice. */
export const INTERVALS = {
  snapshot: { min: 10, max: 3600, default: 60 },
  monitorRetry: { min: 5, max: 3600, default: 60 },
  updateLines: { min: 30, max: 86_400, default: 300 },
} as const;

export const commonAdvanced = {
  /** Read the names of the lines from the PBX when lines are queried. */
  readLineNames: z.boolean().default(true),
  /** Check active calls against the PBX this often, so calls that ended unseen disappear. */
  snapshotInterval: seconds(INTERVALS.snapshot.min, INTERVALS.snapshot.max).default(INTERVALS.snapshot.default),
  /** Retry a failed MonitorStart (phone unplugged …) this often. */
  monitorRetryInterval: seconds(INTERVALS.monitorRetry.min, INTERVALS.monitorRetry.max).default(INTERVALS.monitorRetry.default),
};
export const updateLinesInterval = seconds(INTERVALS.updateLines.min, INTERVALS.updateLines.max).default(INTERVALS.updateLines.default);
/** The advanced settings every family's form shows first. */
export const commonAdvancedFields: readonly FieldDesc[] = [
  { key: 'readLineNames', kind: 'checkbox' },
  { key: 'snapshotInterval', kind: 'number' },
  { key: 'monitorRetryInterval', kind: 'number' },
];

/** Lines identified by their number alone. */
export const numberIdentity = (line: Pick<Line, 'number'>): string => line.number;

/** A family whose driver is still to come: settings and lines can be kept, nothing more. */
export const configurationOnly: Pick<FamilyCapabilities, 'testConnection' | 'discovery' | 'runtime' | 'callControl'> = {
  testConnection: false,
  discovery: false,
  runtime: false,
  callControl: [],
};
