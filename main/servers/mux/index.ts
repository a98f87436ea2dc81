// Public face of the CSTA multiplexer: many CTI applications share the PBX's single CSTA link.
import { Multiplexer, type MultiplexerHandle } from './multiplexer';
import type { MuxOptions } from './options';

export { Multiplexer, type MultiplexerHandle } from './multiplexer';
export {
  DEFAULT_BIND,
  DEFAULT_LOGIN,
  DEFAULT_MAX_APPLICATIONS,
  DEFAULT_MAX_OUTSTANDING,
  DEFAULT_TCP_PORT,
  DEFAULT_TLS_PORT,
  loadTlsCredentials,
  MuxStartError,
  type MuxLogger,
  type MuxOptions,
} from './options';
export { MuxService } from './service';

/**
 * Starts listening (TCP, optionally TLS) and connects to the PBX. Rejects with MuxStartError when a port is
 * taken or the TLS certificate is not usable; nothing is left open then.
 */
export async function startMultiplexer(options: MuxOptions): Promise<MultiplexerHandle> {
  const mux = new Multiplexer(options);
  await mux.start();
  return {
    tcpPort: mux.tcpPort,
    tlsPort: mux.tlsPort,
    status: () => mux.status(),
    onStatus: (cb) => mux.onStatus(cb),
    close: () => mux.close(),
  };
}
