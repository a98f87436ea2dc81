import type { Reply } from './errors';
import type { EventName, MethodName } from './contract';

/**
 * What the Electron preload puts on `window.linekeeper`: one function per contract method (never a generic
 * invoke) and a subscription limited to the contract's events.
 */
export interface PreloadBridge {
  api: { [K in MethodName]: (input: unknown) => Promise<Reply> };
  on(event: EventName, listener: (payload: unknown) => void): () => void;
}

export const BRIDGE_GLOBAL = 'linekeeper';
