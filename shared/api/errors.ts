/** The one error envelope every failure crosses a transport in. */
export interface ApiError {
  code: string;
  message: string;
  details?: unknown;
}

/** Codes the API layer itself produces; domains add their own (`CSTA_LOGIN_REJECTED`, `RULE_INVALID` …). */
export const ErrorCodes = {
  invalidInput: 'INVALID_INPUT',
  unknownMethod: 'UNKNOWN_METHOD',
  notFound: 'NOT_FOUND',
  conflict: 'CONFLICT',
  internal: 'INTERNAL',
  transport: 'TRANSPORT',
  /** A call too large for the WebSocket transport (MAX_WS_MESSAGE_BYTES); refused before it is sent. */
  messageTooLarge: 'MESSAGE_TOO_LARGE',
} as const;

/** Thrown by handlers and clients; carries the envelope's fields. */
export class ApiFailure extends Error implements ApiError {
  readonly code: string;
  readonly details?: unknown;
  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiFailure';
    this.code = code;
    this.details = details;
  }
  toEnvelope(): ApiError {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }
}

export function isApiError(v: unknown): v is ApiError {
  return typeof v === 'object' && v !== null && typeof (v as ApiError).code === 'string' && typeof (v as ApiError).message === 'string';
}

/** What both transports put on the wire for one call's answer. */
export type Reply<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiError };
