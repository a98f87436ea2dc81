// Public face of the drivers: the interface every family implements and one factory per family.
import type { Instance } from '../../shared/model/instance';
import { DriverErrorCodes, DriverFailure, type Driver, type DriverConnection } from './driver';
import { PanasonicDriver } from './panasonic';

export * from './driver';
export { PanasonicDriver } from './panasonic';

/** Default CSTA ports: the PBX and the multiplexer over TCP, the multiplexer over TLS. */
export const PANASONIC_DEFAULT_PORTS = { tcp: 33333, tls: 33334 } as const;

/** The shipped login of the CSTA multiplexer; using it earns a visible warning. */
export const DEFAULT_MULTIPLEXER_LOGIN = { user: 'admin', password: 'admin' } as const;

export interface DriverSettings extends DriverConnection {
  mode?: 'direct' | 'multiplexer';
}

/** Connection settings of a stored instance (password from the secret store), with test-time overrides. */
export function connectionOf(instance: Instance, password: string | undefined, override: Partial<DriverSettings> = {}): DriverSettings {
  if (instance.family !== 'panasonic') {
    throw new DriverFailure('FAMILY_NOT_SUPPORTED', `instance "${instance.name}" is a ${instance.family} instance; only Panasonic has a driver so far`);
  }
  const c = instance.connection;
  const mode = override.mode ?? c.mode;
  const multiplexer = mode === 'multiplexer';
  return {
    mode,
    host: override.host ?? c.host,
    port: override.port ?? c.port,
    // A PBX is reached over plain TCP; TLS and the login belong to the multiplexer.
    tls: multiplexer ? (override.tls ?? c.tls) : false,
    user: multiplexer ? (override.user ?? c.user) : undefined,
    password: multiplexer ? (override.password ?? password ?? '') : undefined,
    fingerprint: override.fingerprint,
    ca: override.ca,
    connectTimeoutMs: override.connectTimeoutMs,
    answerTimeoutMs: override.answerTimeoutMs,
  };
}

/** Warnings to show beside the connection (the multiplexer's default login). */
export function connectionWarnings(s: DriverSettings): string[] {
  if (s.mode === 'multiplexer' && s.user === DEFAULT_MULTIPLEXER_LOGIN.user && s.password === DEFAULT_MULTIPLEXER_LOGIN.password) {
    return ['the multiplexer is used with its shipped login admin/admin: change the password on the multiplexer and here'];
  }
  return [];
}

export function createDriver(family: string, settings: DriverSettings & { keepAliveMs?: number }): Driver {
  if (family === 'panasonic') return new PanasonicDriver(settings);
  throw new DriverFailure('FAMILY_NOT_SUPPORTED', `no driver for the ${family} family yet`);
}

export { DriverErrorCodes };
