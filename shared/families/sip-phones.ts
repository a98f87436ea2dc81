import { z } from 'zod';
import { commonAdvanced, commonAdvancedFields, defineFamily, host, numberIdentity, port, user } from './spec';

// SIP phones: the driver is a client of our uaCSTA server (TCP 5060 / TLS 5061) with a client login.
export const SIP_PHONES_PORTS = { tcp: 5060, tls: 5061 } as const;

export const sipPhonesConnectionSchema = z.object({
  host: host.default(''),
  transport: z.enum(['tcp', 'tls']).default('tcp'),
  port: port().default(SIP_PHONES_PORTS.tcp),
  user: user.default(''),
});
export const sipPhonesAdvancedSchema = z.object({ ...commonAdvanced });

export const sipPhones = defineFamily({
  id: 'sip-phones',
  connection: sipPhonesConnectionSchema,
  advanced: sipPhonesAdvancedSchema,
  secrets: ['password'],
  passwordSecret: 'password',
  portField: 'port',
  lineFields: [],
  lineIdentity: numberIdentity,
  defaultPort: (c) => (c.transport === 'tls' ? SIP_PHONES_PORTS.tls : SIP_PHONES_PORTS.tcp),
  // the driver is a client of our uaCSTA server; call control is what the simulated phones answer (docs/uacsta.md)
  capabilities: { testConnection: true, discovery: true, runtime: true, callControl: ['makeCall', 'clearCall', 'answer', 'hold', 'retrieve', 'alternate'], importFormats: ['text', 'csv'], exportFormat: 'text' },
  // the server's licence per phone covers the line a client monitors (docs/licences.md)
  linesLicensedByServer: true,
  form: {
    connection: [
      { key: 'host', kind: 'text' },
      { key: 'transport', kind: 'select', options: ['tcp', 'tls'] },
      { key: 'port', kind: 'number' },
      { key: 'user', kind: 'text' },
    ],
    advanced: commonAdvancedFields,
  },
});
