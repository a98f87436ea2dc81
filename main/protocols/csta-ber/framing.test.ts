import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, FramingError } from './framing';

const apdu = (n: number, fill = 7) => new Uint8Array(n).fill(fill);

describe('2-byte length framing', () => {
  it('prefixes each APDU with its big-endian length', () => {
    expect([...encodeFrame(Uint8Array.of(0xa1, 0x00))]).toEqual([0, 2, 0xa1, 0]);
    expect([...encodeFrame(apdu(300)).subarray(0, 2)]).toEqual([1, 44]);
  });

  it('reassembles a frame delivered one byte at a time', () => {
    const d = new FrameDecoder();
    const frame = encodeFrame(apdu(200));
    const got: Uint8Array[] = [];
    for (const b of frame) got.push(...d.push(Uint8Array.of(b)));
    expect(got).toHaveLength(1);
    expect(got[0]).toEqual(apdu(200));
    expect(d.buffered).toBe(0);
  });

  it('splits several APDUs that arrive in one read, keeping the partial tail for later', () => {
    const d = new FrameDecoder();
    const a = encodeFrame(apdu(3, 1));
    const b = encodeFrame(apdu(5, 2));
    const c = encodeFrame(apdu(4, 3));
    const all = new Uint8Array([...a, ...b, ...c.subarray(0, 3)]);
    expect(d.push(all)).toEqual([apdu(3, 1), apdu(5, 2)]);
    expect(d.buffered).toBe(3);
    expect(d.push(c.subarray(3))).toEqual([apdu(4, 3)]);
  });

  it('rejects a frame announcing more than the maximum APDU size, before reading its body', () => {
    const d = new FrameDecoder({ maxApduSize: 100 });
    expect(() => d.push(Uint8Array.of(0, 101))).toThrow(/announcing 101 bytes, more than the maximum APDU size of 100/);
    // the stream cannot be resynchronised: later data is refused too
    expect(() => d.push(encodeFrame(apdu(3)))).toThrow(FramingError);
  });

  it('refuses to send an APDU larger than the limit or empty', () => {
    expect(() => encodeFrame(apdu(70000))).toThrow(/exceeds the maximum of 65535/);
    expect(() => encodeFrame(apdu(50), 40)).toThrow(/exceeds the maximum of 40/);
    expect(() => encodeFrame(new Uint8Array(0))).toThrow(/empty/);
  });

  it('reports a stream that ends inside a frame as truncated', () => {
    const d = new FrameDecoder();
    d.push(encodeFrame(apdu(10)).subarray(0, 6));
    let err: FramingError | undefined;
    try {
      d.end();
    } catch (e) {
      err = e as FramingError;
    }
    expect(err?.code).toBe('CSTA_FRAME_TRUNCATED');
    expect(err?.message).toBe('stream ended inside a frame: 6 of 12 bytes received');
  });

  it('rejects a zero-length frame', () => {
    expect(() => new FrameDecoder().push(Uint8Array.of(0, 0))).toThrow(/length 0/);
  });
});
