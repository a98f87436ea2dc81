// The multiplexer as a long-lived service of the app: started and stopped from the console's Multiplexer page,
// its login kept in the secret store, its status pushed to a callback (the API's `mux.status` event).
import type { SecretStore } from '../../store';
import type { MuxStartInput, MuxStatus } from '../../../shared/api/mux';
import { Multiplexer } from './multiplexer';
import { DEFAULT_BIND, DEFAULT_LOGIN, type MuxLogger, type MuxOptions } from './options';

export const MUX_USER_SECRET = 'mux/user';
export const MUX_PASSWORD_SECRET = 'mux/password';

const STOPPED: MuxStatus = { running: false, applications: [], pbxMonitors: 0, warnings: [] };

/** Reads the multiplexer login from the secret store (admin/admin until one is set). */
export async function readMuxLogin(secrets: SecretStore): Promise<{ user: string; password: string }> {
  const user = await secrets.get(MUX_USER_SECRET);
  const password = await secrets.get(MUX_PASSWORD_SECRET);
  return user !== undefined && password !== undefined ? { user, password } : { ...DEFAULT_LOGIN };
}

export class MuxService {
  private mux: Multiplexer | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly secrets: SecretStore,
    private readonly notify: (s: MuxStatus) => void,
    private readonly logger?: MuxLogger,
  ) {}

  status(): MuxStatus {
    return this.mux ? this.mux.status() : { ...STOPPED };
  }

  /** Starts (or restarts with new settings). Throws MuxStartError when a port or the certificate is unusable. */
  async start(input: MuxStartInput & { pbxHost: string }, extra: Partial<MuxOptions> = {}): Promise<MuxStatus> {
    await this.stop();
    if (input.user !== undefined) {
      await this.secrets.set(MUX_USER_SECRET, input.user);
      await this.secrets.set(MUX_PASSWORD_SECRET, input.password ?? '');
    }
    const options: MuxOptions = {
      pbx: { host: input.pbxHost, port: input.pbxPort ?? 33333 },
      bind: input.bind ?? DEFAULT_BIND,
      tcpPort: input.tcpPort ?? 33333,
      requireLogin: input.requireLogin ?? false,
      login: await readMuxLogin(this.secrets),
      logger: this.logger,
      ...extra,
    };
    if (input.tlsPort !== undefined && input.cert !== undefined) {
      const cert = certificateBytes(input.cert);
      options.tls = input.key !== undefined ? { port: input.tlsPort, cert, key: certificateBytes(input.key), passphrase: input.passphrase } : { port: input.tlsPort, pfx: cert, passphrase: input.passphrase };
    }
    const mux = new Multiplexer(options);
    await mux.start();
    this.mux = mux;
    this.unsubscribe = mux.onStatus((s) => this.notify(s));
    const s = mux.status();
    this.notify(s);
    return s;
  }

  async stop(): Promise<MuxStatus> {
    const mux = this.mux;
    if (!mux) return { ...STOPPED };
    this.mux = undefined;
    this.unsubscribe?.();
    await mux.close();
    this.notify({ ...STOPPED });
    return { ...STOPPED };
  }
}

/**
 * The API carries certificate and key as PEM text, or a PFX as base64, never a file name: as bytes they cannot
 * make main open a path the caller names (the multiplexer's own options still take paths from the command line).
 */
function certificateBytes(value: string): Buffer {
  return Buffer.from(value, value.includes('-----BEGIN') ? 'utf8' : 'base64');
}
