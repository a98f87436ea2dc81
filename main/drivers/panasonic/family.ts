// The Panasonic family in the registry: its driver from a stored instance, its CLI defaults, simulator and demo.
import { FAMILY_SPECS } from '../../../shared/families';
import { coded } from '../../../shared/problems';
import { panasonicSimCommand } from '../../sim/panasonic/cli';
import { startPanasonicSim } from '../../sim/panasonic/index';
import type { FamilyDriver } from '../family';
import { PanasonicDriver } from './panasonic-driver';

const spec = FAMILY_SPECS.panasonic;

/** The shipped login of the CSTA multiplexer; using it earns a visible warning. */
export const DEFAULT_MULTIPLEXER_LOGIN = { user: 'admin', password: 'admin' } as const;

/** Without a stored password the multiplexer's shipped login is tried, as a multiplexer started with its defaults expects it. */
function shippedPassword(user: string | undefined): string {
  return user === DEFAULT_MULTIPLEXER_LOGIN.user ? DEFAULT_MULTIPLEXER_LOGIN.password : '';
}

const DEMO_RANGES = '100-119, 300-399';
/** What the demo PBX holds: named desk phones, a few SIP phones to filter out, DECT handsets with Super-Twin pairs. */
export const DEMO_DEVICES = { extensions: '100-139', sip: '200-204', dect: '300-303', twins: '101:301,102:302', names: true };

export const panasonicFamily: FamilyDriver = {
  spec,
  driver: {
    settingsOf(instance, password, override) {
      const c = spec.connection.parse(instance.connection);
      const mode = override.mode ?? c.mode;
      const multiplexer = mode === 'multiplexer';
      return {
        mode,
        host: override.host ?? c.host,
        port: override.port ?? c.port,
        // A PBX is reached over plain TCP; TLS and the login belong to the multiplexer.
        tls: multiplexer ? (override.tls ?? c.tls) : false,
        user: multiplexer ? (override.user ?? c.user) : undefined,
        password: multiplexer ? (override.password ?? password ?? shippedPassword(override.user ?? c.user)) : undefined,
        fingerprint: override.fingerprint,
        ca: override.ca,
        connectTimeoutMs: override.connectTimeoutMs,
        answerTimeoutMs: override.answerTimeoutMs,
      };
    },
    create: (settings) => new PanasonicDriver(settings),
    warnings(s) {
      if (s.mode === 'multiplexer' && s.user === DEFAULT_MULTIPLEXER_LOGIN.user && s.password === DEFAULT_MULTIPLEXER_LOGIN.password) {
        return [coded('warnings.defaultLogin')];
      }
      return [];
    },
  },
  // --tls means the multiplexer (the PBX itself speaks plain TCP).
  cli: { defaultPort: (v) => spec.defaultPort({ ...spec.connection.parse({}), ...(v.tls ? { mode: 'multiplexer', tls: true } : {}) }) },
  simCommand: panasonicSimCommand,
  demo: {
    async start(logger) {
      const sim = await startPanasonicSim({ host: '127.0.0.1', port: 0, devices: DEMO_DEVICES, logger });
      return { host: '127.0.0.1', port: sim.tcpPort, controlUrl: sim.controlUrl, deviceCount: sim.deviceCount, placeCall: (from, to) => sim.placeCall(from, to), close: () => sim.close() };
    },
    // 20 desk phones and the 4 DECT handsets: within the trial's 25 licences, so the first run opens every line.
    // The PBX has 20 more desk phones (120-139): widening the ranges shows licences running out.
    instancePatch: (sim) => ({ connection: { mode: 'direct', host: sim.host, port: sim.port, tls: false }, location: { ranges: DEMO_RANGES } }),
  },
};
