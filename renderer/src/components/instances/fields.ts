import type { z } from 'zod';
import {
  BROADWORKS_CONNECTION_TYPES,
  BROADWORKS_PORTS,
  BROADWORKS_PROVIDERS,
  CME_DEFAULTS,
  PANASONIC_PORTS,
  SIP_PHONES_PORTS,
  broadworksAdvancedSchema,
  broadworksConnectionSchema,
  cmeAdvancedSchema,
  cmeConnectionSchema,
  panasonicAdvancedSchema,
  panasonicConnectionSchema,
  sipPhonesAdvancedSchema,
  sipPhonesConnectionSchema,
  type Family,
} from '../../../../shared/model/instance';
import { messageProblem, zodProblem, type Problem } from '../../i18n/problems';

export type Values = Record<string, unknown>;

/** One setting as the form shows it; labels come from `fields.<key>`, option labels from `options.<value>`. */
export interface FieldDesc {
  key: string;
  kind: 'text' | 'number' | 'select' | 'checkbox';
  options?: readonly string[];
  /** Option labels that are proper names (providers) rather than translated words. */
  optionLabels?: Record<string, string>;
  show?: (v: Values) => boolean;
}

const viaMux = (v: Values) => v.mode === 'multiplexer';
const providers = ['custom', ...BROADWORKS_PROVIDERS.map((p) => p.id)];
const providerLabels = Object.fromEntries(BROADWORKS_PROVIDERS.map((p) => [p.id, p.label]));

/** The connection settings of each family, in the order of the manuals' dialogs. */
export const CONNECTION_FIELDS: Record<Family, FieldDesc[]> = {
  panasonic: [
    { key: 'mode', kind: 'select', options: ['direct', 'multiplexer'] },
    { key: 'host', kind: 'text' },
    { key: 'port', kind: 'number' },
    { key: 'tls', kind: 'checkbox', show: viaMux },
    { key: 'user', kind: 'text', show: viaMux },
  ],
  cme: [
    { key: 'host', kind: 'text' },
    { key: 'axlProtocol', kind: 'select', options: ['http', 'https'] },
    { key: 'axlPort', kind: 'number' },
    { key: 'axlUser', kind: 'text' },
    { key: 'sipInterface', kind: 'text' },
    { key: 'sipPort', kind: 'number' },
    { key: 'cmeSipPort', kind: 'number' },
    { key: 'sessionServerId', kind: 'text' },
  ],
  broadworks: [
    { key: 'mode', kind: 'select', options: ['server', 'workstation'] },
    { key: 'provider', kind: 'select', options: providers, optionLabels: providerLabels },
    { key: 'host', kind: 'text' },
    { key: 'connectionType', kind: 'select', options: BROADWORKS_CONNECTION_TYPES },
    { key: 'port', kind: 'number' },
    { key: 'urlPrefix', kind: 'text' },
    { key: 'user', kind: 'text' },
  ],
  'sip-phones': [
    { key: 'host', kind: 'text' },
    { key: 'transport', kind: 'select', options: ['tcp', 'tls'] },
    { key: 'port', kind: 'number' },
    { key: 'user', kind: 'text' },
  ],
};

const common: FieldDesc[] = [
  { key: 'readLineNames', kind: 'checkbox' },
  { key: 'snapshotInterval', kind: 'number' },
  { key: 'monitorRetryInterval', kind: 'number' },
];

export const ADVANCED_FIELDS: Record<Family, FieldDesc[]> = {
  panasonic: common,
  cme: [...common, { key: 'readLineButtons', kind: 'checkbox' }, { key: 'updateLinesInterval', kind: 'number' }],
  broadworks: [
    ...common,
    { key: 'lineNameFormat', kind: 'select', options: ['standard', 'number', 'name'] },
    { key: 'returnToHeldAfterConsultation', kind: 'checkbox' },
    { key: 'httpProxy', kind: 'text' },
  ],
  'sip-phones': common,
};

export const CONNECTION_SCHEMAS: Record<Family, z.ZodType> = {
  panasonic: panasonicConnectionSchema,
  cme: cmeConnectionSchema,
  broadworks: broadworksConnectionSchema,
  'sip-phones': sipPhonesConnectionSchema,
};

export const ADVANCED_SCHEMAS: Record<Family, z.ZodType> = {
  panasonic: panasonicAdvancedSchema,
  cme: cmeAdvancedSchema,
  broadworks: broadworksAdvancedSchema,
  'sip-phones': sipPhonesAdvancedSchema,
};

/**
 * Problems by field key, as the admin types; the same schemas main stores with. `say` turns each problem into
 * text in the UI language (the components pass `useProblemText()`); without it the schemas' English is kept.
 */
export function validate(schema: z.ZodType, values: Values, extra?: (v: Values) => Record<string, Problem>, say: (p: Problem) => string = (p) => p.text): Record<string, string> {
  const found: Record<string, Problem> = {};
  const r = schema.safeParse(values);
  if (!r.success) for (const issue of r.error.issues) found[String(issue.path[0] ?? '')] ??= zodProblem(issue);
  Object.assign(found, extra?.(values));
  return Object.fromEntries(Object.entries(found).map(([k, p]) => [k, say(p)]));
}

/** Cross-field rules of the connection (the model checks these on the whole instance). */
export function connectionExtra(family: Family): (v: Values) => Record<string, Problem> {
  return (v) => {
    const out: Record<string, Problem> = {};
    if (!String(v.host ?? '').trim()) out.host = messageProblem('host must not be empty');
    if (family === 'panasonic' && v.tls && v.mode !== 'multiplexer') out.tls = messageProblem('TLS is only available through the CSTA multiplexer');
    return out;
  };
}

/** A change of one setting, with the ports and provider details the manuals tie to it filled in. */
export function applyChange(family: Family, v: Values, key: string, value: unknown): Values {
  const next: Values = { ...v, [key]: value };
  if (family === 'panasonic') {
    if (key === 'mode' && value === 'direct') next.tls = false;
    if (key === 'tls' || key === 'mode') next.port = next.tls ? PANASONIC_PORTS.multiplexerTls : PANASONIC_PORTS.direct;
  }
  if (family === 'cme' && key === 'axlProtocol') next.axlPort = value === 'https' ? CME_DEFAULTS.axlHttpsPort : CME_DEFAULTS.axlHttpPort;
  if (family === 'sip-phones' && key === 'transport') next.port = value === 'tls' ? SIP_PHONES_PORTS.tls : SIP_PHONES_PORTS.tcp;
  if (family === 'broadworks') {
    if (key === 'connectionType') next.port = BROADWORKS_PORTS[value as keyof typeof BROADWORKS_PORTS];
    if (key === 'provider') {
      const p = BROADWORKS_PROVIDERS.find((x) => x.id === value);
      if (p) Object.assign(next, { host: p.host, connectionType: p.connectionType, port: p.port, urlPrefix: p.urlPrefix });
    }
  }
  return next;
}
