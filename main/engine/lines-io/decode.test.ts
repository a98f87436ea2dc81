import { describe, expect, it } from 'vitest';
import { decodeText, encodeUtf8 } from './decode';

describe('reading the bytes of an import file', () => {
  it('reads UTF-8 with a byte-order mark and drops the mark', () => {
    expect(decodeText(encodeUtf8('100,Jürgen', true))).toEqual({ text: '100,Jürgen', encoding: 'utf-8-bom' });
  });

  it('reads UTF-8 without a byte-order mark', () => {
    expect(decodeText(encodeUtf8('100,Jürgen', false))).toEqual({ text: '100,Jürgen', encoding: 'utf-8' });
  });

  it('detects Windows-1252 (umlauts, euro sign, curly quotes) and converts it', () => {
    // "Jürgen € ‘x’" as saved by Notepad in Western Europe
    const bytes = new Uint8Array([0x4a, 0xfc, 0x72, 0x67, 0x65, 0x6e, 0x20, 0x80, 0x20, 0x91, 0x78, 0x92]);
    expect(decodeText(bytes)).toEqual({ text: 'Jürgen € ‘x’', encoding: 'windows-1252' });
  });

  it('reads UTF-16 little-endian files with their byte-order mark (Excel "Unicode text")', () => {
    const body = Buffer.from('100,Zoë', 'utf16le');
    expect(decodeText(new Uint8Array([0xff, 0xfe, ...body]))).toEqual({ text: '100,Zoë', encoding: 'utf-16le' });
  });
});
