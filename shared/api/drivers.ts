import { z } from 'zod';
import { event, method } from './define';
import type { Line } from '../model/line';
import type { Coded } from '../problems';
import { callControlRequestSchema, forwardingKeySchema, type CallControlResult, type LineFeatures, type RemoteOffice } from './call-control';

/**
 * Drivers at run time: test a connection, discover lines (preview + atomic apply), open/close an instance's
 * lines, live connection and line status, and the line monitor's call control. Every method and event is
 * described at the top of docs/panasonic-driver.md.
 */

export const CONNECTION_STATES = ['connecting', 'connected', 'lost', 'retrying', 'stopped'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/** `passwordNeeded`: the stored password stopped working after it had worked; no retries until a new one is set. */
export const STATUS_STEP_CODES = ['stopped', 'connecting', 'loggingIn', 'startingMonitors', 'open', 'lost', 'waiting', 'passwordNeeded'] as const;
export type StatusStepCode = (typeof STATUS_STEP_CODES)[number];

/** The failure code of a link whose stored password the PBX started rejecting. */
export const PASSWORD_NEEDED = 'PASSWORD_NEEDED';

export interface DriverError {
  /** e.g. CONNECT_REFUSED, CONNECT_TIMEOUT, NAME_NOT_RESOLVED, TLS_FAILED, LOGIN_REJECTED, PBX_BUSY. */
  code: string;
  /** English, for logs and the command line. */
  message: string;
  /** The facts (host, port, cause as a low-level code …), so the console words the failure in its language. */
  params?: Record<string, string | number>;
}

/** Where a link goes: the configured host and port, or a target an SRV record named (`record`). */
export interface ConnectionTarget {
  host: string;
  port: number;
  via: 'srv' | 'configured';
  /** The SRV record the target came from, e.g. `_ecsta-cti._tls.example.com`. */
  record?: string;
}

export interface ConnectionStatus {
  instanceId: string;
  state: ConnectionState;
  /** ISO time the state began. */
  since: string;
  /** What is happening now, one short sentence (`logging in`, `restarting 12 monitors` …). */
  step: string;
  /** The same step as a code and its values, so the console can say it in the user's language. */
  stepCode: StatusStepCode;
  stepParams: Record<string, string | number>;
  lastError: DriverError | null;
  /** Connection attempts since the last success. */
  attempts: number;
  /** ISO time of the next reconnect attempt, while retrying. */
  nextAttemptAt: string | null;
  /** Call events received per second, averaged over the last seconds. */
  eventsPerSecond: number;
  /** Visible warnings, e.g. the multiplexer's shipped admin/admin login is in use. */
  warnings: Coded[];
  /** Where the connected link goes (null while not connected). */
  target: ConnectionTarget | null;
}

/**
 * One entry of an instance's reconnect history: the link went `down` (with the cause), was `up` again (with how
 * long it was down, when measured in the same run), or the instance was `stopped`.
 */
export interface LinkHistoryEvent {
  at: string;
  kind: 'up' | 'down' | 'stopped';
  code?: string;
  message?: string;
  downMs?: number;
}

export interface TestConnectionResult {
  ok: boolean;
  host: string;
  port: number;
  transport: 'tcp' | 'tls';
  durationMs: number;
  /** On success: what the PBX answered (association accepted, CSTA version, devices reported). */
  reply: string | null;
  error: DriverError | null;
  warnings: Coded[];
  /** SHA-256 fingerprint of the server certificate (TLS), so the admin can accept and pin it. */
  fingerprint: string | null;
  /** On success: where the test connected (an SRV record's target, or the configured host). */
  target: ConnectionTarget | null;
}

export const DEVICE_KINDS = ['proprietary', 'sip', 'dect', 'analogue', 'unknown'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
/** `userDirectory`: a platform's directory of the users of a group (Xsi), or the login's own user. `phoneInventory`: the phones, their line buttons and user profiles a PBX's configuration API lists. */
export const DISCOVERY_METHODS = ['switchingFunctionDevices', 'escapeDeviceList', 'snapshotProbe', 'userDirectory', 'phoneInventory'] as const;
export type DiscoveryMethod = (typeof DISCOVERY_METHODS)[number];

/** One device as read from the PBX. */
export interface DiscoveredDevice {
  number: string;
  name: string;
  kind: DeviceKind;
  /** Super-Twin: the DECT handset paired with this desk phone (the line's "Mobile" address). */
  mobile?: string;
  /** CME: the phone the number appears on (a shared number appears on several), and its other line buttons. */
  deviceId?: string;
  buttons?: string[];
  /** BroadWorks: the user the line belongs to, and the user's extension inside the group. */
  userId?: string;
  extension?: string;
}

export interface FilteredLine {
  line: DiscoveredDevice;
  /** 1-based index of the SIP-filter rule that left the line out, with its kind and pattern. */
  rule: number;
  ruleKind: string;
  pattern: string;
}

export interface DiscoveryPreview {
  requestId: string;
  instanceId: string;
  method: DiscoveryMethod;
  /** Devices the PBX reported (inside the ranges when ranges are set). */
  discovered: number;
  /** Devices outside the extension ranges: not taken, but counted, and the first 1,000 listed in `outside`. */
  outOfRange: number;
  outside: DiscoveredDevice[];
  added: Line[];
  removed: Line[];
  /** Of `removed`, the lines the PBX does not list at all ("keep lines the PBX does not list" keeps these). */
  unlisted: number;
  renamed: Array<{ number: string; from: string; to: string }>;
  unchanged: number;
  filtered: FilteredLine[];
  /** The line list `lines.applyDiscovery` will store. */
  lines: Line[];
  warnings: Coded[];
}

export interface DiscoveryApplied {
  lineCount: number;
  added: number;
  removed: number;
  renamed: number;
  /** The store's copy of the instance as it was before this apply (until its next save). */
  backupFile: string | null;
}

export interface DiscoverProgress {
  instanceId: string;
  requestId: string;
  phase: 'connecting' | 'reading' | 'probing' | 'filtering' | 'done' | 'cancelled' | 'failed';
  method: DiscoveryMethod | null;
  /** Devices found so far. */
  found: number;
  /** While probing: numbers tried so far of `total`. */
  probed: number;
  total: number;
}

export const LINE_STATES = ['closed', 'opening', 'open', 'retrying', 'noLicence'] as const;
export type LineState = (typeof LINE_STATES)[number];
export const CALL_STATES = ['initiated', 'alerting', 'connected', 'held', 'queued', 'failed', 'cleared'] as const;
export type CallState = (typeof CALL_STATES)[number];

export interface CallInfo {
  callId: string;
  state: CallState;
  direction: 'incoming' | 'outgoing' | 'unknown';
  /** The other party, formatted by the incoming/outgoing rules (after the location made it canonical, when in use). */
  remote: string;
  /** The other party as the PBX sent it. */
  remoteRaw: string;
  /** The other party in canonical form, the rules' input, when the instance uses a location. */
  remoteCanonical?: string;
  /** ISO time of the last change. */
  since: string;
  /** A conference call: the other devices in it as the PBX named them (what "remove from a conference" drops). */
  parties?: string[];
}

export interface LineStatus {
  instanceId: string;
  /** The line's identity within the instance (the number, or number|device for CME shared lines). */
  line: string;
  number: string;
  /** The number as the instance shows lines: canonical (`+49(89)1234-100`) when so chosen, else the extension. */
  display: string;
  state: LineState;
  /** Super-Twin "Mobile" address, when the line has one. */
  mobile: string | null;
  lastError: DriverError | null;
  nextRetryAt: string | null;
  calls: CallInfo[];
  doNotDisturb: boolean | null;
  forwarding: { on: boolean; to: string | null } | null;
  /** False after the PBX reported the device out of service (unplugged), true when back; null until reported. */
  inService: boolean | null;
}

/** One row's live state in the lines table (`lines.states`). */
export interface LineStateBrief {
  line: string;
  state: LineState;
  inService: boolean | null;
}

/** How many lines one `lines.states` call may ask for: a screen of rows with room to spare. */
export const LINE_STATES_MAX = 500;

export interface DriverStatus {
  instanceId: string;
  running: boolean;
  connection: ConnectionStatus;
  lines: { total: number; open: number; retrying: number; noLicence: number };
}

export interface LineEvent {
  instanceId: string;
  /** The line's identity within the instance (see LineStatus.line). */
  line: string;
  number: string;
  /** The line's number as shown (see LineStatus.display). */
  display: string;
  /** CSTA event name: delivered, established, connectionCleared, doNotDisturb, forwarding …, or `line.<state>` */
  event: string;
  callId: string | null;
  callState: CallState | null;
  /**
   * Calling and called party: canonical when the instance uses a location (the PBX's own digits are then in
   * `raw`), else as the PBX sent them; `remote` is the other party after the incoming/outgoing rules.
   */
  numbers: { calling: string | null; called: string | null; remote: string | null; raw?: { calling: string | null; called: string | null } };
  /** The CSTA event cause (newCall, normalClearing …); for `line.<state>` the failure's code (CONNECT_REFUSED …). */
  cause: string | null;
  time: string;
  lineState: LineState;
  /** Set when the event is about the line's Super-Twin handset (its number) rather than the desk phone itself. */
  twin?: string | null;
}

const instanceId = z.string().min(1);
/** A line's identity key: its number, or number|device ID on CME. */
const lineNumber = z.string().min(1).max(100);
const requestId = z.string().min(1).max(100);
/** Which address of the line acts: the line itself, or its Super-Twin "Mobile" handset (once learnt or set). */
export const LINE_ADDRESSES = ['line', 'mobile'] as const;
const address = z.enum(LINE_ADDRESSES).optional();
export type LineAddress = (typeof LINE_ADDRESSES)[number];

export const driversMethods = {
  'instances.testConnection': method<TestConnectionResult>()(
    z
      .object({
        instanceId,
        /** Unsaved settings from the form override the stored ones. */
        connection: z
          .object({
            mode: z.enum(['direct', 'multiplexer']).optional(),
            host: z.string().trim().min(1).max(253).optional(),
            port: z.number().int().min(1).max(65535).optional(),
            tls: z.boolean().optional(),
            user: z.string().max(128).optional(),
          })
          .strict()
          .optional(),
        /** The form's whole unsaved connection section (a family's own fields: BroadWorks' type, prefix, group user); its schema checks it. */
        values: z.record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean()])).optional(),
        password: z.string().max(256).optional(),
        /** Accept a certificate with this SHA-256 fingerprint even when the host name does not match. */
        fingerprint: z.string().max(200).optional(),
      })
      .strict(),
  ),
  /** Pins the certificate the admin accepted (its SHA-256 fingerprint from a TLS_FAILED test); null removes the pin. */
  'instances.acceptCertificate': method<{ fingerprint: string | null }>()(
    z.object({ instanceId, fingerprint: z.string().regex(/^[0-9A-Fa-f:]{64,95}$/, 'a SHA-256 fingerprint: 64 hex digits, colons allowed').nullable() }).strict(),
  ),
  'lines.discover': method<DiscoveryPreview>()(z.object({ instanceId, requestId }).strict()),
  'lines.discoverCancel': method<{ cancelled: boolean }>()(z.object({ requestId }).strict()),
  'lines.applyDiscovery': method<DiscoveryApplied>()(
    z.object({ instanceId, requestId, keepUnlisted: z.boolean().optional(), keepNames: z.boolean().optional() }).strict(),
  ),
  /** Puts back the line list the last `lines.applyDiscovery` of this instance replaced (while the lines are unchanged since). */
  'lines.undoApply': method<{ lineCount: number }>()(z.object({ instanceId }).strict()),
  'driver.start': method<DriverStatus>()(z.object({ instanceId }).strict()),
  'driver.stop': method<DriverStatus>()(z.object({ instanceId }).strict()),
  'driver.status': method<DriverStatus>()(z.object({ instanceId }).strict()),
  /** Link drops and recoveries of the last 7 days, oldest first (kept across restarts). */
  'driver.linkHistory': method<{ events: LinkHistoryEvent[] }>()(z.object({ instanceId }).strict()),
  /** While waiting to reconnect: tries at once instead of at `nextAttemptAt`. NOT_RUNNING when stopped. */
  'driver.reconnectNow': method<DriverStatus>()(z.object({ instanceId }).strict()),
  'line.status': method<LineStatus>()(z.object({ instanceId, line: lineNumber }).strict()),
  /**
   * The live state of many lines in one call (the lines table asks for its visible rows). Lines the instance
   * does not have are left out; a stopped instance answers `running: false` and no states.
   */
  'lines.states': method<{ running: boolean; states: LineStateBrief[] }>()(
    z.object({ instanceId, lines: z.array(lineNumber).max(LINE_STATES_MAX) }).strict(),
  ),
  /** `number` may be canonical (`+49(30)12345-123`): the location makes it dialable, then the dialing rules apply. */
  'line.makeCall': method<{ callId: string; dialed: string }>()(z.object({ instanceId, line: lineNumber, number: z.string().trim().min(1).max(64), address }).strict()),
  'line.clearCall': method<{ cleared: number }>()(z.object({ instanceId, line: lineNumber, callId: z.string().optional(), address }).strict()),
  /** Without `which`: immediate forwarding of all calls. */
  'line.setForwarding': method<LineStatus>()(
    z
      .object({ instanceId, line: lineNumber, on: z.boolean(), to: z.string().trim().max(64).optional(), which: forwardingKeySchema.optional() })
      .strict()
      .refine((v) => !v.on || !!v.to, 'forwarding on needs a destination "to"'),
  ),
  /** Answer, hold, transfer, conference … (shared/api/call-control.ts); CALL_CONTROL_NOT_SUPPORTED when the family lacks it, CALL_ID_INVALID for a call ID the family never gives out. */
  'line.callControl': method<CallControlResult>()(z.object({ instanceId, line: lineNumber, request: callControlRequestSchema, address }).strict()),
  /** Forwarding (every kind) and do-not-disturb as the PBX has them now. */
  'line.features': method<LineFeatures>()(z.object({ instanceId, line: lineNumber }).strict()),
  'line.setDoNotDisturb': method<LineStatus>()(z.object({ instanceId, line: lineNumber, on: z.boolean() }).strict()),
  /**
   * Remote Office on (calls ring at `number`) or off; answers it as read back from the platform.
   * CALL_CONTROL_NOT_SUPPORTED (op `remoteOffice`) where the family lacks it.
   */
  'line.setRemoteOffice': method<RemoteOffice>()(
    z
      .object({ instanceId, line: lineNumber, active: z.boolean(), number: z.string().trim().min(1).max(64).optional() })
      .strict()
      .refine((v) => !v.active || !!v.number, { message: 'remote office on needs a "number"', path: ['number'] }),
  ),
};

export const driversEvents = {
  'connection.status': event<ConnectionStatus>(),
  'lines.discoverProgress': event<DiscoverProgress>(),
  'line.event': event<LineEvent>(),
};
