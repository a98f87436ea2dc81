import { ZodError } from 'zod';
import { methods, type MethodName, type Output, type ParsedInput } from '../../shared/api/contract';
import { ApiFailure, ErrorCodes, issueDetail, type ApiError, type Reply } from '../../shared/api/errors';

export type Handler<K extends MethodName> = (input: ParsedInput<K>) => Promise<Output<K>> | Output<K>;
export type Handlers = { [K in MethodName]: Handler<K> };

/** Transport-blind: a method name and raw input in, a Reply out. Never throws. */
export type Dispatch = (method: string, rawInput: unknown) => Promise<Reply>;

function zodDetails(e: ZodError) {
  return e.issues.map(issueDetail);
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiFailure) return e.toEnvelope();
  if (e instanceof ZodError) {
    const first = e.issues[0];
    const where = first && first.path.length ? ` (${first.path.join('.')})` : '';
    return { code: ErrorCodes.invalidInput, message: `${first?.message ?? 'invalid input'}${where}`, details: zodDetails(e) };
  }
  let message: string;
  try {
    message = e instanceof Error ? e.message : String(e);
  } catch {
    // A thrown value whose toString throws (or a null-prototype object) still becomes an envelope.
    message = Object.prototype.toString.call(e);
  }
  return { code: ErrorCodes.internal, message };
}

export function createDispatcher(handlers: Handlers, onError?: (method: string, error: ApiError) => void): Dispatch {
  return async (method, rawInput) => {
    if (!Object.hasOwn(methods, method)) {
      return { ok: false, error: { code: ErrorCodes.unknownMethod, message: `unknown method "${method}"` } };
    }
    const name = method as MethodName;
    try {
      const input = methods[name].input.parse(rawInput ?? {});
      const handler = handlers[name] as (i: unknown) => unknown;
      const result = await handler(input);
      return { ok: true, result: result === undefined ? null : result };
    } catch (e) {
      const error = toApiError(e);
      try {
        onError?.(method, error);
      } catch {
        // The reply matters more than the log line about it (a full disk must not turn it into a rejection).
      }
      return { ok: false, error };
    }
  };
}
