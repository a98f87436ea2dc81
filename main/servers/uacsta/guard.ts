// Every handler of the uaCSTA server runs guarded: nothing a phone or client sends may end the server. What
// failed is logged, and the peer gets `answer` (a 500) when there is one to give.
import type { SipLogger } from '../../protocols/sip';
import { coded } from '../../../shared/problems';

export function guarded(logger: SipLogger | undefined, where: 'phones' | 'clients') {
  return (what: string, f: () => void, answer?: () => void): void => {
    try {
      f();
    } catch (e) {
      logger?.error(coded(where === 'phones' ? 'logServers.phoneHandlerFailed' : 'logServers.clientHandlerFailed', { what, detail: (e as Error).message }));
      try {
        answer?.();
      } catch {
        // the answer itself failed: the connection is gone
      }
    }
  };
}
