// What main knows of one PBX family beyond its spec: how its driver is made from a stored instance, the flags of
// `linekeeper lines discover`, and its simulator for `linekeeper sim <family>` and the demo. main/drivers/registry.ts
// lists one of these per family; nothing else in the engine names a family.
import type { FamilySpec } from '../../shared/families';
import type { Coded } from '../../shared/problems';
import type { Instance } from '../../shared/model/instance';
import type { Command } from '../cli/command';
import type { DiscoveredDevice, Driver, DriverConnection } from './driver';

/** Connection settings a driver is made from; the family decides which fields matter. */
export interface DriverSettings extends DriverConnection {
  /** Panasonic: straight to the PBX, or through the CSTA multiplexer. */
  mode?: 'direct' | 'multiplexer';
}

/** A running simulator the demo points an instance at. */
export interface DemoSimulator {
  host: string;
  port: number;
  controlUrl: string;
  deviceCount: number;
  /** A call between two of its devices (or from an outside number), to see events without a phone. */
  placeCall(from: string, to: string): string;
  close(): Promise<void>;
}

/** The log a demo simulator writes its English reports to (the demo turns them into coded entries). */
export interface SimulatorLogger {
  info(m: string): void;
  warn(m: string): void;
  error(m: string): void;
  debug(m: string): void;
}

export interface FamilyDemo {
  /** The demo instance's name (default "Demo PBX"). */
  instanceName?: string;
  /** Starts the simulator; its refusals of bad peers go to `logger`. */
  start(logger: SimulatorLogger): Promise<DemoSimulator>;
  /** The connection settings (and advanced settings, location, passwords) that reach it. */
  instancePatch(sim: DemoSimulator): { connection: Record<string, unknown>; advanced?: Record<string, unknown>; location?: Record<string, unknown>; secrets?: Record<string, string> };
}

/** Simulated phones for the SIP phone server's demo: some registered, one waiting to be provisioned. */
export interface PhoneServerDemo {
  start(o: { server: { host: string; port: number }; password: string; logger: SimulatorLogger }): Promise<DemoPhoneFleet>;
}

export interface DemoPhoneFleet {
  phones: Array<{ mac: string; vendor: string; numbers: string[] }>;
  /** A phone out of the box: its web interface (host:port) and login, for "Manage telephones". */
  waiting: { address: string; mac: string; vendor: string; numbers: string[]; web: { user: string; password: string } };
  close(): Promise<void>;
}

export interface FamilyDriver {
  readonly spec: FamilySpec;
  /** Absent while the family can only be configured (no driver yet). */
  driver?: {
    /** Settings from a stored instance, its password (the spec's `passwordSecret`) and test-time overrides. */
    settingsOf(instance: Instance, password: string | undefined, override: Partial<DriverSettings>): DriverSettings;
    create(settings: DriverSettings & { keepAliveMs?: number }): Driver;
    /**
     * A login refused with settings that logged in before means the password was changed elsewhere: stop retrying
     * (it would lock the account) and wait for a new one. Absent: a refused login is retried like any failure.
     */
    repromptsPassword?: boolean;
    /** What a link depends on, when more than host, port, transport and login (a change reconnects). */
    reconnectKey?(settings: DriverSettings): string;
    /** Warnings to show beside the connection (a shipped default login …). */
    warnings?(settings: DriverSettings): Coded[];
  };
  /** `linekeeper lines discover --family <id>`: its flags beyond the common ones, and the driver settings from them. */
  cli?: DiscoverCli;
  /** `linekeeper sim <id>`. */
  simCommand?: Command;
  /** The built-in demo PBX of this family. */
  demo?: FamilyDemo;
  /** Simulated phones for the SIP phone server's demo. */
  phoneServerDemo?: PhoneServerDemo;
  /** The configuration helpers its spec names (`spec.configHelpers`), by id; options arrive parsed by their schema. */
  configHelpers?: Record<string, FamilyConfigHelper>;
}

export interface FamilyConfigHelper {
  /** The configuration lines for the options, and the text to paste into a console session. */
  commands(options: Record<string, unknown>): { lines: string[]; text: string };
  /** What the admin can choose from, read from the PBX (extensions), with those already configured marked. */
  choices?(settings: DriverSettings): Promise<Array<{ id: string; label: string; on: boolean }>>;
  /** Applies the lines to the PBX; a refused line is named (the lines before it stay applied). Throws DriverFailure. */
  apply?(settings: DriverSettings, lines: string[]): Promise<{ ok: true } | { ok: false; line: number; command: string; error: string }>;
}

/** Flag values as node:util parseArgs gives them. */
export type FlagValues = Record<string, string | boolean | undefined>;

export interface DiscoverCli {
  /** Flags of this family (parseArgs options), e.g. `--prefix`; the common ones are --host --port --tls --user --password. */
  options?: Record<string, { type: 'string' | 'boolean' }>;
  /** Their usage text, appended to the common usage. */
  usage?: string;
  /** The port when --port is absent. */
  defaultPort(values: FlagValues): number;
  /** Extra settings from the family's flags (merged over host, port, tls, user, password). */
  settings?(values: FlagValues): Partial<DriverSettings>;
  /** Names are read without --names too (a directory that gives them at no cost). */
  readsNames?: boolean;
  /** The row printed per line (JSON object, or its values tab-separated, a list joined with `;`); default number, name, kind, SIP. */
  row?(device: DiscoveredDevice): Record<string, string | string[]>;
}

/** The families main knows, by id. */
export type DriverRegistry = Readonly<Record<string, FamilyDriver>>;

/**
 * A link's settings from the family's own values, with the test-time overrides (a form's unsaved values, a pinned
 * fingerprint, extra trust, timeouts) that every family takes the same way.
 */
export function linkSettings(own: Pick<DriverSettings, 'host' | 'port' | 'tls' | 'user' | 'password'>, override: Partial<DriverSettings>): DriverSettings {
  return {
    host: override.host ?? own.host,
    port: override.port ?? own.port,
    tls: override.tls ?? own.tls,
    user: override.user ?? own.user,
    password: override.password ?? own.password,
    fingerprint: override.fingerprint,
    ca: override.ca,
    connectTimeoutMs: override.connectTimeoutMs,
    answerTimeoutMs: override.answerTimeoutMs,
  };
}

/** A family that can only be configured: its settings and lines are kept, nothing connects. */
export function configurationOnly(spec: FamilySpec): FamilyDriver {
  return { spec };
}
