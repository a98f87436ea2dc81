// Pass-through codecs for members whose inner structure we do not model: the bytes survive a
// decode/encode round trip unchanged, so relayed PDUs stay byte-exact.
import { BerError, cons, fromHex, hex, keyOf, leanDecode, leanEncode, prim, tagKey, UNIVERSAL, type Tlv } from './ber';
import type { Codec } from './codec';

function concat(children: Tlv[]): Uint8Array {
  const parts = children.map((c) => leanEncode(c));
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

function split(content: Uint8Array): Tlv[] {
  // wrap the content in a SEQUENCE header so the lean reader splits it into elements
  const wrapper = leanEncode(prim(UNIVERSAL, 16, content));
  wrapper[0] = 0x30;
  return leanDecode(wrapper).children ?? [];
}

/**
 * A whole element with one known tag and form, kept as the hex of its content octets (for a constructed
 * element: the concatenated encodings of its children).
 */
export function rawTagged(cls: number, constructed: boolean, tag: number): Codec<string> {
  const key = tagKey(cls, constructed, tag);
  return {
    keys: [key],
    shape: { k: 'raw', constructed },
    enc: (v) => (constructed ? cons(cls, tag, split(fromHex(v))) : prim(cls, tag, fromHex(v))),
    dec: (t) => {
      if (keyOf(t) !== key) throw new BerError(`unexpected tag for a pass-through member`);
      return constructed ? hex(concat(t.children ?? [])) : hex(t.content);
    },
  };
}

/** Any single element kept as its full BER encoding (hex): vendor private data, unknown arguments. */
export const rawElement: Codec<string> = {
  keys: null,
  enc: (v) => leanDecode(fromHex(v)),
  dec: (t) => hex(leanEncode(t)),
};

export function tlvToHex(t: Tlv): string {
  return hex(leanEncode(t));
}
