import { z } from 'zod';
import { coded } from '../problems';
import { commonAdvanced, commonAdvancedFields, defineFamily, host, port, user } from './spec';

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

export const broadworksConnectionSchema = z.object({
  /** `server`: the lines of a group, group-admin login; `workstation`: one user's own line. */
  mode: z.enum(['server', 'workstation']).default('server'),
  provider: z.string().default('custom'),
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

/** Connection fields a provider profile fills in; empty for `custom` or an unknown id. */
export function providerProfileFields(provider: string): Partial<z.output<typeof broadworksConnectionSchema>> {
  const p = BROADWORKS_PROVIDERS.find((x) => x.id === provider);
  return p ? { host: p.host, connectionType: p.connectionType, port: p.port, urlPrefix: p.urlPrefix } : {};
}

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
  // Choosing a provider profile fills in its host, connection type, port and URL prefix.
  fillIn: (_before, patch) => (typeof patch.provider === 'string' ? providerProfileFields(patch.provider) : {}),
  check: (c, a) => {
    const out: ReturnType<NonNullable<import('./spec').FamilySpec['check']>> = [];
    if (c.provider !== 'custom' && !BROADWORKS_PROVIDERS.some((p) => p.id === c.provider)) {
      out.push({ path: ['connection', 'provider'], ...coded('validation.providerUnknown', { known: BROADWORKS_PROVIDERS.map((p) => p.id).join(', ') }) });
    }
    if (a.httpProxy && (c.connectionType === 'cti' || c.connectionType === 'ctis')) {
      out.push({ path: ['advanced', 'httpProxy'], ...coded('validation.proxyCti') });
    }
    return out;
  },
  // Xsi over HTTP(S), or the CTI socket for requests and events with HTTP(S) for reading lines.
  capabilities: { testConnection: true, discovery: true, runtime: true, callControl: ['makeCall', 'clearCall', 'setForwarding', 'setDoNotDisturb', 'answer', 'hold', 'retrieve', 'redirect', 'blindTransfer', 'consult', 'alternate', 'transfer', 'conference', 'forwardBusy', 'forwardNoAnswer', 'readFeatures'], importFormats: ['text', 'csv'], exportFormat: 'text' },
  form: {
    connection: [
      { key: 'mode', kind: 'select', options: ['server', 'workstation'] },
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
