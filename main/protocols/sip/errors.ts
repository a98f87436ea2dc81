// SIP errors as values: a stable code and the facts a person needs (host, port, header, limit …).
// The console turns the code into a sentence; `message` is for logs only.

export type SipErrorCode =
  | 'SIP_BAD_START_LINE'
  | 'SIP_BAD_VERSION'
  | 'SIP_BAD_HEADER'
  | 'SIP_MISSING_HEADER'
  | 'SIP_BAD_CONTENT_LENGTH'
  | 'SIP_MESSAGE_TOO_LARGE'
  | 'SIP_INCOMPLETE_MESSAGE'
  | 'SIP_BAD_URI'
  | 'SIP_CONNECT_FAILED'
  | 'SIP_TLS_PIN_MISMATCH'
  | 'SIP_CONNECTION_LOST'
  | 'SIP_KEEPALIVE_TIMEOUT'
  | 'SIP_TRANSACTION_TIMEOUT'
  | 'SIP_AUTH_FAILED'
  | 'SIP_REQUEST_FAILED'
  | 'SIP_DIALOG_GONE'
  | 'SIP_CLOSED';

export class SipError extends Error {
  readonly code: SipErrorCode;
  readonly params: Record<string, string | number | boolean | undefined>;

  constructor(code: SipErrorCode, message: string, params: Record<string, string | number | boolean | undefined> = {}) {
    // A peer's bad input is not a bug in our code: no stack trace (capturing one cost more than parsing the message).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.code = code;
    this.params = params;
    this.name = 'SipError';
  }
}
