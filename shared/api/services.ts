import { z } from 'zod';
import { method } from './define';

/** The servers an install runs as system services: the CSTA multiplexer and the uaCSTA server for SIP phones. */
export const serviceNames = ['mux', 'uacsta'] as const;
export type ServiceName = (typeof serviceNames)[number];

/** Which service manager the machine has: systemd (deb), the Windows service manager, launchd, or none usable. */
export type ServiceManager = 'systemd' | 'windows' | 'launchd' | 'none';

export type ServiceRunState = 'not-installed' | 'running' | 'starting' | 'stopping' | 'stopped' | 'failed' | 'unknown';

/**
 * Why a service is not installed, failed or could not be controlled; the console words each code:
 * SERVICE_MANAGER_MISSING {manager}, SERVICE_MANAGER_UNAVAILABLE {manager, detail}, SERVICE_NOT_INSTALLED {unit},
 * SERVICE_NOT_CONFIGURED {}, SERVICE_EXITED {exitCode}, SERVICE_CONTROL_FAILED {action, detail},
 * SERVICE_DATA_DIR_DIFFERS {console, service}.
 */
export type ServiceProblemCode =
  | 'SERVICE_MANAGER_MISSING'
  | 'SERVICE_MANAGER_UNAVAILABLE'
  | 'SERVICE_NOT_INSTALLED'
  | 'SERVICE_NOT_CONFIGURED'
  | 'SERVICE_EXITED'
  | 'SERVICE_CONTROL_FAILED'
  | 'SERVICE_DATA_DIR_DIFFERS';

/**
 * Why `services.setSettings` refused a TLS certificate (nothing is saved then): SERVICE_TLS_CERT_MISSING {} (a TLS
 * port without a certificate), SERVICE_TLS_CERT_UNREADABLE {} (neither a PEM certificate nor a PFX that opens
 * without a password), SERVICE_TLS_KEY_MISSING {}, SERVICE_TLS_KEY_UNREADABLE {} (not a PEM private key, or one
 * with a password), SERVICE_TLS_KEY_WITH_PFX {}, SERVICE_TLS_KEY_MISMATCH {}, SERVICE_TLS_CERT_NOT_VALID_NOW
 * {validFrom, validTo}, SERVICE_TLS_PFX_NOT_SUPPORTED {} (the uaCSTA server takes PEM certificate and key only),
 * SERVICE_TLS_CERT_WRONG_NAME {computerName, subject} (the uaCSTA server wants it issued to the computer name).
 */
export type ServiceTlsErrorCode =
  | 'SERVICE_TLS_CERT_MISSING'
  | 'SERVICE_TLS_CERT_UNREADABLE'
  | 'SERVICE_TLS_KEY_MISSING'
  | 'SERVICE_TLS_KEY_UNREADABLE'
  | 'SERVICE_TLS_KEY_WITH_PFX'
  | 'SERVICE_TLS_KEY_MISMATCH'
  | 'SERVICE_TLS_CERT_NOT_VALID_NOW'
  | 'SERVICE_TLS_PFX_NOT_SUPPORTED'
  | 'SERVICE_TLS_CERT_WRONG_NAME';

export interface ServiceProblem {
  code: ServiceProblemCode;
  params: Record<string, string | number>;
}

/** Exit code of `linekeeper service run` when the service has no settings yet (sysexits EX_CONFIG). */
export const EXIT_NOT_CONFIGURED = 78;

const port = z.number().int().min(0).max(65535);

/** A certificate chain with its key fits easily; anything larger is not a certificate. */
export const MAX_CERTIFICATE_CHARS = 256 * 1024;

/** The multiplexer service's settings, kept in the shared data directory; its login lives in the secret store. */
export const muxServiceSettingsBase = z
  .object({
    pbxHost: z.string().min(1),
    pbxPort: port.default(33333),
    tcpPort: port.default(33333),
    /** This computer only unless the admin chooses another interface (0.0.0.0 = all), as on the Multiplexer page. */
    bind: z.string().min(1).default('127.0.0.1'),
    requireLogin: z.boolean().default(false),
    /** TLS port; it needs a certificate, sent with these settings or stored before. */
    tlsPort: port.optional(),
  })
  .strict();

/**
 * What the console sends. Certificate and key are contents (PEM text, or a PFX as base64 in `cert` alone) read by
 * the console from a file the admin chose, never file names: main checks them and keeps them in files it names.
 * Without `cert` the stored certificate stays.
 */
export const muxServiceSettingsSchema = muxServiceSettingsBase.extend({
  cert: z.string().min(1).max(MAX_CERTIFICATE_CHARS).optional(),
  key: z.string().min(1).max(MAX_CERTIFICATE_CHARS).optional(),
});
export type MuxServiceSettingsInput = z.input<typeof muxServiceSettingsSchema>;

/** The stored certificate as the console sees it: its kind, and for PEM whom it names and until when. */
export interface StoredCertificate {
  format: 'pem' | 'pfx';
  subject?: string;
  /** ISO date-time. */
  validTo?: string;
}

/** The saved settings as the console reads them back: whether a certificate is stored, never where. */
export type MuxServiceSettings = z.output<typeof muxServiceSettingsBase> & { certificate?: StoredCertificate };

/** The phone vendors the uaCSTA server can reach with CSTA in NOTIFY instead of an INVITE dialog. */
export const uacstaNotifyVendors = ['snom', 'yealink', 'auerswald', 'mitel'] as const;

/**
 * The uaCSTA server service's settings (what `linekeeper uacsta` takes on its command line), kept in the shared
 * data directory; the phone password and the client login live in the secret store. TLS ports use one PEM
 * certificate with its key, sent with these settings or stored before.
 */
export const uacstaServiceSettingsBase = z
  .object({
    phonePort: port.default(5060),
    phoneTlsPort: port.optional(),
    /** The port CTI clients log in on; none: the client interface does not run. */
    clientPort: port.optional(),
    clientTlsPort: port.optional(),
    bind: z.string().min(1).default('127.0.0.1'),
    autoActivate: z.boolean().default(false),
    notifyVendors: z.array(z.enum(uacstaNotifyVendors)).default([]),
  })
  .strict();

export const uacstaServiceSettingsSchema = uacstaServiceSettingsBase
  .extend({
    cert: z.string().min(1).max(MAX_CERTIFICATE_CHARS).optional(),
    key: z.string().min(1).max(MAX_CERTIFICATE_CHARS).optional(),
  })
  .refine((s) => s.clientTlsPort === undefined || s.clientPort !== undefined, { path: ['clientTlsPort'], message: 'the client TLS port needs the client TCP port' });
export type UacstaServiceSettingsInput = z.input<typeof uacstaServiceSettingsSchema>;
export type UacstaServiceSettings = z.output<typeof uacstaServiceSettingsBase> & { certificate?: StoredCertificate };

interface ServiceStateBase {
  manager: ServiceManager;
  state: ServiceRunState;
  /** Why it is not installed, failed, or what the last start or stop ran into. */
  problem?: ServiceProblem;
  /** Set when the console and the service do not share one data directory (then settings and login differ). */
  warning?: ServiceProblem;
  /** The data directory the service runs on, when the service manager tells. */
  dataDir?: string;
  /** True once a login (uacsta: the phone password) is in the secret store (passwords never leave main). */
  hasLogin: boolean;
}

export interface MuxServiceState extends ServiceStateBase {
  name: 'mux';
  /** The settings saved in the console's data directory; absent until the admin saves them. */
  settings?: MuxServiceSettings;
}

export interface UacstaServiceState extends ServiceStateBase {
  name: 'uacsta';
  settings?: UacstaServiceSettings;
  /** True once the CTI clients' login is in the secret store. */
  hasClientLogin: boolean;
}

export type ServiceState = MuxServiceState | UacstaServiceState;

const nameInput = z.object({ name: z.enum(serviceNames) }).strict();

export const servicesMethods = {
  'services.list': method<ServiceState[]>()(z.object({}).strict()),
  'services.start': method<ServiceState>()(nameInput),
  'services.stop': method<ServiceState>()(nameInput),
  /**
   * Saves the settings (and the passwords, when given) the service starts with; a running service is restarted.
   * mux: `user`/`password` is the login applications send. uacsta: `phonePassword` is the one password the phones
   * register with, `clientUser`/`clientPassword` the CTI clients' login.
   */
  'services.setSettings': method<ServiceState>()(
    z.discriminatedUnion('name', [
      z
        .object({
          name: z.literal('mux'),
          settings: muxServiceSettingsSchema,
          user: z.string().min(1).optional(),
          password: z.string().optional(),
        })
        .strict(),
      z
        .object({
          name: z.literal('uacsta'),
          settings: uacstaServiceSettingsSchema,
          phonePassword: z.string().min(1).optional(),
          clientUser: z.string().min(1).optional(),
          clientPassword: z.string().optional(),
        })
        .strict(),
    ]),
  ),
};
