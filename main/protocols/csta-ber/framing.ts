// Panasonic CSTA framing: each APDU is preceded by its length as a 2-byte big-endian number, nothing else.
// The decoder is streaming: it accepts arbitrary TCP chunks and yields whole APDUs.

export const MAX_FRAME_LENGTH = 0xffff;
/** Default limit; a PBX device-list segment is far below it. Configurable up to 65535. */
export const DEFAULT_MAX_APDU_SIZE = 16384;

export type FramingErrorCode = 'CSTA_FRAME_TOO_LARGE' | 'CSTA_FRAME_TRUNCATED' | 'CSTA_FRAME_EMPTY';

export class FramingError extends Error {
  constructor(
    readonly code: FramingErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FramingError';
  }
}

/** A FramingError unless an APDU of `size` bytes may be sent in one frame. */
export function checkFrameSize(size: number, maxApduSize: number = MAX_FRAME_LENGTH): void {
  if (size === 0) throw new FramingError('CSTA_FRAME_EMPTY', 'refusing to send an empty APDU');
  const max = Math.min(maxApduSize, MAX_FRAME_LENGTH);
  if (size > max) throw new FramingError('CSTA_FRAME_TOO_LARGE', `APDU of ${size} bytes exceeds the maximum of ${max} bytes`);
}

/** Prefixes one APDU with its 2-byte length. */
export function encodeFrame(apdu: Uint8Array, maxApduSize: number = MAX_FRAME_LENGTH): Uint8Array {
  checkFrameSize(apdu.length, maxApduSize);
  const out = new Uint8Array(apdu.length + 2);
  out[0] = apdu.length >> 8;
  out[1] = apdu.length & 0xff;
  out.set(apdu, 2);
  return out;
}

/**
 * Prefixes an APDU already known to fit (relayed or built from a frame's contents) with its 2-byte length, without
 * encodeFrame's checks, in a Buffer from Node's pool: the multiplexer frames every event per application with it.
 */
export function frameOf(apdu: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(apdu.length + 2);
  out[0] = apdu.length >> 8;
  out[1] = apdu.length & 0xff;
  out.set(apdu, 2);
  return out;
}

export interface FrameDecoderOptions {
  maxApduSize?: number;
}

export class FrameDecoder {
  readonly maxApduSize: number;
  private buf: Uint8Array = new Uint8Array(0);
  private failed: FramingError | undefined;

  constructor(opts: FrameDecoderOptions = {}) {
    this.maxApduSize = Math.min(opts.maxApduSize ?? DEFAULT_MAX_APDU_SIZE, MAX_FRAME_LENGTH);
  }

  /** Bytes held while waiting for the rest of a frame. */
  get buffered(): number {
    return this.buf.length;
  }

  /**
   * Feeds received bytes; returns every complete APDU (copies, safe to keep). Throws FramingError on an
   * oversized or empty frame; after that the stream cannot be resynchronised and every call throws again.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.failed) throw this.failed;
    const data = this.buf.length === 0 ? chunk : concat(this.buf, chunk);
    const out: Uint8Array[] = [];
    let pos = 0;
    while (data.length - pos >= 2) {
      const len = (data[pos] << 8) | data[pos + 1];
      if (len === 0) return this.fail(new FramingError('CSTA_FRAME_EMPTY', 'received a frame with length 0'));
      if (len > this.maxApduSize) {
        return this.fail(new FramingError('CSTA_FRAME_TOO_LARGE', `received a frame announcing ${len} bytes, more than the maximum APDU size of ${this.maxApduSize}`));
      }
      if (data.length - pos - 2 < len) break;
      out.push(data.slice(pos + 2, pos + 2 + len));
      pos += 2 + len;
    }
    this.buf = pos === data.length ? new Uint8Array(0) : data.slice(pos);
    return out;
  }

  /** Call when the stream ends: throws if a frame was cut off. */
  end(): void {
    if (this.failed) return;
    if (this.buf.length > 0) {
      const have = this.buf.length;
      const want = have >= 2 ? ((this.buf[0] << 8) | this.buf[1]) + 2 : 2;
      this.buf = new Uint8Array(0);
      throw new FramingError('CSTA_FRAME_TRUNCATED', `stream ended inside a frame: ${have} of ${want} bytes received`);
    }
  }

  private fail(e: FramingError): never {
    this.failed = e;
    this.buf = new Uint8Array(0);
    throw e;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
