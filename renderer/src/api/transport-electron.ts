import { ApiFailure, ErrorCodes } from '../../../shared/api/errors';
import type { Transport } from '../../../shared/api/client';
import type { PreloadBridge } from '../../../shared/api/bridge';
import type { EventName, MethodName } from '../../../shared/api/contract';

/** The Electron transport: calls the preload's per-method functions and unwraps their Reply envelope. */
export function createElectronTransport(bridge: PreloadBridge): Transport {
  return {
    kind: 'electron',
    async invoke(method, input) {
      const fn = bridge.api[method as MethodName];
      if (!fn) throw new ApiFailure(ErrorCodes.unknownMethod, `unknown method "${method}"`);
      const reply = await fn(input);
      if (reply.ok) return reply.result;
      throw new ApiFailure(reply.error.code, reply.error.message, reply.error.details);
    },
    subscribe(event, listener) {
      return bridge.on(event as EventName, listener);
    },
  };
}
