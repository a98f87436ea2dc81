// Errors of the CSTA XML codec as values: a stable code and the facts a person needs (the element, the limit,
// the line). The console words them from the code; `message` is for logs.

export type CstaXmlErrorCode =
  /** The document is larger than the limit (`size`, `limit` in bytes). */
  | 'CSTA_XML_TOO_LARGE'
  /** Not well-formed XML (`reason`, `line`, `column`), or not exactly one root element. */
  | 'CSTA_XML_MALFORMED'
  /** Elements nested deeper than the limit (`element`, `limit`). */
  | 'CSTA_XML_TOO_DEEP'
  /** A DOCTYPE or entity declaration: refused, nothing is ever expanded (`element`: the root). */
  | 'CSTA_XML_DOCTYPE'
  /** A required element is missing (`element`, `parent`). */
  | 'CSTA_XML_MISSING'
  /** An element's text is not what its type allows (`element`, `value`, `expected`). */
  | 'CSTA_XML_BAD_VALUE';

export class CstaXmlError extends Error {
  constructor(
    readonly code: CstaXmlErrorCode,
    message: string,
    readonly params: Record<string, string | number | undefined> = {},
  ) {
    // a peer's bad document is not a bug of ours: no stack trace (the fuzz test makes 100,000 of them)
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'CstaXmlError';
  }
}
