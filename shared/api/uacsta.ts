// The console's "SIP phone server" area: the uaCSTA server's settings (the manual's phone connection, client
// connection, access information, advanced settings and diagnostics pages), its start and stop, the phone list
// with the enable switch, and a phone's detail. Passwords, the certificate's key and phone web logins stay in main.
import { z } from 'zod';
import type { Coded } from '../problems';
import { LOG_LEVELS, type LogEntry } from './app';
import { event, method } from './define';

const port = z.number().int().min(0).max(65535);
const mac = z.string().trim().transform((m) => m.replace(/[:.-]/g, '').toLowerCase()).pipe(z.string().regex(/^[0-9a-f]{12}$/, 'a MAC address of 12 hex digits'));

/** One network interface of the server (phones or clients): the LAN address and ports, and optionally the WAN one. */
export const uacstaInterfaceSchema = z
  .object({
    /** The address it listens on (127.0.0.1 unless the admin chooses one; 0.0.0.0 = all). */
    lan: z.string().trim().min(1),
    tcpPort: port,
    tlsPort: port.optional(),
    /** The WAN interface: its address and ports, and the public address or DNS name (and ports, where the NAT maps others) peers behind NAT are told. */
    wan: z
      .object({ host: z.string().trim().min(1), tcpPort: port, tlsPort: port.optional(), publicHost: z.string().trim().min(1).max(253), publicPort: port.optional(), publicTlsPort: port.optional() })
      .strict()
      .optional(),
  })
  .strict();
export type UacstaInterface = z.output<typeof uacstaInterfaceSchema>;

export const uacstaSettingsSchema = z
  .object({
    phone: uacstaInterfaceSchema,
    client: uacstaInterfaceSchema,
    /** "Automatically put phones into operation". */
    autoActivate: z.boolean(),
    /** "SIP expiration time": the longest registration the server grants, in seconds. */
    expirySeconds: z.number().int().min(60).max(86_400),
    /** "Keep connection alive time", in seconds. */
    keepAliveSeconds: z.number().int().min(5).max(3600),
    /** Vendors whose phones take CSTA in out-of-dialog NOTIFY instead of an INVITE dialog. */
    notifyVendors: z.array(z.enum(['snom', 'yealink', 'auerswald', 'mitel'])).max(4),
    diagnostics: z
      .object({
        logLevel: z.enum(LOG_LEVELS),
        maxLogFileMb: z.number().int().min(1).max(1024),
        deleteLogsDaily: z.boolean(),
        /** Empty: the data directory's logs folder. */
        logDirectory: z.string().trim().max(1024).default(''),
        /** The log filter: per-phone lines only for these phones (empty: all). */
        logMacs: z.array(mac).max(1000),
      })
      .strict(),
    /** False until the first-configuration wizard was finished. */
    configured: z.boolean(),
  })
  .strict();
export type UacstaSettings = z.output<typeof uacstaSettingsSchema>;

export const UACSTA_DEFAULT_SETTINGS: UacstaSettings = {
  phone: { lan: '127.0.0.1', tcpPort: 5060 },
  client: { lan: '127.0.0.1', tcpPort: 5062 },
  autoActivate: true,
  expirySeconds: 300,
  keepAliveSeconds: 60,
  notifyVendors: [],
  diagnostics: { logLevel: 'info', maxLogFileMb: 10, deleteLogsDaily: false, logDirectory: '', logMacs: [] },
  configured: false,
};

export interface UacstaCertificateInfo {
  subject: string;
  /** The names it is issued to (subject CN and alternative names). */
  names: string[];
  validFrom: string;
  validTo: string;
}

/** What the settings pages show: the settings, and of the secrets only whether they are set (and the client user). */
export interface UacstaSettingsView {
  settings: UacstaSettings;
  phonePasswordSet: boolean;
  clientUser: string | null;
  clientPasswordSet: boolean;
  certificate: UacstaCertificateInfo | null;
  /** Connection settings change only while the server is stopped (manual §3.2). */
  running: boolean;
}

export const uacstaSaveInput = z
  .object({
    settings: uacstaSettingsSchema,
    /** Omitted: keep the stored one. */
    phonePassword: z.string().min(1).max(256).optional(),
    clientUser: z.string().trim().min(1).max(128).optional(),
    clientPassword: z.string().min(1).max(256).optional(),
    /** The certificate and its private key as PEM text (never file names); both or neither. */
    cert: z.string().min(1).max(65_536).optional(),
    key: z.string().min(1).max(65_536).optional(),
  })
  .strict()
  .refine((v) => (v.cert === undefined) === (v.key === undefined), { message: 'the certificate and its private key go together', path: ['key'] });

export type UacstaPhoneStatus = 'registered' | 'controllable' | 'offline' | 'disabled';
export type UacstaVendor = 'snom' | 'yealink' | 'auerswald' | 'mitel' | 'unknown';

/** One row of the phone list (manual §3.5). */
export interface UacstaPhone {
  mac: string;
  /** The User-Agent it registered with. */
  type: string;
  vendor: UacstaVendor;
  firmware?: string;
  lastIp: string;
  identity?: string;
  identities: string[];
  /** ISO time of the last login; absent for a phone that never logged in here. */
  lastLogin?: string;
  status: UacstaPhoneStatus;
  enabled: boolean;
  /** Holds a licence of the shared pool (a connected phone, with one monitored line). */
  licensed: boolean;
  /** Why the last attempt to control it failed. */
  problem?: Coded;
}

/** A line monitored through the server: one licence each however many clients watch it (manual §3.8). */
export interface UacstaLine {
  mac: string;
  device: string;
  clients: number;
  monitoredInPhone: boolean;
  /** A further line of its phone: it holds a licence of its own. */
  ownLicence?: boolean;
}

/** One listener: interface, transport, address, port (a configured 0 is the port chosen), the public address told. */
export interface UacstaListener {
  interface: 'phones' | 'clients';
  transport: 'TCP' | 'TLS';
  host: string;
  port: number;
  advertised?: string;
}

/** The LAN listener of an interface and transport (the port a configured 0 became), if the server runs it. */
export function listenerOf(listening: UacstaListener[], iface: 'phones' | 'clients', transport: 'TCP' | 'TLS' = 'TCP'): UacstaListener | undefined {
  return listening.find((l) => l.interface === iface && l.transport === transport && !l.advertised);
}

/** Licences the server holds (manual §3.8) and the shared pool. */
export interface UacstaLicenceUsage {
  phones: number;
  lines: number;
  extraLines: number;
  used: number;
  pool?: { total: number; inUse: number; free: number };
}

export interface UacstaStatus {
  running: boolean;
  since?: string;
  listening: UacstaListener[];
  phones: UacstaPhone[];
  lines: UacstaLine[];
  licences: UacstaLicenceUsage;
  /** Why the last start failed (until the next start): uacstaServer.portInUse, uacsta.certificateWrongName … */
  startProblem?: Coded;
}

export type UacstaFeatureSupport = 'yes' | 'emulated' | 'no' | 'firmware';

export interface UacstaPhoneDetail extends UacstaPhone {
  /** The manual's feature table for the phone's vendor and firmware (empty for unknown vendors). */
  features: Array<{ service: string; support: UacstaFeatureSupport; since?: string }>;
  /** The CSTA dialog to the phone: open, being opened, or none. */
  dialog: 'open' | 'opening' | 'none';
  /** The last CSTA request to the phone that failed or was refused, with when. */
  lastCstaError?: { service: string; error: string; reason?: string; at: string };
}

/** A phone found for provisioning: by the address typed, or by the vendor's plug and play (snom). */
export interface ProvisioningCandidate {
  /** Its web interface: host, or host:port. */
  address: string;
  via: 'address' | 'pnp';
  vendor: UacstaVendor;
  model?: string;
  mac?: string;
  firmware?: string;
  /** Why it cannot be read (unreachable, login refused, not a phone we can provision). */
  problem?: Coded;
}

export interface ProvisioningOptions {
  /** The phones' web interface login (the secret store keeps the password). */
  webUser: string;
  webPasswordSet: boolean;
  transport: 'tcp' | 'tls';
  /** Restart a phone after providing or deleting its provisioning. */
  restart: boolean;
  /** The web interface's port where an address names none. */
  webPort: number;
}

export interface ProvisioningResult {
  address: string;
  ok: boolean;
  mac?: string;
  restarted?: boolean;
  problem?: Coded;
}

/** What the vendors' setup guides are filled in with, and Mitel's startup.cfg. */
export interface ProvisioningGuide {
  address: string;
  port: number;
  transport: 'tcp' | 'tls';
  password: string;
  mitelStartupCfg: string;
}

const webAddress = z.string().trim().min(1).max(300).regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/, 'a host or host:port');
const addressList = z.array(webAddress).min(1).max(100);

export const provisioningOptionsInput = z
  .object({
    webUser: z.string().trim().min(1).max(128),
    /** Omitted: keep the stored one. */
    webPassword: z.string().max(256).optional(),
    transport: z.enum(['tcp', 'tls']),
    restart: z.boolean(),
    webPort: z.number().int().min(1).max(65535),
  })
  .strict();

/** The SIP phone server's demo: simulated phones registered, one waiting for provisioning, where clients log in. */
export interface UacstaDemoInfo {
  running: true;
  phones: Array<{ mac: string; vendor: string; numbers: string[] }>;
  waiting: { address: string; mac: string; vendor: string; numbers: string[]; webUser: string; webPassword: string };
  /** Where a SIP phones instance connects; the login only when the demo set it (the admin's own stays in main). */
  client: { host: string; port: number; user?: string; password?: string };
}

export const uacstaMethods = {
  'uacsta.settings': method<UacstaSettingsView>()(z.object({}).strict()),
  /** Refused with UACSTA_RUNNING when connection settings or logins change while the server runs. */
  'uacsta.saveSettings': method<UacstaSettingsView>()(uacstaSaveInput),
  'uacsta.status': method<UacstaStatus>()(z.object({}).strict()),
  /** Starts with the stored settings; refused with UACSTA_PORT_IN_USE, UACSTA_CERTIFICATE_INVALID, UACSTA_NOT_CONFIGURED, UACSTA_LISTEN_FAILED. */
  'uacsta.start': method<UacstaStatus>()(z.object({}).strict()),
  'uacsta.stop': method<UacstaStatus>()(z.object({}).strict()),
  'uacsta.setPhoneEnabled': method<UacstaPhone>()(z.object({ mac, enabled: z.boolean() }).strict()),
  'uacsta.phone': method<UacstaPhoneDetail>()(z.object({ mac }).strict()),
  /** The server's diagnostics log since its last start (empty while stopped). */
  'uacsta.log': method<LogEntry[]>()(z.object({}).strict()),
  'uacsta.provisioning.options': method<ProvisioningOptions>()(z.object({}).strict()),
  'uacsta.provisioning.saveOptions': method<ProvisioningOptions>()(provisioningOptionsInput),
  /** Reads each address's web interface: vendor, model, MAC, firmware (or why not). */
  'uacsta.provisioning.find': method<ProvisioningCandidate[]>()(z.object({ addresses: addressList }).strict()),
  /** Listens this long for the vendors' plug-and-play announcements (snom's SUBSCRIBE for ua-profile). */
  'uacsta.provisioning.discover': method<ProvisioningCandidate[]>()(z.object({ seconds: z.number().int().min(1).max(30) }).strict()),
  /** Pushes server address, port, transport, MAC user and phone password into each phone; restarts it if the options say so. */
  'uacsta.provisioning.provide': method<ProvisioningResult[]>()(z.object({ addresses: addressList }).strict()),
  'uacsta.provisioning.remove': method<ProvisioningResult[]>()(z.object({ addresses: addressList }).strict()),
  'uacsta.provisioning.guide': method<ProvisioningGuide>()(z.object({}).strict()),
  /** Starts the server (configured for this computer with demo logins if it never was) and simulated phones. */
  'uacsta.demo.start': method<UacstaDemoInfo>()(z.object({}).strict()),
  'uacsta.demo.status': method<UacstaDemoInfo | { running: false }>()(z.object({}).strict()),
  'uacsta.demo.stop': method<{ running: false }>()(z.object({}).strict()),
};

export const uacstaEvents = {
  'uacsta.status': event<UacstaStatus>(),
};
