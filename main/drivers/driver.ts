import type { Coded, ProblemCode } from '../../shared/problems';
// The contract every PBX family implements. A Driver is one link to one PBX (or multiplexer): it connects,
// reads devices, monitors lines and controls calls. Reconnecting, licences, retries and number formatting are the
// engine's job (main/engine/runtime), so a driver stays a thin translation of the vendor protocol.
import type { CallState, ConnectionTarget, DeviceKind, DiscoveredDevice, DiscoveryMethod, DriverError } from '../../shared/api/drivers';
import type { Family, LineRef } from '../../shared/model/line';
import type { CallControlRequest, CallControlResult, ForwardingKey, ForwardingSetting, LineFeatures, RemoteOffice } from '../../shared/api/call-control';
import type { DriverSettings } from './family';

/** How to reach the PBX; the family decides which fields matter. */
export interface DriverConnection {
  host: string;
  port: number;
  tls: boolean;
  /** Login (multiplexer, or a PBX demanding one). */
  user?: string;
  password?: string;
  /** Accept a TLS certificate with this SHA-256 fingerprint (hex, colons optional) instead of checking the chain. */
  fingerprint?: string;
  /** Extra trusted CA certificates (PEM) for the chain check. */
  ca?: string | Buffer;
  /** Default 5000 ms. */
  connectTimeoutMs?: number;
  /** How long an answer to a request may take; default 10000 ms. */
  answerTimeoutMs?: number;
}

/** A failure with a code from DriverErrorCodes and a sentence naming host, port and cause. */
export class DriverFailure extends Error implements DriverError {
  constructor(
    readonly code: string,
    message: string,
    /** TLS failures: the server certificate's SHA-256 fingerprint, to accept and pin. */
    readonly fingerprint?: string,
    /** The facts of the message (host, port, cause …), for a sentence in the user's language. */
    readonly params: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'DriverFailure';
  }
  toJSON(): DriverError {
    return driverError(this);
  }
}

/** A failure as it crosses the API: code, English message, and the facts when it has any. */
export function driverError(f: { code: string; message: string; params?: Record<string, string | number> }): DriverError {
  return f.params && Object.keys(f.params).length ? { code: f.code, message: f.message, params: f.params } : { code: f.code, message: f.message };
}

/** ApiFailure details of a driver failure: its facts, and the certificate's fingerprint to accept. */
export function failureDetails(f: DriverFailure): Record<string, string | number> | undefined {
  const details = { ...f.params, ...(f.fingerprint ? { fingerprint: f.fingerprint } : {}) };
  return Object.keys(details).length ? details : undefined;
}

export const DriverErrorCodes = {
  nameNotResolved: 'NAME_NOT_RESOLVED',
  refused: 'CONNECT_REFUSED',
  timedOut: 'CONNECT_TIMEOUT',
  unreachable: 'HOST_UNREACHABLE',
  tls: 'TLS_FAILED',
  loginRejected: 'LOGIN_REJECTED',
  busy: 'PBX_BUSY',
  linkLost: 'LINK_LOST',
  noAnswer: 'NO_ANSWER',
  protocol: 'PROTOCOL_ERROR',
  /** The PBX answered a request with an error (universalFailure, reject). */
  rejected: 'REQUEST_REJECTED',
  cancelled: 'CANCELLED',
  notConnected: 'NOT_CONNECTED',
  /** The PBX (or this family's driver) does not offer the operation. */
  notSupported: 'NOT_SUPPORTED',
} as const;

export interface DiscoverOptions {
  /** When set, only these numbers count; also the numbers probed with SnapshotDevice when nothing else answers. */
  inRange?: (number: string) => boolean;
  /** The numbers to probe when neither device list answers (the expanded extension ranges). */
  probeNumbers?: () => Iterable<string>;
  readNames: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { phase: 'reading' | 'probing'; method: DiscoveryMethod; found: number; probed: number; total: number }) => void;
}

export interface DiscoveryResult {
  method: DiscoveryMethod;
  devices: DiscoveredDevice[];
  /** Devices reported outside the ranges (not in `devices`). */
  outOfRange: number;
  warnings: Coded[];
}

/** A call event on a monitored line, in the driver's words (numbers unformatted). */
export interface DriverLineEvent {
  /** The key of the line's LineRef (its identity within the instance). */
  line: string;
  /** ECMA-269 event name: delivered, established, connectionCleared, doNotDisturb, forwarding … */
  event: string;
  callId: string | null;
  /** The line's own connection state after the event; null for feature events. */
  callState: CallState | null;
  calling: string | null;
  called: string | null;
  cause: string | null;
  /** doNotDisturb / forwarding events: on or off; outOfService / backInService: whether the device is in service. */
  featureOn?: boolean;
  forwardTo?: string | null;
  /** forwarding events: which forwarding changed (absent: immediate for all calls). */
  forwarding?: ForwardingKey;
  /** Transferred / conferenced: the other call that went into this one (it ends for the line without a clear of its own). */
  mergedCallId?: string | null;
  /** Conferenced: the devices in the conference besides the line (the parties "remove from a conference" can drop). */
  parties?: string[];
  /** ConnectionCleared of another device in the call (a party left a conference): that device. */
  leftParty?: string;
  /** A second device of the line rang in the same call (Super-Twin handset). */
  alertingDevice?: string | null;
}

export interface SnapshotCall {
  callId: string;
  state: CallState;
}

export interface Driver {
  readonly family: Family;
  /** Connects and logs in; resolves with a sentence about what the PBX answered. Throws DriverFailure. */
  connect(): Promise<string>;
  /** Logs out and closes; safe to call twice. */
  close(): Promise<void>;
  readonly connected: boolean;
  /** Called once when an established link ends without close(). */
  onLost(listener: (error: DriverFailure) => void): void;
  onEvent(listener: (event: DriverLineEvent) => void): void;
  discover(options: DiscoverOptions): Promise<DiscoveryResult>;
  monitorStart(line: LineRef): Promise<void>;
  monitorStop(line: LineRef): Promise<void>;
  snapshot(line: LineRef): Promise<SnapshotCall[]>;
  makeCall(line: LineRef, number: string): Promise<{ callId: string }>;
  clearCall(line: LineRef, callId: string): Promise<void>;
  /** Without `which`: immediate forwarding of all calls. */
  setForwarding(line: LineRef, on: boolean, to?: string, which?: ForwardingKey): Promise<void>;
  setDoNotDisturb(line: LineRef, on: boolean): Promise<void>;
  /** Call control beyond make call and hang up; a family without it offers none of those operations. */
  callControl?(line: LineRef, request: CallControlRequest): Promise<CallControlResult>;
  /** The forwardings and do-not-disturb as the PBX has them now (and Remote Office where the family has it). */
  readFeatures?(line: LineRef): Promise<LineFeatures>;
  /** Remote Office (families with the 'remoteOffice' operation). */
  readRemoteOffice?(line: LineRef): Promise<RemoteOffice>;
  /** Without `number` the platform keeps the one it has. */
  setRemoteOffice?(line: LineRef, active: boolean, number?: string): Promise<void>;
  /** Invokes sent and events received so far (status, benchmarks). */
  stats(): { requests: number; events: number };
  /** Where the connected link went, when that can differ from the configured host and port (SRV). */
  connectedTo?(): ConnectionTarget | undefined;
  /**
   * The instance was saved and nothing its family's reconnect key names changed: the driver takes up the rest (the
   * CME's update-lines interval) at once, on the link it has, and says what the admin should read in the log (the
   * runtime adds the instance). Absent: the driver has no such settings.
   */
  updateSettings?(settings: DriverSettings): SettingTaken[] | void;
}

/** A setting a running driver took up, for the log (`logApp.*`; the runtime adds the `instance` fact). */
export interface SettingTaken {
  code: ProblemCode;
  params: Record<string, string | number>;
}

export type { CallControlRequest, CallControlResult, DeviceKind, DiscoveredDevice, ForwardingKey, ForwardingSetting, LineFeatures, LineRef, RemoteOffice };
