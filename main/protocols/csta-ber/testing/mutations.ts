// Seeded generators and mutators shared by the CSTA fuzz tests (test support only).
import { leanDecode, leanEncode, type Tlv } from '../ber';

/** A small seeded generator (mulberry32): the same seed gives the same frames on every run. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Flips, replaces, drops, inserts or truncates a few bytes. */
export function byteMutation(r: () => number, src: Uint8Array): Uint8Array {
  const b = Array.from(src);
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const pos = Math.floor(r() * Math.max(1, b.length));
    switch (Math.floor(r() * 6)) {
      case 0: b[pos] ^= 1 << Math.floor(r() * 8); break;
      case 1: b[pos] = Math.floor(r() * 256); break;
      case 2: b.splice(pos, 1); break;
      case 3: b.splice(pos, 0, Math.floor(r() * 256)); break;
      case 4: b.length = pos; break;
      default: b[pos] = [0x80, 0x81, 0x82, 0x84, 0xff, 0x00, 0x7f][Math.floor(r() * 7)];
    }
  }
  return Uint8Array.from(b.length ? b : [0]);
}

/** Keeps BER well-formed but changes values, tags and shapes inside: reaches the typed decoders. */
export function treeMutation(r: () => number, src: Uint8Array, keepHeader = false): Uint8Array {
  const t = leanDecode(src);
  const nodes: Tlv[] = [];
  const walk = (x: Tlv, depth: number) => {
    // with keepHeader, only what lies inside an argument or result (depth >= 2) is touched
    if (depth > (keepHeader ? 1 : 0)) nodes.push(x);
    x.children?.forEach((c) => walk(c, depth + 1));
  };
  walk(t, 0);
  if (nodes.length === 0) return src;
  // leave the ROSE header (first two children) alone most of the time
  const candidates = nodes.length > 3 && r() < 0.9 ? nodes.slice(2) : nodes;
  const x = candidates[Math.floor(r() * candidates.length)];
  switch (Math.floor(r() * 5)) {
    case 0: x.tag = Math.floor(r() * 40); break;
    case 1: x.cls = Math.floor(r() * 4); break;
    case 2: if (!x.constructed) x.content = Uint8Array.from({ length: Math.floor(r() * 12) }, () => Math.floor(r() * 256)); break;
    case 3: if (x.children?.length) x.children.splice(Math.floor(r() * x.children.length), 1); break;
    default: if (x.children?.length) x.children.push(x.children[Math.floor(r() * x.children.length)]);
  }
  return leanEncode(t);
}
