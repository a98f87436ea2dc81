// Declarative ASN.1 codecs over the Tlv tree: each ECMA-285 type is written once, as a value, and gives both
// an encoder and a decoder. Modules are EXPLICIT-tagged by default, so `explicit` is the plain `[n]` and
// `implicit` is `[n] IMPLICIT`. OCTET STRINGs travel as lowercase hex strings so every value is plain JSON.
import {
  APPLICATION,
  BerError,
  CONTEXT,
  UNIVERSAL,
  cons,
  decodeIA5,
  decodeIntegerContent,
  encodeIA5,
  encodeIntegerContent,
  fromHex,
  hex,
  keyOf,
  prim,
  tagKey,
  type Tlv,
} from './ber';
import { rawTagged } from './raw';

export interface Codec<T> {
  /** Tag keys this type can start with; null when it accepts any element (ANY / open types). */
  readonly keys: readonly number[] | null;
  enc(v: T): Tlv;
  dec(t: Tlv): T;
  /** How the combinators built it, for code that derives other codecs from these definitions (the fast EventReport codec). */
  readonly shape?: Shape;
}

export type Shape =
  | { readonly k: 'sequence'; readonly name: string; readonly fields: readonly { name: string; codec: Codec<unknown>; optional: boolean }[] }
  | { readonly k: 'choice'; readonly name: string; readonly alts: Readonly<Record<string, Codec<unknown>>> }
  /** `[n] IMPLICIT inner` or `[n] inner` (explicit); the tag itself is in `keys`. */
  | { readonly k: 'implicit' | 'explicit' | 'sequenceOf'; readonly inner: Codec<unknown> }
  /** A pass-through member kept as hex (raw.ts). */
  | { readonly k: 'raw'; readonly constructed: boolean };

export type ValueOf<C> = C extends Codec<infer T> ? T : never;

function expectKey(t: Tlv, key: number, what: string): void {
  if (keyOf(t) !== key) throw new BerError(`${what}: unexpected tag ${describeTag(t)}`);
}

export function describeTag(t: Tlv): string {
  const cls = ['UNIVERSAL ', 'APPLICATION ', '', 'PRIVATE '][t.cls];
  return `[${cls}${t.tag}]${t.constructed ? ' constructed' : ''}`;
}

function universalPrim<T>(tag: number, what: string, enc: (v: T) => Uint8Array, dec: (c: Uint8Array) => T): Codec<T> {
  const key = tagKey(UNIVERSAL, false, tag);
  return {
    keys: [key],
    enc: (v) => prim(UNIVERSAL, tag, enc(v)),
    dec: (t) => {
      expectKey(t, key, what);
      return dec(t.content);
    },
  };
}

export const integer: Codec<number> = universalPrim(2, 'INTEGER', encodeIntegerContent, decodeIntegerContent);

export const boolean: Codec<boolean> = universalPrim(
  1,
  'BOOLEAN',
  (v) => Uint8Array.of(v ? 0xff : 0),
  (c) => {
    if (c.length !== 1) throw new BerError('BOOLEAN must have one content byte');
    return c[0] !== 0;
  },
);

export const nullType: Codec<null> = universalPrim(
  5,
  'NULL',
  () => new Uint8Array(0),
  (c) => {
    if (c.length !== 0) throw new BerError('NULL must be empty');
    return null;
  },
);

export const octetString: Codec<string> = universalPrim(4, 'OCTET STRING', fromHex, hex);
export const ia5String: Codec<string> = universalPrim(22, 'IA5String', encodeIA5, decodeIA5);
export const generalizedTime: Codec<string> = universalPrim(24, 'GeneralizedTime', encodeIA5, decodeIA5);

/** OCTET STRING carrying UTF-8 text (ACSE authentication values). */
export const utf8Octets: Codec<string> = universalPrim(
  4,
  'OCTET STRING',
  (v) => new TextEncoder().encode(v),
  (c) => new TextDecoder('utf-8', { fatal: false }).decode(c),
);

export const objectIdentifier: Codec<string> = universalPrim(
  6,
  'OBJECT IDENTIFIER',
  (v) => {
    const arcs = v.split('.').map((x) => Number(x));
    if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) throw new BerError(`bad OID "${v}"`);
    const out: number[] = [];
    const push = (n: number) => {
      const g: number[] = [];
      do {
        g.unshift(n % 128);
        n = Math.floor(n / 128);
      } while (n > 0);
      g.forEach((x, i) => out.push(x | (i < g.length - 1 ? 0x80 : 0)));
    };
    push(arcs[0] * 40 + arcs[1]);
    arcs.slice(2).forEach(push);
    return Uint8Array.from(out);
  },
  (c) => {
    if (c.length === 0) throw new BerError('empty OBJECT IDENTIFIER');
    const arcs: number[] = [];
    let n = 0;
    for (let i = 0; i < c.length; i++) {
      n = n * 128 + (c[i] & 0x7f);
      if (!(c[i] & 0x80)) {
        arcs.push(n);
        n = 0;
      }
    }
    if (c[c.length - 1] & 0x80) throw new BerError('truncated OBJECT IDENTIFIER');
    const first = arcs.shift()!;
    const a0 = first < 80 ? Math.floor(first / 40) : 2;
    return [a0, first - a0 * 40, ...arcs].join('.');
  },
);

/** ENUMERATED: decodes to the name when known, else to the number, so unknown vendor values survive. */
export function enumerated<N extends string>(names: Record<N, number>): Codec<N | number> {
  const byNum = new Map<number, N>();
  for (const [k, v] of Object.entries(names) as [N, number][]) byNum.set(v, k);
  return universalPrim(
    10,
    'ENUMERATED',
    (v) => {
      const n = typeof v === 'number' ? v : names[v];
      if (n === undefined) throw new BerError(`unknown enumeration value "${v}"`);
      return encodeIntegerContent(n);
    },
    (c) => {
      const n = decodeIntegerContent(c);
      return byNum.get(n) ?? n;
    },
  );
}

/**
 * Named BIT STRING as the list of set bit names. `size` fixes the number of bits sent (CSTA versions and
 * ACSE requirements are sent at a fixed width); otherwise trailing zero bits are dropped as in DER.
 */
export function bitString<N extends string>(names: Record<N, number>, size?: number): Codec<N[]> {
  const byNum = new Map<number, N>();
  for (const [k, v] of Object.entries(names) as [N, number][]) byNum.set(v, k);
  return universalPrim(
    3,
    'BIT STRING',
    (v) => {
      const bits = v.map((n) => {
        const b = names[n];
        if (b === undefined) throw new BerError(`unknown bit "${n}"`);
        return b;
      });
      const width = size ?? (bits.length ? Math.max(...bits) + 1 : 0);
      const nbytes = Math.ceil(width / 8);
      const out = new Uint8Array(1 + nbytes);
      out[0] = nbytes * 8 - width;
      for (const b of bits) out[1 + (b >> 3)] |= 0x80 >> (b & 7);
      return out;
    },
    (c) => {
      if (c.length === 0 || c[0] > 7 || (c.length === 1 && c[0] !== 0)) throw new BerError('malformed BIT STRING');
      const set: N[] = [];
      const width = (c.length - 1) * 8 - c[0];
      for (let b = 0; b < width; b++) {
        if (c[1 + (b >> 3)] & (0x80 >> (b & 7))) {
          const n = byNum.get(b);
          if (n !== undefined) set.push(n);
        }
      }
      return set;
    },
  );
}

/** `[n] IMPLICIT T`: replaces T's own tag. */
export function implicit<T>(tag: number, inner: Codec<T>, cls: number = CONTEXT): Codec<T> {
  const probe = inner.keys;
  if (probe === null || probe.length !== 1) throw new Error(`IMPLICIT tag [${tag}] needs a type with one tag`);
  const constructed = (probe[0] & 0x2000000) !== 0;
  const innerCls = Math.floor(probe[0] / 0x4000000);
  const innerTag = probe[0] % 0x2000000;
  const key = tagKey(cls, constructed, tag);
  return {
    keys: [key],
    shape: { k: 'implicit', inner },
    enc: (v) => {
      const t = inner.enc(v);
      return { ...t, cls, tag };
    },
    dec: (t) => {
      expectKey(t, key, `[${tag}] IMPLICIT`);
      return inner.dec({ cls: innerCls, constructed: t.constructed, tag: innerTag, content: t.content, children: t.children });
    },
  };
}

/** `[n] T` in an EXPLICIT-default module: a constructed wrapper around T. */
export function explicit<T>(tag: number, inner: Codec<T>, cls: number = CONTEXT): Codec<T> {
  const key = tagKey(cls, true, tag);
  return {
    keys: [key],
    shape: { k: 'explicit', inner },
    enc: (v) => cons(cls, tag, [inner.enc(v)]),
    dec: (t) => {
      expectKey(t, key, `[${tag}]`);
      if (!t.children || t.children.length !== 1) throw new BerError(`[${tag}] must wrap exactly one element`);
      return inner.dec(t.children[0]);
    },
  };
}

export const application = (tag: number) => ({ implicit: <T>(c: Codec<T>) => implicit(tag, c, APPLICATION), explicit: <T>(c: Codec<T>) => explicit(tag, c, APPLICATION) });

type Field = { name: string; codec: Codec<unknown>; optional: boolean; dflt?: unknown };
export type FieldSpec<T> = { codec: Codec<T>; optional?: boolean; default?: T };

export function req<T>(codec: Codec<T>): FieldSpec<T> & { optional: false } {
  return { codec, optional: false };
}
export function opt<T>(codec: Codec<T>): FieldSpec<T> & { optional: true } {
  return { codec, optional: true };
}
/**
 * DEFAULT members: absent in the value when absent on the wire, and sent only when present in the value
 * (so a decoded PDU re-encodes byte for byte). The default itself is documentation for readers.
 */
export function dflt<T>(codec: Codec<T>, value: T): FieldSpec<T> & { optional: true } {
  return { codec, optional: true, default: value };
}

type Specs = Record<string, FieldSpec<any>>;
type OptKeys<S extends Specs> = { [K in keyof S]: S[K]['optional'] extends true ? K : never }[keyof S];
type ReqKeys<S extends Specs> = Exclude<keyof S, OptKeys<S>>;
export type SeqValue<S extends Specs> = { [K in ReqKeys<S>]: ValueOf<S[K]['codec']> } & {
  [K in OptKeys<S>]?: ValueOf<S[K]['codec']>;
};

/**
 * SEQUENCE: members in order; optional members are recognised by their tag. Unknown trailing or
 * interleaved elements are skipped (extensibility), and a missing mandatory member is an error.
 */
export function sequence<S extends Specs>(name: string, specs: S): Codec<SeqValue<S>> {
  const fields: Field[] = Object.entries(specs).map(([n, s]) => ({ name: n, codec: s.codec, optional: !!s.optional, dflt: s.default }));
  const key = tagKey(UNIVERSAL, true, 16);
  const members = plan(fields);
  return {
    keys: [key],
    shape: { k: 'sequence', name, fields },
    enc: (v) => {
      const rec = v as Record<string, unknown>;
      const kids: Tlv[] = [];
      for (const f of fields) {
        const x = rec[f.name];
        if (x === undefined) {
          if (!f.optional) throw new BerError(`${name}.${f.name} is required`);
          continue;
        }
        kids.push(f.codec.enc(x));
      }
      return cons(UNIVERSAL, 16, kids);
    },
    dec: (t) => decodeMembers(name, members, t, key),
  };
}

interface Plan {
  fields: Field[];
  /** Tag keys each member accepts (null = any element). */
  own: (Set<number> | null)[];
  /** Tag keys some later member accepts; null when a later member accepts anything. */
  later: (Set<number> | null)[];
}

function plan(fields: Field[]): Plan {
  const own = fields.map((f) => (f.codec.keys === null ? null : new Set(f.codec.keys)));
  const later: (Set<number> | null)[] = new Array(fields.length);
  let acc: Set<number> | null = new Set();
  for (let i = fields.length - 1; i >= 0; i--) {
    later[i] = acc;
    const o = own[i];
    acc = acc === null || o === null ? null : new Set([...acc, ...o]);
  }
  return { fields, own, later };
}

function decodeMembers(name: string, p: Plan, t: Tlv, key: number): any {
  expectKey(t, key, name);
  const kids = t.children ?? [];
  const out: Record<string, unknown> = {};
  let i = 0;
  for (let f = 0; f < p.fields.length; f++) {
    const own = p.own[f];
    const later = p.later[f];
    // skip elements no member claims (newer editions / vendor additions)
    if (own !== null && later !== null) {
      while (i < kids.length) {
        const k = keyOf(kids[i]);
        if (own.has(k) || later.has(k)) break;
        i++;
      }
    }
    const kid = kids[i];
    if (kid !== undefined && (own === null || own.has(keyOf(kid)))) {
      out[p.fields[f].name] = p.fields[f].codec.dec(kid);
      i++;
    } else if (!p.fields[f].optional) {
      throw new BerError(`${name}.${p.fields[f].name} is missing`);
    }
  }
  return out;
}

export function sequenceOf<T>(inner: Codec<T>): Codec<T[]> {
  const key = tagKey(UNIVERSAL, true, 16);
  return {
    keys: [key],
    shape: { k: 'sequenceOf', inner },
    enc: (v) => cons(UNIVERSAL, 16, v.map((x) => inner.enc(x))),
    dec: (t) => {
      expectKey(t, key, 'SEQUENCE OF');
      return (t.children ?? []).map((c) => inner.dec(c));
    },
  };
}

type Alts = Record<string, Codec<any>>;
/**
 * CHOICE value: an object with exactly one alternative's name as a key. As in a SEQUENCE, a key whose value is
 * undefined counts as absent and keys that name no alternative are ignored; two alternatives are an error.
 */
export type ChoiceValue<A extends Alts> = { [K in keyof A]: { [P in K]: ValueOf<A[K]> } }[keyof A];

export function choice<A extends Alts>(name: string, alts: A): Codec<ChoiceValue<A>> {
  const byKey = new Map<number, [string, Codec<unknown>]>();
  let fallback: [string, Codec<unknown>] | undefined;
  const names = Object.keys(alts);
  for (const [n, c] of Object.entries(alts)) {
    if (c.keys === null) fallback = [n, c];
    else for (const k of c.keys) byKey.set(k, [n, c]);
  }
  return {
    keys: fallback ? null : [...byKey.keys()],
    shape: { k: 'choice', name, alts },
    enc: (v) => {
      let hit: string | undefined;
      if (typeof v === 'object' && v !== null) {
        for (const n of names) {
          if ((v as Record<string, unknown>)[n] === undefined) continue;
          if (hit !== undefined) throw new BerError(`${name}: ${hit} and ${n} both given, expected exactly one of ${names.join(', ')}`);
          hit = n;
        }
      }
      if (hit === undefined) throw new BerError(`${name}: expected one of ${names.join(', ')}`);
      return alts[hit].enc((v as Record<string, unknown>)[hit]);
    },
    dec: (t) => {
      const hit = byKey.get(keyOf(t)) ?? fallback;
      if (!hit) throw new BerError(`${name}: no alternative has tag ${describeTag(t)}`);
      return { [hit[0]]: hit[1].dec(t) } as ChoiceValue<A>;
    },
  };
}

/** Lazily bound codec, for recursive or forward references. */
export function lazy<T>(keys: number[] | null, get: () => Codec<T>): Codec<T> {
  return { keys, enc: (v) => get().enc(v), dec: (t) => get().dec(t) };
}

/** `[n] IMPLICIT T` where T is not modelled: the content octets travel as raw hex. */
export function implicitRaw(tag: number, constructed: boolean, cls: number = CONTEXT): Codec<string> {
  return rawTagged(cls, constructed, tag);
}
