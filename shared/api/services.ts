import { z } from 'zod';
import { method } from './define';

/** The servers an install runs as system services (the uaCSTA server joins when it lands). */
export const serviceNames = ['mux'] as const;
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

export interface ServiceProblem {
  code: ServiceProblemCode;
  params: Record<string, string | number>;
}

/** Exit code of `linekeeper service run` when the service has no settings yet (sysexits EX_CONFIG). */
export const EXIT_NOT_CONFIGURED = 78;

const port = z.number().int().min(0).max(65535);

/** The multiplexer service's settings, kept in the shared data directory; its login lives in the secret store. */
export const muxServiceSettingsSchema = z
  .object({
    pbxHost: z.string().min(1),
    pbxPort: port.default(33333),
    tcpPort: port.default(33333),
    /** This computer only unless the admin chooses another interface (0.0.0.0 = all), as on the Multiplexer page. */
    bind: z.string().min(1).default('127.0.0.1'),
    requireLogin: z.boolean().default(false),
    /** TLS: port with a PEM certificate and key, or a PFX file as `cert` alone. */
    tlsPort: port.optional(),
    cert: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
  })
  .strict()
  .refine((v) => v.tlsPort === undefined || v.cert !== undefined, { message: 'a TLS port needs a certificate (cert)', path: ['cert'] });
export type MuxServiceSettings = z.output<typeof muxServiceSettingsSchema>;

export interface ServiceState {
  name: ServiceName;
  manager: ServiceManager;
  state: ServiceRunState;
  /** Why it is not installed, failed, or what the last start or stop ran into. */
  problem?: ServiceProblem;
  /** Set when the console and the service do not share one data directory (then settings and login differ). */
  warning?: ServiceProblem;
  /** The data directory the service runs on, when the service manager tells. */
  dataDir?: string;
  /** The settings saved in the console's data directory; absent until the admin saves them. */
  settings?: MuxServiceSettings;
  /** True once a login is in the secret store (the password itself never leaves main). */
  hasLogin: boolean;
}

const nameInput = z.object({ name: z.enum(serviceNames) }).strict();

export const servicesMethods = {
  'services.list': method<ServiceState[]>()(z.object({}).strict()),
  'services.start': method<ServiceState>()(nameInput),
  'services.stop': method<ServiceState>()(nameInput),
  /** Saves the settings (and the login, when given) the service starts with; a running service is restarted. */
  'services.setSettings': method<ServiceState>()(
    z
      .object({
        name: z.enum(serviceNames),
        settings: muxServiceSettingsSchema,
        user: z.string().min(1).optional(),
        password: z.string().optional(),
      })
      .strict(),
  ),
};
