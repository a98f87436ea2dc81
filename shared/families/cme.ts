import { z } from 'zod';
import { commonAdvanced, commonAdvancedFields, defineFamily, host, port, updateLinesInterval, user } from './spec';

// Cisco CallManager Express: AXL (XML API over HTTP/HTTPS) for reading lines, SIP/TCP with a session server for CSTA.
export const CME_DEFAULTS = { axlHttpPort: 80, axlHttpsPort: 443, sipPort: 5060, sessionServerId: 'ss_ecsta' } as const;

export const cmeConnectionSchema = z.object({
  host: host.default(''),
  axlProtocol: z.enum(['http', 'https']).default('http'),
  axlPort: port('AXL port').default(CME_DEFAULTS.axlHttpPort),
  axlUser: user.default(''),
  /** Local IP interface the driver accepts SIP on; empty = all interfaces. */
  sipInterface: z.string().trim().max(64).default(''),
  sipPort: port('SIP port').default(CME_DEFAULTS.sipPort),
  /** CME port for SIP. */
  cmeSipPort: port('CME SIP port').default(CME_DEFAULTS.sipPort),
  /** The `register-id` of the CME session server (`voice register session-server`), at most 30 characters. */
  sessionServerId: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,30}$/, 'session server ID must be 1-30 letters, digits or _')
    .default(CME_DEFAULTS.sessionServerId),
});
export const cmeAdvancedSchema = z.object({
  ...commonAdvanced,
  /** Also read each phone's additional line buttons (they become addresses of the line). */
  readLineButtons: z.boolean().default(false),
  /** How often registered phones are queried over AXL (extension mobility logins, unregistered phones). */
  updateLinesInterval,
  /** UNSURE per the reference (addendum §2.2): one CTI dialog for all lines, or one per line (Request-URI sip:<DN>@cme). */
  ctiDialogs: z.enum(['shared', 'perLine']).default('shared'),
  /** Refresh the CTI dialogs by re-INVITE (session timer; UNSURE whether a CME wants it). */
  sessionRefresh: z.boolean().default(true),
});

/** The 12 upper-case hex digits of a MAC address with or without SEP, for comparing device IDs. */
export function macDigits(deviceId: string): string {
  return deviceId.replace(/^SEP/i, '').toUpperCase();
}

/** The XML API helper (manual §2.5): shown to copy, since these commands enable the API that could apply them. */
export const cmeXmlApiOptions = z.object({
  https: z.boolean().default(false),
  axlUser: z.string().trim().min(1).max(32),
  password: z.string().min(1).max(64),
});
/** The CSTA helper (manual §2.6): the session server, CTI per chosen ephone-dn, optional authenticate register. */
export const cmeCstaOptions = z.object({
  sessionServerTag: z.number().int().min(1).max(8).default(2),
  sessionServerId: cmeConnectionSchema.shape.sessionServerId,
  keepalive: z.number().int().min(60).max(3600).default(600),
  authenticateRegister: z.boolean().default(false),
  /** The ephone-dn tags to get `cti watch` and `cti notify`. */
  choices: z.array(z.string().regex(/^\d{1,5}$/)).max(15_000).default([]),
});

export const cme = defineFamily({
  id: 'cme',
  connection: cmeConnectionSchema,
  advanced: cmeAdvancedSchema,
  secrets: ['axlPassword'],
  passwordSecret: 'axlPassword',
  portField: 'axlPort',
  lineFields: ['deviceId', 'buttons'],
  // A number may sit on several phones (shared lines): each phone's appearance is a line of its own.
  lineIdentity: (line) => `${line.number}|${line.deviceId ? macDigits(line.deviceId) : ''}`,
  defaultPort: (c) => (c.axlProtocol === 'https' ? CME_DEFAULTS.axlHttpsPort : CME_DEFAULTS.axlHttpPort),
  capabilities: {
    testConnection: true,
    discovery: true,
    runtime: true,
    // The manual's "Supported TAPI operations" for CME: dial in dial-tone mode is `digits` into a call with dial
    // tone; forwarding is unconditional only.
    callControl: ['makeCall', 'clearCall', 'answer', 'hold', 'retrieve', 'redirect', 'blindTransfer', 'consult', 'alternate', 'transfer', 'conference', 'removeParty', 'digits', 'setForwarding', 'setDoNotDisturb', 'readFeatures'],
    importFormats: ['cme', 'text', 'csv'],
    exportFormat: 'cme',
    demo: true,
  },
  form: {
    connection: [
      { key: 'host', kind: 'text', locate: 'tftpServer' },
      { key: 'axlProtocol', kind: 'select', options: ['http', 'https'] },
      { key: 'axlPort', kind: 'number' },
      { key: 'axlUser', kind: 'text' },
      { key: 'sipInterface', kind: 'text' },
      { key: 'sipPort', kind: 'number' },
      { key: 'cmeSipPort', kind: 'number' },
      { key: 'sessionServerId', kind: 'text' },
    ],
    advanced: [
      ...commonAdvancedFields,
      { key: 'readLineButtons', kind: 'checkbox' },
      { key: 'updateLinesInterval', kind: 'number' },
      { key: 'ctiDialogs', kind: 'select', options: ['shared', 'perLine'] },
      { key: 'sessionRefresh', kind: 'checkbox' },
    ],
  },
  configHelpers: [
    {
      id: 'cmeXmlApi',
      options: cmeXmlApiOptions,
      fields: [{ key: 'https', kind: 'checkbox' }, { key: 'axlUser', kind: 'text' }, { key: 'password', kind: 'text' }],
      defaults: (c) => ({ https: c.axlProtocol === 'https', axlUser: c.axlUser ?? '', password: '' }),
      choices: false,
      applies: false,
    },
    {
      id: 'cmeCsta',
      options: cmeCstaOptions,
      fields: [{ key: 'sessionServerTag', kind: 'number' }, { key: 'sessionServerId', kind: 'text' }, { key: 'keepalive', kind: 'number' }, { key: 'authenticateRegister', kind: 'checkbox' }],
      defaults: (c) => ({ sessionServerTag: 2, sessionServerId: c.sessionServerId ?? CME_DEFAULTS.sessionServerId, keepalive: 600, authenticateRegister: false, choices: [] }),
      choices: true,
      applies: true,
    },
  ],
});
