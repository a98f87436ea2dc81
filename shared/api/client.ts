import type { EventName, EventPayload, Input, MethodName, Output } from './contract';
import { LINES_IMPORT_MAX_BYTES } from './lines-io';

/**
 * The largest message the WebSocket transport of `linekeeper serve` accepts: an import file as large as allowed
 * travels as base64 (4/3 of its size) inside one call, plus 1 MiB for the JSON around it. About 86 MiB.
 */
export const MAX_WS_MESSAGE_BYTES = Math.ceil(LINES_IMPORT_MAX_BYTES / 3) * 4 + 1024 * 1024;

/** What a transport does: Electron IPC through the preload, or the WebSocket of `linekeeper serve`. */
export interface Transport {
  readonly kind: 'electron' | 'websocket';
  /** Resolves with the result or rejects with an ApiFailure carrying the error envelope. */
  invoke(method: string, input: unknown): Promise<unknown>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

/** The typed API the renderer uses, whatever the transport. */
export interface ApiClient {
  readonly transport: Transport['kind'];
  call<K extends MethodName>(method: K, input: Input<K>): Promise<Output<K>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createClient(transport: Transport): ApiClient {
  return {
    transport: transport.kind,
    call: (method, input) => transport.invoke(method, input) as Promise<never>,
    on: (event, listener) => transport.subscribe(event, listener as (p: unknown) => void),
  };
}
