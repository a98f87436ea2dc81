import { z } from 'zod';
import { coded } from '../problems';
import { commonAdvanced, commonAdvancedFields, defineFamily, host, numberIdentity, port, user } from './spec';

// Panasonic KX-TDA/TDE/NCP/NS/NSX: CSTA Phase III directly to the PBX (TCP 33333) or through the CSTA
// multiplexer (TCP 33333 / TLS 33334, with a login).
export const PANASONIC_PORTS = { direct: 33333, multiplexerTcp: 33333, multiplexerTls: 33334 } as const;

export const panasonicConnectionSchema = z.object({
  mode: z.enum(['direct', 'multiplexer']).default('direct'),
  host: host.default(''),
  port: port().default(PANASONIC_PORTS.direct),
  /** Only with the multiplexer; the host name must then be the one in the multiplexer's certificate. */
  tls: z.boolean().default(false),
  /** Multiplexer login; the manual's default is admin/admin. */
  user: user.default('admin'),
});
export const panasonicAdvancedSchema = z.object({ ...commonAdvanced });

const viaMux = (v: Record<string, unknown>) => v.mode === 'multiplexer';

export const panasonic = defineFamily({
  id: 'panasonic',
  connection: panasonicConnectionSchema,
  advanced: panasonicAdvancedSchema,
  secrets: ['multiplexerPassword'],
  passwordSecret: 'multiplexerPassword',
  portField: 'port',
  lineFields: ['mobile'],
  lineIdentity: numberIdentity,
  defaultPort: (c) => (c.mode === 'multiplexer' && c.tls ? PANASONIC_PORTS.multiplexerTls : PANASONIC_PORTS.direct),
  // A PBX is reached over plain TCP: leaving the multiplexer turns TLS off.
  fillIn: (_before, patch) => (patch.mode === 'direct' ? { tls: false } : {}),
  check: (c) => (c.tls && c.mode !== 'multiplexer' ? [{ path: ['connection', 'tls'], ...coded('validation.tlsMux') }] : []),
  // A call ID is CSTA's octet string, carried as hex: whole bytes only.
  callIdPattern: /^(?:[0-9a-fA-F]{2})+$/,
  capabilities: {
    demo: true,
    testConnection: true,
    discovery: true,
    runtime: true,
    // The manual's "Supported TAPI operations".
    callControl: [
      'makeCall', 'clearCall', 'answer', 'hold', 'retrieve', 'redirect', 'blindTransfer', 'consult', 'alternate', 'transfer', 'conference',
      'removeParty', 'pickup', 'dial', 'digits', 'callBack', 'callBackTo', 'intrude', 'setForwarding', 'forwardBusy', 'forwardNoAnswer', 'forwardByCaller', 'setDoNotDisturb', 'readFeatures',
    ],
    importFormats: ['text', 'csv'],
    exportFormat: 'text',
  },
  form: {
    connection: [
      { key: 'mode', kind: 'select', options: ['direct', 'multiplexer'] },
      { key: 'host', kind: 'text' },
      { key: 'port', kind: 'number' },
      { key: 'tls', kind: 'checkbox', show: viaMux },
      { key: 'user', kind: 'text', show: viaMux },
    ],
    advanced: commonAdvancedFields,
    passwordShown: viaMux,
  },
});
