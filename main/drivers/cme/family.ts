// The Cisco CME family in the registry: its driver from a stored instance (XML API and CSTA over SIP), the flags
// of `lines discover` (the XML API alone), its simulator for `linekeeper sim cme` and the demo, and its configuration helpers.
import { FAMILY_SPECS } from '../../../shared/families';
import { CME_DEFAULTS, cmeCstaOptions, cmeXmlApiOptions } from '../../../shared/families/cme';
import { parsePort } from '../../cli/command';
import { cmeSimCommand } from '../../sim/cme/cli';
import { startCmeSim } from '../../sim/cme';
import type { DiscoveredDevice } from '../driver';
import { linkSettings, type DemoSimulator, type DriverSettings, type FamilyConfigHelper, type FamilyDriver, type FlagValues } from '../family';
import { CmeDriver, type CmeSettings } from './cme-driver';
import { cstaCommands, forConsole, xmlApiCommands } from './config-helper';
import { freePort } from '../shared/free-port';

const spec = FAMILY_SPECS.cme;

/** Re-INVITE this often when the CME names no Session-Expires (MS RCC clients refresh every 10 minutes). */
const SESSION_REFRESH_S = 600;

const https = (v: FlagValues) => Boolean(v.https || v.tls);

/** Runs `f` on a driver connected over the XML API alone (the helpers need no SIP). */
async function overXmlApi<T>(settings: DriverSettings, f: (d: CmeDriver) => Promise<T>): Promise<T> {
  const d = new CmeDriver({ ...(settings as CmeSettings), sip: undefined, updateLinesMs: 0 });
  try {
    await d.connect();
    return await f(d);
  } finally {
    await d.close();
  }
}

/** The manual's configuration helpers (§2.5 XML API, to copy; §2.6 CSTA, applied through ISexecCLI). */
const configHelpers: Record<string, FamilyConfigHelper> = {
  cmeXmlApi: {
    commands(options) {
      const o = cmeXmlApiOptions.parse(options);
      const lines = xmlApiCommands({ https: o.https, user: o.axlUser, password: o.password });
      return { lines, text: forConsole(lines) };
    },
  },
  cmeCsta: {
    commands(options) {
      const o = cmeCstaOptions.parse(options);
      const lines = cstaCommands({ sessionServer: o.sessionServerTag, registerId: o.sessionServerId, keepalive: o.keepalive, extensionIds: o.choices.map(Number), authenticateRegister: o.authenticateRegister });
      return { lines, text: forConsole(lines) };
    },
    choices: (settings) => overXmlApi(settings, async (d) => (await d.readExtensions()).map((x) => ({ id: x.id, label: `${x.number}${x.name ? ` ${x.name}` : ''}`, on: x.cti }))),
    apply: (settings, lines) => overXmlApi(settings, (d) => d.applyConfig(lines)),
  },
};

/** The SIP ports of a running demo CME (its own, and where the demo instance's driver listens). */
const demoSip = new WeakMap<DemoSimulator, { cmeSipPort: number; sipPort: number }>();

/** The demo CME's xml user; its password is empty, since the demo sets no secret on its instance. */
const DEMO_LOGIN = { user: 'demo', password: '' };

export const cmeFamily: FamilyDriver = {
  spec,
  driver: {
    settingsOf(instance, password, override) {
      const c = spec.connection.parse(instance.connection);
      const a = spec.advanced.parse(instance.advanced);
      const settings: CmeSettings = {
        ...linkSettings({ host: c.host, port: c.axlPort, tls: c.axlProtocol === 'https', user: c.axlUser, password: password ?? '' }, override),
        readLineButtons: a.readLineButtons,
        // Tests shorten the poll through the runtime's connection defaults (the schema's minimum is 30 s).
        updateLinesMs: (override as Partial<CmeSettings>).updateLinesMs ?? a.updateLinesInterval * 1000,
        sip: {
          localHost: c.sipInterface, localPort: c.sipPort, cmeSipPort: c.cmeSipPort, sessionServerId: c.sessionServerId, ctiDialogs: a.ctiDialogs, refreshS: a.sessionRefresh ? SESSION_REFRESH_S : 0,
          // Tests shorten the registration renewal the same way.
          renewAt: (override as Partial<CmeSettings>).sip?.renewAt,
        },
      };
      return settings;
    },
    create: (settings) => new CmeDriver({ readLineButtons: false, ...settings }),
    reconnectKey(settings) {
      const s = settings as CmeSettings;
      return JSON.stringify([s.host, s.port, s.tls, s.user, s.password, s.sip]);
    },
  },
  cli: {
    options: { 'axl-port': { type: 'string' }, https: { type: 'boolean' }, buttons: { type: 'boolean' } },
    usage: '[--axl-port P] [--https] --user U --password P [--buttons]: the XML API login (xml user); --buttons lists each phone\'s other line buttons; SIP phones are skipped with a warning',
    defaultPort: (v) => parsePort(v['axl-port'] as string | undefined, '--axl-port', https(v) ? CME_DEFAULTS.axlHttpsPort : CME_DEFAULTS.axlHttpPort),
    settings: (v) => ({ tls: https(v), readLineButtons: Boolean(v.buttons) }) as Partial<CmeSettings>,
    row: (d: DiscoveredDevice) => ({ number: d.number, name: d.name, deviceId: d.deviceId ?? '', buttons: d.buttons ?? [], kind: d.kind }),
  },
  simCommand: cmeSimCommand,
  configHelpers,
  // 10 phones (two of them sales desks sharing 2900), two mobility users, two SIP phones that are skipped.
  demo: {
    instanceName: 'Demo CME',
    async start(logger) {
      const sim = await startCmeSim({ phones: 10, sip: { port: 0 }, ...DEMO_LOGIN, logger });
      const demo: DemoSimulator = {
        host: sim.host,
        port: sim.port,
        controlUrl: sim.controlUrl,
        deviceCount: sim.xml.layout.ephones.length,
        placeCall: (from, to) => sim.sip!.placeCall(from, to),
        close: () => sim.close(),
      };
      demoSip.set(demo, { cmeSipPort: sim.sip!.port, sipPort: await freePort() });
      return demo;
    },
    instancePatch: (sim) => ({
      connection: { host: sim.host, axlProtocol: 'http', axlPort: sim.port, axlUser: DEMO_LOGIN.user, sipInterface: '127.0.0.1', ...demoSip.get(sim) },
    }),
  },
};
