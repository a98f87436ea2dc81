import type { Coded } from '../problems';
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

/**
 * A schema issue as an API detail: where, main's English, and what the console words it from: the coded problem
 * of a rule between fields, or zod's own code and bounds.
 */
export interface IssueDetail {
  path: string;
  message: string;
  problem?: Coded;
  issue?: { code: string; minimum?: number; maximum?: number; origin?: string; expected?: string };
}

/** The detail of one zod issue (a family rule passes its coded problem in the issue's params). */
export function issueDetail(i: { path: ReadonlyArray<PropertyKey>; message: string; code: string; params?: unknown; minimum?: unknown; maximum?: unknown; origin?: unknown; expected?: unknown }): IssueDetail {
  const path = i.path.map(String).join('.');
  const problem = (i.params as { problem?: Coded } | undefined)?.problem;
  if (problem) return { path, message: i.message, problem };
  const issue: NonNullable<IssueDetail['issue']> = { code: i.code };
  if (typeof i.minimum === 'number' || typeof i.minimum === 'bigint') issue.minimum = Number(i.minimum);
  if (typeof i.maximum === 'number' || typeof i.maximum === 'bigint') issue.maximum = Number(i.maximum);
  if (typeof i.origin === 'string') issue.origin = i.origin;
  if (typeof i.expected === 'string') issue.expected = i.expected;
  return { path, message: i.message, issue };
}

export function isApiError(v: unknown): v is ApiError {
  return typeof v === 'object' && v !== null && typeof (v as ApiError).code === 'string' && typeof (v as ApiError).message === 'string';
}

/** What both transports put on the wire for one call's answer. */
export type Reply<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiError };
