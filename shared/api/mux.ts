import { z } from 'zod';
import { event, method } from './define';
import type { Coded } from '../problems';

/** State of the multiplexer's one link to the PBX. */
export type MuxPbxState = 'connecting' | 'connected' | 'disconnected';

export interface MuxApplication {
  id: number;
  /** Remote address and port, e.g. "10.0.0.7:51234". */
  address: string;
  transport: 'tcp' | 'tls';
  /** Login user, absent when the application sent none (plain TCP without required login). */
  user?: string;
  /** ISO 8601 time of the login. */
  since: string;
  /** Devices the application monitors. */
  monitors: string[];
  cdr: boolean;
  dataCollection: boolean;
  hotel: boolean;
  requests: number;
  events: number;
}

export interface MuxCounters {
  connectionsAccepted: number;
  loginsRejected: number;
  limitRefusals: number;
  requestsForwarded: number;
  answersReturned: number;
  eventsReceived: number;
  eventsDelivered: number;
  monitorStartsUpstream: number;
  monitorStartsShared: number;
  monitorStopsUpstream: number;
  cdrReportsDelivered: number;
  cdrReportsRefused: number;
  slowDisconnects: number;
  malformedDisconnects: number;
  upstreamConnects: number;
  monitorsRestored: number;
  /** Logins refused unchecked while their source address waits after failures or is locked out. */
  loginsThrottled: number;
  /** Requests refused because the application had too many waiting for an answer. */
  outstandingLimitRefusals: number;
  /** Applications disconnected for not answering the keep-alive. */
  keepAliveDisconnects: number;
  /** CDR and data-collection registrations started again after the PBX link came back. */
  registrationsRestored: number;
  /** DataCollected reports answered negatively to the PBX: no holder, or the holder did not answer in time. */
  dataCollectedRefused: number;
}

export type MuxWarning = 'LOGIN_NOT_REQUIRED_ON_TCP' | 'DEFAULT_CREDENTIALS';

export interface MuxStatus {
  running: boolean;
  /** `lastError` in English; `lastProblem` the same coded (`logMux.pbx*`), as the console shows it. */
  pbx?: { host: string; port: number; state: MuxPbxState; since: string; lastError?: string; lastProblem?: Coded };
  listening?: { bind: string; tcpPort: number; tlsPort?: number; requireLogin: boolean };
  applications: MuxApplication[];
  /** Device monitors held on the PBX link. */
  pbxMonitors: number;
  counters?: MuxCounters;
  warnings: MuxWarning[];
}

const port = z.number().int().min(0).max(65535);

export const muxStartInput = z
  .object({
    pbxHost: z.string().min(1),
    pbxPort: port.default(33333),
    tcpPort: port.default(33333),
    tlsPort: port.optional(),
    /** Certificate and key as PEM text, or a PFX (base64) as `cert` with `passphrase`; never file names. */
    cert: z.string().min(1).optional(),
    key: z.string().min(1).optional(),
    passphrase: z.string().optional(),
    /** Interface applications connect to: this computer only unless the admin chooses another (0.0.0.0 = all). */
    bind: z.string().min(1).default('127.0.0.1'),
    requireLogin: z.boolean().default(false),
    /** Login applications must send; stored in the secret store, default admin/admin. */
    user: z.string().min(1).optional(),
    password: z.string().optional(),
  })
  .strict()
  .refine((v) => v.tlsPort === undefined || v.cert !== undefined, { message: 'a TLS port needs a certificate (cert)', path: ['cert'] });
export type MuxStartInput = z.input<typeof muxStartInput>;

/** The multiplexer's remembered settings: those it last started with here, the same the service starts with. */
export interface MuxRemembered {
  settings: { pbxHost: string; pbxPort: number; tcpPort: number; bind: string; requireLogin: boolean; tlsPort?: number } | null;
  /** The login user applications must send (the password never leaves main), null while the default applies. */
  user: string | null;
}

export const muxMethods = {
  'mux.status': method<MuxStatus>()(z.object({}).strict()),
  'mux.settings': method<MuxRemembered>()(z.object({}).strict()),
  'mux.start': method<MuxStatus>()(muxStartInput),
  'mux.stop': method<MuxStatus>()(z.object({}).strict()),
};

export const muxEvents = {
  'mux.status': event<MuxStatus>(),
};
