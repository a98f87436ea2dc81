import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { ApiFailure } from '../../../shared/api/errors';
import { MuxStartError } from '../../servers/mux';

type MuxHandlers = Pick<Handlers, 'mux.status' | 'mux.start' | 'mux.stop'>;

/** The console's Multiplexer page: start with settings, stop, and read the live state (also pushed as `mux.status`). */
export function muxHandlers(s: Services): MuxHandlers {
  return {
    'mux.status': () => s.mux.status(),
    'mux.start': async (input) => {
      try {
        return await s.mux.start(input);
      } catch (e) {
        if (e instanceof MuxStartError) throw new ApiFailure(e.code, e.message);
        throw e;
      }
    },
    'mux.stop': () => s.mux.stop(),
  };
}
