import { z } from 'zod';
import { coded } from '../problems';
import type { Coded } from '../problems';
import { commonAdvanced, commonAdvancedFields, defineFamily, host, port, user, type AccessProfile } from './spec';

// BroadWorks: Xsi over HTTP(S) or the CTI channel (TCP 8011 / TLS 8012), server (group admin) or workstation mode.
export const BROADWORKS_CONNECTION_TYPES = ['http', 'https', 'cti', 'ctis'] as const;
export type BroadWorksConnectionType = (typeof BROADWORKS_CONNECTION_TYPES)[number];
export const BROADWORKS_PORTS: Record<BroadWorksConnectionType, number> = { http: 80, https: 443, cti: 8011, ctis: 8012 };
export const BROADWORKS_CTI_FRAMINGS = ['auto', 'xml', 'length'] as const;
/** Pre-configured provider profiles from the manual's examples; `custom` means entered by hand. */
export const BROADWORKS_PROVIDERS = [
  { id: 'plusnet', label: 'Plusnet GmbH (Deutschland)', host: 'web.centraflex.de', connectionType: 'ctis', port: 8012, urlPrefix: '' },
  { id: 'routit', label: 'Routit (Netherlands)', host: 'cai.voipit.nl', connectionType: 'https', port: 443, urlPrefix: 'nl.cai' },
] as const satisfies ReadonlyArray<{ id: string; label: string; host: string; connectionType: BroadWorksConnectionType; port: number; urlPrefix: string }>;

const PROFILE_COLUMNS = ['id', 'label', 'host', 'connectionType', 'port', 'urlPrefix'] as const;
const PROFILE_HEADER = PROFILE_COLUMNS.join(',');
const PROFILE_ID = /^(?!custom$)[a-z0-9][a-z0-9._-]{0,39}$/;
const HOST = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[?[0-9A-Fa-f:.]+\]?$/;
const URL_PREFIX = /^[A-Za-z0-9._~\-/]*$/;

/** One CSV line's fields: commas separate, double quotes enclose a field with commas ("" is a quote). */
function csvFields(line: string): string[] | undefined {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur === '') quoted = true;
    else if (c === ',') out.push(cur), (cur = '');
    else cur += c;
  }
  if (quoted) return undefined;
  out.push(cur);
  return out.map((f) => f.trim());
}

const csvField = (v: string | number) => (/[",]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

/**
 * The provider profile file (docs/broadworks.md): CSV, `#` comments and blank lines skipped, the header
 * `id,label,host,connectionType,port,urlPrefix`, one profile per line. Every line is checked; any problem rejects
 * the whole file. A built-in profile may appear with its own settings (an export holds them).
 */
export function parseProviderProfiles(text: string): { profiles: AccessProfile[]; problems: Coded[] } {
  const profiles: AccessProfile[] = [];
  const problems: Coded[] = [];
  const firstLine = new Map<string, number>();
  let header = false;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim();
    if (!t || t.startsWith('#')) return;
    if (!header) {
      header = true;
      if (t.replace(/\s+/g, '') !== PROFILE_HEADER) problems.push(coded('profiles.header', { line, header: PROFILE_HEADER, value: t.slice(0, 80) }));
      return;
    }
    const f = csvFields(t);
    if (!f) return void problems.push(coded('profiles.openQuote', { line }));
    if (f.length !== PROFILE_COLUMNS.length) return void problems.push(coded('profiles.cells', { line, cells: f.length, columns: PROFILE_COLUMNS.length }));
    const [id, label, host, type, portText, urlPrefix] = f;
    const before = problems.length;
    if (!PROFILE_ID.test(id)) problems.push(coded('profiles.badId', { line, value: id.slice(0, 60) }));
    if (!label || label.length > 80) problems.push(coded('profiles.badLabel', { line }));
    if (!HOST.test(host)) problems.push(coded('profiles.badHost', { line, value: host.slice(0, 80) }));
    if (!(BROADWORKS_CONNECTION_TYPES as readonly string[]).includes(type)) problems.push(coded('profiles.badType', { line, value: type.slice(0, 20), known: BROADWORKS_CONNECTION_TYPES.join(', ') }));
    const knownType = (BROADWORKS_CONNECTION_TYPES as readonly string[]).includes(type);
    const port = portText === '' && knownType ? BROADWORKS_PORTS[type as BroadWorksConnectionType] : Number(portText);
    // An empty port is the type's default: without a known type there is nothing more to say about it.
    if ((portText !== '' || knownType) && (!/^\d{0,5}$/.test(portText) || !Number.isInteger(port) || port < 1 || port > 65535)) problems.push(coded('profiles.badPort', { line, value: portText.slice(0, 20) }));
    if (!URL_PREFIX.test(urlPrefix) || urlPrefix.length > 100) problems.push(coded('profiles.badPrefix', { line, value: urlPrefix.slice(0, 60) }));
    if (problems.length > before) return;
    const profile: AccessProfile = { id, label, fields: { host, connectionType: type, port, urlPrefix } };
    const first = firstLine.get(id);
    if (first !== undefined) return void problems.push(coded('profiles.repeated', { line, value: id, first }));
    firstLine.set(id, line);
    const builtIn = BROADWORKS_PROVIDERS.find((p) => p.id === id);
    if (builtIn) {
      // The built-in ones come along in an export; only a different definition under their ID is a mistake.
      if (JSON.stringify(providerProfile(builtIn)) !== JSON.stringify(profile)) problems.push(coded('profiles.builtIn', { line, value: id }));
      return;
    }
    profiles.push(profile);
  });
  if (!header) problems.push(coded('profiles.noHeader', { header: PROFILE_HEADER }));
  return problems.length ? { profiles: [], problems } : { profiles, problems };
}

export function formatProviderProfiles(profiles: readonly AccessProfile[]): string {
  const rows = profiles.map((p) => [p.id, p.label, p.fields.host, p.fields.connectionType, p.fields.port, p.fields.urlPrefix ?? ''].map((v) => csvField(v ?? '')).join(','));
  return ['# Linekeeper: BroadWorks provider profiles (docs/broadworks.md). One profile per line;', '# connectionType http, https, cti or ctis; an empty port is the type\'s default; an empty urlPrefix is com.broadsoft.', PROFILE_HEADER, ...rows, ''].join('\n');
}

function providerProfile(p: (typeof BROADWORKS_PROVIDERS)[number]): AccessProfile {
  return { id: p.id, label: p.label, fields: { host: p.host, connectionType: p.connectionType, port: p.port, urlPrefix: p.urlPrefix } };
}

export const broadworksConnectionSchema = z.object({
  /** `server`: the lines of a group, group-admin login; `workstation`: one user's own line. */
  mode: z.enum(['server', 'workstation']).default('server'),
  /** The provider profile the fields came from (built in or added with a profile file), or `custom`. */
  provider: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, 'provider must be custom or a profile ID (lower-case letters, digits, . _ -)').default('custom'),
  host: host.default(''),
  connectionType: z.enum(BROADWORKS_CONNECTION_TYPES).default('https'),
  port: port().default(BROADWORKS_PORTS.https),
  /** A provider's context name in place of `com.broadsoft` in the Xsi paths (e.g. `nl.cai`); empty for the standard. */
  urlPrefix: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._~\-/]*$/, 'URL prefix may contain letters, digits and . _ ~ - / only')
    .default(''),
  user: user.default(''),
  /** Server mode: the user ID of one user of the group; the group's lines are read through it. */
  groupUser: z.string().trim().max(128, 'group user is longer than 128 characters').regex(/^\S*$/, 'group user must not contain spaces').default(''),
});
export const broadworksAdvancedSchema = z.object({
  ...commonAdvanced,
  /** How lines are named: `standard` = number / name, `number`, `name`. */
  lineNameFormat: z.enum(['standard', 'number', 'name']).default('standard'),
  /** When a consultation ends, reconnect the held party automatically (else it stays on hold). */
  returnToHeldAfterConsultation: z.boolean().default(true),
  /** How the CTI socket frames its documents; `auto` finds out on connecting (the real framing is undocumented). */
  ctiFraming: z.enum(BROADWORKS_CTI_FRAMINGS).default('auto'),
  /** The CTI types read lines over HTTP(S) on this port; 0 = the fixed 80 (CTI) / 443 (CTIs) of the manual. */
  xsiHttpPort: z.union([z.literal(0), port('HTTP(S) port')]).default(0),
  /** HTTP proxy for Xsi as `http://host:port`; empty = none. Not usable with the CTI channel. */
  httpProxy: z
    .string()
    .trim()
    .regex(/^(|https?:\/\/[^\s/:]+(:\d{1,5})?\/?)$/, 'HTTP proxy must look like http://host:port')
    .default(''),
});


export const broadworks = defineFamily({
  id: 'broadworks',
  connection: broadworksConnectionSchema,
  advanced: broadworksAdvancedSchema,
  secrets: ['password'],
  passwordSecret: 'password',
  portField: 'port',
  lineFields: ['userId'],
  // A BroadWorks line is a user; the number may change or be absent.
  lineIdentity: (line) => line.userId || line.number,
  defaultPort: (c) => BROADWORKS_PORTS[c.connectionType],
  // Choosing a provider profile fills in its host, connection type, port and URL prefix (applyConnectionChange).
  profiles: { field: 'provider', builtIn: BROADWORKS_PROVIDERS.map(providerProfile), fileName: 'broadworks-providers.csv', parse: parseProviderProfiles, format: formatProviderProfiles },
  check: (c, a) => {
    const out: ReturnType<NonNullable<import('./spec').FamilySpec['check']>> = [];
    if (a.httpProxy && (c.connectionType === 'cti' || c.connectionType === 'ctis')) {
      out.push({ path: ['advanced', 'httpProxy'], ...coded('validation.proxyCti') });
    }
    return out;
  },
  // Xsi over HTTP(S), or the CTI socket for requests and events with HTTP(S) for reading lines.
  capabilities: { testConnection: true, discovery: true, runtime: true, callControl: ['makeCall', 'clearCall', 'setForwarding', 'setDoNotDisturb', 'answer', 'hold', 'retrieve', 'redirect', 'blindTransfer', 'consult', 'alternate', 'transfer', 'conference', 'forwardBusy', 'forwardNoAnswer', 'readFeatures', 'remoteOffice'], importFormats: ['text', 'csv'], exportFormat: 'text', demo: true },
  form: {
    connection: [
      { key: 'mode', kind: 'select', options: ['server', 'workstation'] },
      // The console adds the profiles the admin imported to these options.
      { key: 'provider', kind: 'select', options: ['custom', ...BROADWORKS_PROVIDERS.map((p) => p.id)], optionLabels: Object.fromEntries(BROADWORKS_PROVIDERS.map((p) => [p.id, p.label])) },
      { key: 'host', kind: 'text' },
      { key: 'connectionType', kind: 'select', options: BROADWORKS_CONNECTION_TYPES },
      { key: 'port', kind: 'number' },
      { key: 'urlPrefix', kind: 'text' },
      { key: 'user', kind: 'text' },
      { key: 'groupUser', kind: 'text', show: (v) => v.mode === 'server' },
    ],
    advanced: [
      ...commonAdvancedFields,
      { key: 'lineNameFormat', kind: 'select', options: ['standard', 'number', 'name'] },
      { key: 'returnToHeldAfterConsultation', kind: 'checkbox' },
      { key: 'httpProxy', kind: 'text' },
      { key: 'ctiFraming', kind: 'select', options: BROADWORKS_CTI_FRAMINGS },
      { key: 'xsiHttpPort', kind: 'number' },
    ],
  },
});
