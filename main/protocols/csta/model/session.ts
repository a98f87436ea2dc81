// One CSTA association with a switch, whatever carries it (BER over TCP, XML over SIP or TCP). Drivers talk to
// this interface only; an encoding's adapter implements it.
import type { CstaSessionError } from './errors';
import type { CstaEvent } from './events';
import type { CstaArgs, CstaResult, CstaServiceName, CstaSwitchRequest } from './services';

export interface InvokeOptions {
  /** Overrides the session's answer timeout for this request. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface CstaSession {
  /** Who is at the other end, for messages ("10.0.0.5:33333", a SIP URI …). */
  readonly peer: string;
  /** False once the session ended (closed, or lost). */
  readonly open: boolean;
  /**
   * Invokes a service and resolves with its result. Fails with a CstaSessionError: `CSTA_UNIVERSAL_FAILURE`
   * (with the switch's reason in `details.failure`), `CSTA_REJECTED`, `CSTA_ERROR`, `CSTA_TIMEOUT`,
   * `CSTA_NOT_CONNECTED`, `CSTA_CANCELLED`, `CSTA_CONNECTION_LOST` or `CSTA_UNSUPPORTED`.
   */
  invoke<S extends CstaServiceName>(service: S, args: CstaArgs<S>, options?: InvokeOptions): Promise<CstaResult<S>>;
  /** Every event the switch reports, on every monitor of this session. Returns a function that unsubscribes. */
  onEvent(listener: (event: CstaEvent) => void): () => void;
  /** Services the switch invokes (device-list segments, vendor escapes). Returns a function that unsubscribes. */
  onRequest(listener: (request: CstaSwitchRequest) => void): () => void;
  /** Called once when the session ends without close(), with why. Returns a function that unsubscribes. */
  onLost(listener: (error: CstaSessionError) => void): () => void;
  /** Ends the association politely and closes; safe to call twice. */
  close(): Promise<void>;
}
