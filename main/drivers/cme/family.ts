// The Cisco CME family in the registry: its driver from a stored instance (XML API and CSTA over SIP), the flags
// of `lines discover` (the XML API alone), and its simulator for `linekeeper sim cme`.
import { FAMILY_SPECS } from '../../../shared/families';
import { CME_DEFAULTS, cmeCstaOptions, cmeXmlApiOptions } from '../../../shared/families/cme';
import { parsePort } from '../../cli/command';
import { cmeSimCommand } from '../../sim/cme/cli';
import type { DiscoveredDevice } from '../driver';
import { linkSettings, type DriverSettings, type FamilyConfigHelper, type FamilyDriver, type FlagValues } from '../family';
import { CmeDriver, type CmeSettings } from './cme-driver';
import { cstaCommands, forConsole, xmlApiCommands } from './config-helper';

const spec = FAMILY_SPECS.cme;

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

export const cmeFamily: FamilyDriver = {
  spec,
  driver: {
    settingsOf(instance, password, override) {
      const c = spec.connection.parse(instance.connection);
      const a = spec.advanced.parse(instance.advanced);
      const settings: CmeSettings = {
        ...linkSettings({ host: c.host, port: c.axlPort, tls: c.axlProtocol === 'https', user: c.axlUser, password: password ?? '' }, override),
        readLineButtons: a.readLineButtons,
        updateLinesMs: a.updateLinesInterval * 1000,
        sip: { localHost: c.sipInterface, localPort: c.sipPort, cmeSipPort: c.cmeSipPort, sessionServerId: c.sessionServerId },
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
    row: (d: DiscoveredDevice) => ({ number: d.number, name: d.name, deviceId: d.deviceId ?? '', buttons: (d.buttons ?? []).join(';'), kind: d.kind }),
  },
  simCommand: cmeSimCommand,
  configHelpers,
};
