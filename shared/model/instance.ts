import { z } from 'zod';
import { FAMILIES, lineSchema, type Family, type Line, type LineRef } from './line';
import { locationSchema, numberFormatSchema, sipFilterSchema } from './rules';

/**
 * Driver instances as stored (one document each) and exchanged over the API: connection settings per family
 * as the vendor manuals describe them, location, number format, SIP-line filter, advanced settings, notes, lines.
 * Passwords are not here: they live in the SecretStore under the names in SECRET_FIELDS.
 */

export { FAMILIES, type Family } from './line';

const port = (what = 'port') => z.number().int(`${what} must be a whole number`).min(1, `${what} must be 1-65535`).max(65535, `${what} must be 1-65535`);
const seconds = (min: number, max: number) =>
  z.number().int('must be a whole number of seconds').min(min, `must be at least ${min} seconds`).max(max, `must be at most ${max} seconds`);
/** Empty until the admin fills it in; `instanceProblems` reports it, a patch may not set it back to empty. */
const host = z.string().trim().max(253, 'host name is longer than 253 characters');
const user = z.string().max(128, 'user name is longer than 128 characters');

/** Interval bounds (seconds). The manuals give no numbers; these defaults and minima are our choice. */
export const INTERVALS = {
  snapshot: { min: 10, max: 3600, default: 60 },
  monitorRetry: { min: 5, max: 3600, default: 60 },
  updateLines: { min: 30, max: 86_400, default: 300 },
} as const;

const commonAdvanced = {
  /** Read the names of the lines from the PBX when lines are queried. */
  readLineNames: z.boolean().default(true),
  /** Check active calls against the PBX this often, so calls that ended unseen disappear. */
  snapshotInterval: seconds(INTERVALS.snapshot.min, INTERVALS.snapshot.max).default(INTERVALS.snapshot.default),
  /** Retry a failed MonitorStart (phone unplugged …) this often. */
  monitorRetryInterval: seconds(INTERVALS.monitorRetry.min, INTERVALS.monitorRetry.max).default(INTERVALS.monitorRetry.default),
};

// ---- Panasonic: directly to the PBX (TCP 33333) or through the CSTA multiplexer (TCP 33333 / TLS 33334, login).
export const PANASONIC_PORTS = { direct: 33333, multiplexerTcp: 33333, multiplexerTls: 33334 } as const;
export const panasonicConnectionSchema = z.object({
  mode: z.enum(['direct', 'multiplexer']).default('direct'),
  host: host.default(''),
  port: port().default(PANASONIC_PORTS.direct),
  /** Only with the multiplexer; the host name must then be the one in the multiplexer's certificate. */
  tls: z.boolean().default(false),
  /** Multiplexer login; the manual's default is admin/admin. */
  user: user.default('admin'),
});
export const panasonicAdvancedSchema = z.object({ ...commonAdvanced });

// ---- Cisco CME: AXL (XML API over HTTP/HTTPS) for reading lines, SIP/TCP with a session server for CSTA.
export const CME_DEFAULTS = { axlHttpPort: 80, axlHttpsPort: 443, sipPort: 5060, sessionServerId: 'ss_ecsta' } as const;
export const cmeConnectionSchema = z.object({
  host: host.default(''),
  axlProtocol: z.enum(['http', 'https']).default('http'),
  axlPort: port('AXL port').default(CME_DEFAULTS.axlHttpPort),
  axlUser: user.default(''),
  /** Local IP interface the driver accepts SIP on; empty = all interfaces. */
  sipInterface: z.string().trim().max(64).default(''),
  sipPort: port('SIP port').default(CME_DEFAULTS.sipPort),
  /** CME port for SIP. */
  cmeSipPort: port('CME SIP port').default(CME_DEFAULTS.sipPort),
  /** The `register-id` of the CME session server (`voice register session-server`), at most 30 characters. */
  sessionServerId: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,30}$/, 'session server ID must be 1-30 letters, digits or _')
    .default(CME_DEFAULTS.sessionServerId),
});
export const cmeAdvancedSchema = z.object({
  ...commonAdvanced,
  /** Also read each phone's additional line buttons (they become addresses of the line). */
  readLineButtons: z.boolean().default(false),
  /** How often registered phones are queried over AXL (extension mobility logins, unregistered phones). */
  updateLinesInterval: seconds(INTERVALS.updateLines.min, INTERVALS.updateLines.max).default(INTERVALS.updateLines.default),
});

// ---- BroadWorks: Xsi over HTTP(S) or the CTI channel (TCP 8011 / TLS 8012), server (group admin) or workstation mode.
export const BROADWORKS_CONNECTION_TYPES = ['http', 'https', 'cti', 'ctis'] as const;
export type BroadWorksConnectionType = (typeof BROADWORKS_CONNECTION_TYPES)[number];
export const BROADWORKS_PORTS: Record<BroadWorksConnectionType, number> = { http: 80, https: 443, cti: 8011, ctis: 8012 };
/** Pre-configured provider profiles from the manual's examples; `custom` means entered by hand. */
export const BROADWORKS_PROVIDERS = [
  { id: 'plusnet', label: 'Plusnet GmbH (Deutschland)', host: 'web.centraflex.de', connectionType: 'ctis', port: 8012, urlPrefix: '' },
  { id: 'routit', label: 'Routit (Netherlands)', host: 'cai.voipit.nl', connectionType: 'https', port: 443, urlPrefix: 'nl.cai' },
] as const satisfies ReadonlyArray<{ id: string; label: string; host: string; connectionType: BroadWorksConnectionType; port: number; urlPrefix: string }>;
export const broadworksConnectionSchema = z.object({
  /** `server`: the lines of a group, group-admin login; `workstation`: one user's own line. */
  mode: z.enum(['server', 'workstation']).default('server'),
  provider: z.string().default('custom'),
  host: host.default(''),
  connectionType: z.enum(BROADWORKS_CONNECTION_TYPES).default('https'),
  port: port().default(BROADWORKS_PORTS.https),
  /** A provider's path before the Xsi paths (e.g. `nl.cai`); empty for the standard layout. */
  urlPrefix: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._~\-/]*$/, 'URL prefix may contain letters, digits and . _ ~ - / only')
    .default(''),
  user: user.default(''),
});
export const broadworksAdvancedSchema = z.object({
  ...commonAdvanced,
  /** How lines are named: `standard` = number / name, `number`, `name`. */
  lineNameFormat: z.enum(['standard', 'number', 'name']).default('standard'),
  /** When a consultation ends, reconnect the held party automatically (else it stays on hold). */
  returnToHeldAfterConsultation: z.boolean().default(true),
  /** HTTP proxy for Xsi as `http://host:port`; empty = none. Not usable with the CTI channel. */
  httpProxy: z
    .string()
    .trim()
    .regex(/^(|https?:\/\/[^\s/:]+(:\d{1,5})?\/?)$/, 'HTTP proxy must look like http://host:port')
    .default(''),
});

// ---- SIP phones: the driver is a client of our uaCSTA server (TCP 5060 / TLS 5061) with a client login.
export const SIP_PHONES_PORTS = { tcp: 5060, tls: 5061 } as const;
export const sipPhonesConnectionSchema = z.object({
  host: host.default(''),
  transport: z.enum(['tcp', 'tls']).default('tcp'),
  port: port().default(SIP_PHONES_PORTS.tcp),
  user: user.default(''),
});
export const sipPhonesAdvancedSchema = z.object({ ...commonAdvanced });

/** Secret names per family, kept in the SecretStore as `instance/<id>/<field>`. */
export const SECRET_FIELDS = {
  panasonic: ['multiplexerPassword'],
  cme: ['axlPassword'],
  broadworks: ['password'],
  'sip-phones': ['password'],
} as const satisfies Record<Family, readonly string[]>;
export type SecretField = (typeof SECRET_FIELDS)[Family][number];

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

export const panasonicInstanceSchema = z.object({ family: z.literal('panasonic'), ...common, connection: panasonicConnectionSchema.prefault({}), advanced: panasonicAdvancedSchema.prefault({}) });
export const cmeInstanceSchema = z.object({ family: z.literal('cme'), ...common, connection: cmeConnectionSchema.prefault({}), advanced: cmeAdvancedSchema.prefault({}) });
export const broadworksInstanceSchema = z.object({ family: z.literal('broadworks'), ...common, connection: broadworksConnectionSchema.prefault({}), advanced: broadworksAdvancedSchema.prefault({}) });
export const sipPhonesInstanceSchema = z.object({ family: z.literal('sip-phones'), ...common, connection: sipPhonesConnectionSchema.prefault({}), advanced: sipPhonesAdvancedSchema.prefault({}) });

/** One stored driver instance; the family decides the shape of `connection` and `advanced`. */
export const instanceSchema = z
  .discriminatedUnion('family', [panasonicInstanceSchema, cmeInstanceSchema, broadworksInstanceSchema, sipPhonesInstanceSchema])
  .superRefine((inst, ctx) => {
    if (inst.family === 'panasonic' && inst.connection.tls && inst.connection.mode !== 'multiplexer') {
      ctx.addIssue({ code: 'custom', path: ['connection', 'tls'], message: 'TLS is only available through the CSTA multiplexer' });
    }
    if (inst.family === 'broadworks' && inst.connection.provider !== 'custom' && !BROADWORKS_PROVIDERS.some((p) => p.id === inst.connection.provider)) {
      ctx.addIssue({ code: 'custom', path: ['connection', 'provider'], message: `provider must be custom or one of ${BROADWORKS_PROVIDERS.map((p) => p.id).join(', ')}` });
    }
    if (inst.family === 'broadworks' && inst.advanced.httpProxy && (inst.connection.connectionType === 'cti' || inst.connection.connectionType === 'ctis')) {
      ctx.addIssue({ code: 'custom', path: ['advanced', 'httpProxy'], message: 'an HTTP proxy cannot be used with the CTI connection' });
    }
  });
export type Instance = z.output<typeof instanceSchema>;
export type PanasonicInstance = z.output<typeof panasonicInstanceSchema>;
export type CmeInstance = z.output<typeof cmeInstanceSchema>;
export type BroadWorksInstance = z.output<typeof broadworksInstanceSchema>;
export type SipPhonesInstance = z.output<typeof sipPhonesInstanceSchema>;

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
export interface SettingProblem {
  field: string;
  message: string;
}

/** Settings that are valid to store but not enough to connect (a fresh instance has no host yet). */
export function instanceProblems(inst: Instance): SettingProblem[] {
  const out: SettingProblem[] = [];
  if (!inst.connection.host) out.push({ field: 'connection.host', message: 'host must not be empty' });
  return out;
}

/** Connection fields a BroadWorks provider profile fills in; empty for `custom` or an unknown id. */
export function providerProfileFields(provider: string): Partial<BroadWorksInstance['connection']> {
  const p = BROADWORKS_PROVIDERS.find((x) => x.id === provider);
  return p ? { host: p.host, connectionType: p.connectionType, port: p.port, urlPrefix: p.urlPrefix } : {};
}

/** The port a connection uses by default for its transport, per the manuals. */
export function defaultPort(inst: Instance): number {
  switch (inst.family) {
    case 'panasonic':
      return inst.connection.mode === 'multiplexer' && inst.connection.tls ? PANASONIC_PORTS.multiplexerTls : PANASONIC_PORTS.direct;
    case 'cme':
      return inst.connection.axlProtocol === 'https' ? CME_DEFAULTS.axlHttpsPort : CME_DEFAULTS.axlHttpPort;
    case 'broadworks':
      return BROADWORKS_PORTS[inst.connection.connectionType];
    case 'sip-phones':
      return inst.connection.transport === 'tls' ? SIP_PHONES_PORTS.tls : SIP_PHONES_PORTS.tcp;
  }
}

/** The connection's main port (AXL port for CME). */
export function mainPort(inst: Instance): number {
  return inst.family === 'cme' ? inst.connection.axlPort : inst.connection.port;
}

// ---- Lines: syntax and uniqueness within an instance.

/** Internal numbers: digits, * and #, optionally a leading +; at most 32 characters. */
export const LINE_NUMBER_RE = /^\+?[0-9*#]{1,32}$/;
/** A phone's MAC address as CME names devices: `SEP` + 12 hex digits, or the 12 hex digits alone (as lines-io reads them). */
export const MAC_RE = /^(?:SEP)?[0-9A-Fa-f]{12}$/;

/** The 12 upper-case hex digits of a MAC address with or without SEP, for comparing device IDs. */
export function macDigits(deviceId: string): string {
  return deviceId.replace(/^SEP/i, '').toUpperCase();
}

export interface LineProblem {
  /** Index in the list checked. */
  index: number;
  field: keyof Line;
  message: string;
}

/** What identifies a line within an instance: the number, and on CME also the device (shared lines). */
export function lineKey(family: Family, line: Pick<Line, 'number' | 'deviceId'>): string {
  return family === 'cme' ? `${line.number}|${line.deviceId ? macDigits(line.deviceId) : ''}` : line.number;
}

/** How a driver addresses the line: its identity key and the fields the PBX finds it by. */
export function lineRefOf(family: Family, line: Pick<Line, 'number' | 'deviceId' | 'userId'>): LineRef {
  const ref: LineRef = { key: lineKey(family, line), number: line.number };
  if (line.deviceId) ref.deviceId = line.deviceId;
  if (line.userId) ref.userId = line.userId;
  return ref;
}

/** Syntax of one line for its family; no uniqueness. Problems are appended to `out` (returned). */
export function checkLine(family: Family, line: Line, index = 0, out: LineProblem[] = []): LineProblem[] {
  const add = (field: keyof Line, message: string) => out.push({ index, field, message });
  if (!LINE_NUMBER_RE.test(line.number)) add('number', `"${line.number}" is not a valid number (digits, * and #, optional leading +, at most 32)`);
  if (line.name.length > 256) add('name', 'name is longer than 256 characters');
  if (line.name.includes('\n') || line.name.includes('\r')) add('name', 'name must not contain line breaks');
  if (line.deviceId) {
    if (family !== 'cme') add('deviceId', 'device IDs exist only on CME lines');
    else if (!MAC_RE.test(line.deviceId)) add('deviceId', `"${line.deviceId}" is not a MAC address (12 hex digits, optionally after SEP)`);
  }
  if (line.buttons?.length) {
    if (family !== 'cme') add('buttons', 'additional line buttons exist only on CME lines');
    for (const b of line.buttons) if (!LINE_NUMBER_RE.test(b)) add('buttons', `line button "${b}" is not a valid number`);
  }
  if (line.mobile) {
    if (family !== 'panasonic') add('mobile', 'a Super-Twin mobile address exists only on Panasonic lines');
    else if (!LINE_NUMBER_RE.test(line.mobile)) add('mobile', `mobile address "${line.mobile}" is not a valid number`);
  }
  if (line.userId) {
    if (family !== 'broadworks') add('userId', 'user IDs exist only on BroadWorks lines');
    else if (!/^\S{1,128}$/.test(line.userId)) add('userId', `user ID "${line.userId}" must be 1-128 characters without spaces`);
  }
  return out;
}

/** Every problem of a whole line list: syntax of each line, duplicates (by lineKey), and on CME a device on two lines. */
export function checkLines(family: Family, lines: Line[]): LineProblem[] {
  const out: LineProblem[] = [];
  const keys = new Map<string, number>();
  const devices = new Map<string, number>();
  lines.forEach((line, i) => {
    checkLine(family, line, i, out);
    const key = lineKey(family, line);
    const first = keys.get(key);
    if (first !== undefined) out.push({ index: i, field: 'number', message: `number ${line.number}${family === 'cme' && line.deviceId ? ` on device ${line.deviceId}` : ''} is already line ${first + 1}` });
    else keys.set(key, i);
    if (family === 'cme' && line.deviceId) {
      const d = macDigits(line.deviceId);
      const firstDev = devices.get(d);
      if (firstDev !== undefined && first === undefined) out.push({ index: i, field: 'deviceId', message: `device ${line.deviceId} is already used by line ${firstDev + 1}` });
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
