// The BroadWorks CTI socket (TCP 8011 / TLS 8012) carries Xsi XML documents, but how they are framed on the
// socket is not documented anywhere we can read (reference addendum §4.4). Both sides therefore speak each
// plausible framing: XML documents back to back, delimited by the end of their root element (optionally followed
// by a NUL), or each document behind a 4-byte big-endian length. A reader in `auto` mode tells them apart by the
// first byte it sees: a length prefix of a document under 16 MB starts with 0x00, a document with `<`.
import { StringDecoder } from 'node:string_decoder';
import { XmlError, XmlStreamSplitter } from './xml';

/** How documents are written: back to back, each followed by a NUL, or behind a 4-byte length. */
export const CTI_FRAMINGS = ['xml', 'nul', 'length'] as const;
export type CtiFraming = (typeof CTI_FRAMINGS)[number];
/** What a reader expects; `nul` reads as `xml` (a NUL between documents is skipped). */
export type CtiReadMode = 'auto' | 'xml' | 'length';

export const CTI_MAX_DOCUMENT = 1 << 20;

export function frameDocument(doc: string, framing: CtiFraming): Buffer {
  const bytes = Buffer.from(doc, 'utf8');
  if (framing === 'xml') return bytes;
  if (framing === 'nul') return Buffer.concat([bytes, Buffer.from([0])]);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(bytes.length);
  return Buffer.concat([head, bytes]);
}

/** Bytes from the socket in, whole documents out; throws XmlError for a stream that is not framed Xsi. */
export class CtiFrameReader {
  /** The framing seen (auto) or expected; undefined until the first byte in auto mode. */
  mode: 'xml' | 'length' | undefined;
  private pending: Buffer = Buffer.alloc(0);
  private readonly decoder = new StringDecoder('utf8');
  private readonly splitter: XmlStreamSplitter;

  constructor(
    mode: CtiReadMode,
    private readonly maxBytes = CTI_MAX_DOCUMENT,
  ) {
    this.mode = mode === 'auto' ? undefined : mode;
    this.splitter = new XmlStreamSplitter(maxBytes);
  }

  push(chunk: Buffer): string[] {
    if (!this.mode) {
      // Whitespace before the first document tells nothing yet.
      let i = 0;
      while (i < chunk.length && (chunk[i] === 0x20 || chunk[i] === 0x0a || chunk[i] === 0x0d || chunk[i] === 0x09)) i++;
      if (i === chunk.length) return [];
      this.mode = chunk[i] === 0x00 ? 'length' : 'xml';
      // Whitespace before the first length prefix is not part of any frame.
      if (this.mode === 'length') chunk = chunk.subarray(i);
    }
    if (this.mode === 'xml') return this.splitter.push(this.decoder.write(chunk));
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: string[] = [];
    while (this.pending.length >= 4) {
      const n = this.pending.readUInt32BE(0);
      if (n === 0 || n > this.maxBytes) throw new XmlError(`a frame announces ${n} bytes (1-${this.maxBytes} expected): the peer does not use a 4-byte length prefix`);
      if (this.pending.length < 4 + n) break;
      out.push(this.pending.subarray(4, 4 + n).toString('utf8'));
      this.pending = this.pending.subarray(4 + n);
    }
    return out;
  }
}
