import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { ApiFailure } from '../../../shared/api/errors';
import { MuxStartError } from '../../servers/mux';
import { MUX_USER_SECRET } from '../../servers/mux/service';
import { MUX_SERVICE_DOC, MUX_SERVICE_SPEC, readMuxServiceSettings } from '../../services-control/settings';
import { coded } from '../../../shared/problems';

type MuxHandlers = Pick<Handlers, 'mux.status' | 'mux.settings' | 'mux.start' | 'mux.stop'>;

/**
 * The console's Multiplexer page: start with settings, stop, and read the live state (also pushed as `mux.status`).
 * Settings that started it are remembered in the service's settings document, so stopping forgets nothing and the
 * installed service starts the same way (its TLS port and certificate stay as saved on the Services page).
 */
export function muxHandlers(s: Services): MuxHandlers {
  return {
    'mux.status': () => s.mux.status(),
    'mux.settings': async () => {
      const stored = await readMuxServiceSettings(s.docs);
      const settings = stored ? { pbxHost: stored.pbxHost, pbxPort: stored.pbxPort, tcpPort: stored.tcpPort, bind: stored.bind, requireLogin: stored.requireLogin, ...(stored.tlsPort !== undefined ? { tlsPort: stored.tlsPort } : {}) } : null;
      return { settings, user: (await s.secrets.get(MUX_USER_SECRET)) ?? null };
    },
    'mux.start': async (input) => {
      let status;
      try {
        status = await s.mux.start(input);
      } catch (e) {
        if (e instanceof MuxStartError) throw new ApiFailure(e.code, e.message);
        throw e;
      }
      const { pbxHost, pbxPort, tcpPort, bind, requireLogin } = input;
      try {
        await s.docs.update(MUX_SERVICE_DOC, MUX_SERVICE_SPEC, (current) => ({ ...current, pbxHost, pbxPort, tcpPort, bind, requireLogin }));
      } catch (e) {
        // It runs; only the remembered copy is missing, which the next start writes again.
        s.logger.log('warn', 'mux', coded('logApp.muxSettingsNotKept', { detail: (e as Error).message }));
      }
      return status;
    },
    'mux.stop': () => s.mux.stop(),
  };
}
