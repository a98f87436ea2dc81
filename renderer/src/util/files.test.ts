import { describe, expect, it } from 'vitest';
import { bytesToBase64, textToBase64 } from './files';

const decode = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

describe('upload encoding', () => {
  it('encodes text as UTF-8 base64, umlauts included', () => {
    expect(new TextDecoder().decode(decode(textToBase64('100,Müller')))).toBe('100,Müller');
  });

  it('encodes files larger than one chunk byte for byte', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => i % 251);
    expect(decode(bytesToBase64(bytes))).toEqual(bytes);
  });
});
