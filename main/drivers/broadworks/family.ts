// The BroadWorks family in the registry: its driver from a stored instance, the flags of `lines discover`, and
// its simulator for `linekeeper sim broadworks`.
import { FAMILY_SPECS } from '../../../shared/families';
import { BROADWORKS_CONNECTION_TYPES, BROADWORKS_PORTS, type BroadWorksConnectionType } from '../../../shared/families/broadworks';
import { parsePort, UsageError } from '../../cli/command';
import { broadworksSimCommand } from '../../sim/broadworks/cli';
import { startBroadWorksSim, SIM_DOMAIN } from '../../sim/broadworks/index';
import type { DemoSimulator, DriverSettings, FamilyDriver, FlagValues } from '../family';
import { BroadWorksDriver, type BroadWorksSettings } from './broadworks-driver';

const spec = FAMILY_SPECS.broadworks;

type Settings = BroadWorksSettings & { connectionType: BroadWorksConnectionType };
/** The demo platform: `port` is its CTI socket; lines are read over HTTP on `xsiPort`. */
type DemoPlatform = DemoSimulator & { xsiPort: number; admin: { userId: string; password: string } };

const isCti = (t: BroadWorksConnectionType) => t === 'cti' || t === 'ctis';
const isTls = (t: BroadWorksConnectionType) => t === 'https' || t === 'ctis';

/** The CTI types read lines over HTTP(S) on the fixed port the manual gives beside the CTI port, unless set. */
function xsiPortOf(type: BroadWorksConnectionType, port: number, httpPort = 0): number {
  if (!isCti(type)) return port;
  return httpPort || BROADWORKS_PORTS[isTls(type) ? 'https' : 'http'];
}

function typeFlag(v: FlagValues): BroadWorksConnectionType {
  const t = v.type === undefined ? 'https' : String(v.type);
  if (!(BROADWORKS_CONNECTION_TYPES as readonly string[]).includes(t)) throw new UsageError(`--type must be one of ${BROADWORKS_CONNECTION_TYPES.join(', ')}, got "${t}"`);
  return t as BroadWorksConnectionType;
}

/** Settings with every field the driver needs; the CLI and test connection may give only some. */
function complete(s: DriverSettings & Partial<Settings>): Settings {
  const connectionType = s.connectionType ?? (s.tls ? 'https' : 'http');
  return {
    ...s,
    connectionType,
    tls: isTls(connectionType),
    cti: isCti(connectionType),
    scope: s.scope ?? 'workstation',
    xsiPort: s.xsiPort ?? xsiPortOf(connectionType, s.port),
    urlPrefix: s.urlPrefix ?? '',
    groupUser: s.groupUser ?? '',
    lineNameFormat: s.lineNameFormat ?? 'standard',
    httpProxy: s.httpProxy ?? '',
  };
}

export const broadworksFamily: FamilyDriver = {
  spec,
  driver: {
    // The platform's web portal changes passwords: a refused login that worked before is a changed password.
    repromptsPassword: true,
    settingsOf(instance, password, override) {
      const c = spec.connection.parse(instance.connection);
      const a = spec.advanced.parse(instance.advanced);
      const port = override.port ?? c.port;
      const settings: Settings = {
        host: override.host ?? c.host,
        port,
        tls: isTls(c.connectionType),
        user: override.user ?? c.user,
        password: override.password ?? password ?? '',
        ca: override.ca,
        connectTimeoutMs: override.connectTimeoutMs,
        answerTimeoutMs: override.answerTimeoutMs,
        connectionType: c.connectionType,
        scope: c.mode,
        xsiPort: xsiPortOf(c.connectionType, port, a.xsiHttpPort),
        cti: isCti(c.connectionType),
        ctiFraming: a.ctiFraming,
        fingerprint: override.fingerprint,
        urlPrefix: c.urlPrefix,
        groupUser: c.groupUser,
        lineNameFormat: a.lineNameFormat,
        httpProxy: a.httpProxy,
        dns: (override as { dns?: string }).dns ?? dnsFromEnv(),
        returnToHeld: a.returnToHeldAfterConsultation,
      };
      return settings;
    },
    create: (settings) => new BroadWorksDriver(complete(settings)),
    reconnectKey(settings) {
      const s = complete(settings);
      // "Return to held call" is the driver's own behaviour: a change takes effect through a new link too.
      return JSON.stringify([s.host, s.port, s.connectionType, s.user, s.password, s.scope, s.urlPrefix, s.groupUser, s.httpProxy, s.xsiPort, s.ctiFraming, s.returnToHeld]);
    },
  },
  cli: {
    options: { type: { type: 'string' }, prefix: { type: 'string' }, 'group-user': { type: 'string' }, dns: { type: 'string' }, 'http-port': { type: 'string' } },
    usage: '[--type http|https|cti|ctis] [--prefix X] --user U --password P [--group-user ID] [--dns HOST:PORT] [--http-port N]: with --group-user the lines of that user\'s group (a group administrator\'s login), else the login\'s own line; --dns names the resolver for the SRV lookup; with cti/ctis --port is the CTI socket\'s and lines are read over HTTP(S) on --http-port (default 80/443); names are read without --names too',
    defaultPort: (v) => BROADWORKS_PORTS[typeFlag(v)],
    settings(v) {
      const connectionType = typeFlag(v);
      const groupUser = typeof v['group-user'] === 'string' ? v['group-user'] : '';
      const dns = typeof v.dns === 'string' ? v.dns : undefined;
      if (dns !== undefined && !/^[\w.:[\]-]+:\d{1,5}$/.test(dns)) throw new UsageError(`--dns must be HOST:PORT, got "${dns}"`);
      const httpPort = v['http-port'] === undefined ? undefined : parsePort(String(v['http-port']), '--http-port', 0);
      if (httpPort !== undefined && !isCti(connectionType)) throw new UsageError('--http-port goes with --type cti or ctis (the other types read lines on --port)');
      const partial: Partial<Settings> = { connectionType, tls: isTls(connectionType), urlPrefix: typeof v.prefix === 'string' ? v.prefix : '', groupUser, scope: groupUser ? 'server' : 'workstation', dns, ...(httpPort ? { xsiPort: httpPort } : {}) };
      return partial;
    },
    // The group directory carries the names in the same answer: `{number, name, userId, extension}` always has them.
    readsNames: true,
    row: (d) => ({ number: d.number, name: d.name, userId: d.userId ?? '', extension: d.extension ?? '' }),
  },
  simCommand: broadworksSimCommand,
  // A group of 20 users on a simulated platform, reached as the manual's recommended way: server mode over the
  // CTI socket, lines read over HTTP.
  demo: {
    instanceName: 'Demo BroadWorks',
    async start(logger): Promise<DemoPlatform> {
      const sim = await startBroadWorksSim({ host: '127.0.0.1', port: 0, ctiPort: 0, users: 20, logger });
      return { host: sim.host, port: sim.ctiPort!, xsiPort: sim.port, admin: sim.admin, controlUrl: sim.controlUrl, deviceCount: sim.group.users.length, placeCall: (from, to) => sim.xsi.calls.incoming(from, to).callId, close: () => sim.close() };
    },
    instancePatch: (sim) => {
      const s = sim as DemoPlatform;
      return {
        connection: { mode: 'server', provider: 'custom', host: s.host, connectionType: 'cti', port: s.port, urlPrefix: '', user: s.admin.userId, groupUser: `2000@${SIM_DOMAIN}` },
        advanced: { xsiHttpPort: s.xsiPort, ctiFraming: 'auto' },
        secrets: { password: s.admin.password },
      };
    },
  },
};

/** LINEKEEPER_DNS_SERVER=HOST:PORT names the resolver for the SRV lookup (a split-horizon DNS, or a test's server). */
function dnsFromEnv(): string | undefined {
  const v = process.env.LINEKEEPER_DNS_SERVER;
  return v && /^[\w.:[\]-]+:\d{1,5}$/.test(v) ? v : undefined;
}
