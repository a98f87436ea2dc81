// XML in and out for the CSTA codec. Plain documents take a fast reader (plain-reader.ts); the others go through
// fast-xml-parser (its validator first: the parser alone accepts mismatched end tags). Both give a small element
// tree matched by local name, because vendors disagree on prefixes and even spell the namespace wrong (Yealink's
// `ecmainternational`). Nothing is ever expanded: a DOCTYPE is refused, and only XML's five predefined entities
// and character references are read.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CstaSessionError } from '../csta/model';
import { CstaXmlError } from './errors';
import { readPlainXml } from './plain-reader';

export interface XmlLimits {
  /** Largest document in bytes (default 65,536: a device list segment of a few hundred devices). */
  maxBytes?: number;
  /** Deepest element nesting (default 32; ECMA-323 documents of this subset stay under 10). */
  maxDepth?: number;
}
export const DEFAULT_MAX_XML_BYTES = 65_536;
export const DEFAULT_MAX_XML_DEPTH = 32;

/** One element: local name, attributes as written (prefixed names kept), element children, own text. */
export interface XmlEl {
  name: string;
  qname: string;
  attrs: Record<string, string> | undefined;
  children: XmlEl[];
  text: string;
  /** The parser's nodes under this element, for handing a vendor's fragment on unchanged. */
  raw: RawNode[];
}
type RawNode = Record<string, unknown>;

const parsers = new Map<number, XMLParser>();
function parserFor(maxDepth: number): XMLParser {
  let p = parsers.get(maxDepth);
  if (!p) {
    p = new XMLParser({
      preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false,
      trimValues: false, processEntities: false, ignoreDeclaration: true, ignorePiTags: true, maxNestedTags: maxDepth,
      // no callbacks read paths: building path strings per tag costs two thirds of the parse (bench/csta-xml)
      jPath: false,
    });
    parsers.set(maxDepth, p);
  }
  return p;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses one document into its root element; every failure is a CstaXmlError naming what was wrong. A plain
 * document takes the fast reader; `general` forces the general one (tests compare the two).
 */
export function parseXml(input: string | Uint8Array, limits: XmlLimits = {}, general = false): XmlEl {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_XML_DEPTH;
  // a JS string's length never exceeds its UTF-8 size, so only a close call needs the exact count
  const size = typeof input === 'string' ? (input.length * 3 <= maxBytes ? input.length : Buffer.byteLength(input)) : input.byteLength;
  if (size > maxBytes) throw new CstaXmlError('CSTA_XML_TOO_LARGE', `CSTA XML document of ${size} bytes exceeds the limit of ${maxBytes}`, { size, limit: maxBytes });
  let text: string;
  try {
    text = typeof input === 'string' ? input : utf8.decode(input);
  } catch {
    throw new CstaXmlError('CSTA_XML_MALFORMED', 'CSTA XML document is not valid UTF-8', { reason: 'not UTF-8' });
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    const root = rootNameOf(text);
    throw new CstaXmlError('CSTA_XML_DOCTYPE', `CSTA XML document${root ? ` <${root}>` : ''} declares a DOCTYPE or entities, which are refused`, { element: root });
  }
  const plain = general ? undefined : readPlainXml(text, maxDepth);
  if (plain) return plain;
  const v = XMLValidator.validate(text);
  if (v !== true) {
    throw new CstaXmlError('CSTA_XML_MALFORMED', `CSTA XML document is not well-formed: ${v.err.msg} (line ${v.err.line}, column ${v.err.col})`, { reason: v.err.msg, line: v.err.line, column: v.err.col });
  }
  let nodes: RawNode[];
  try {
    nodes = parserFor(maxDepth).parse(text) as RawNode[];
  } catch (e) {
    const msg = (e as Error).message;
    if (/nested tags/i.test(msg)) throw tooDeep(rootNameOf(text) ?? '?', maxDepth);
    throw new CstaXmlError('CSTA_XML_MALFORMED', `CSTA XML document is not readable: ${msg}`, { reason: msg });
  }
  const roots = nodes.filter((n) => !('#text' in n));
  if (roots.length !== 1) {
    throw new CstaXmlError('CSTA_XML_MALFORMED', `CSTA XML document has ${roots.length} root elements, not one`, { reason: 'root elements', count: roots.length });
  }
  return toEl(roots[0], 1, maxDepth);
}

/** The first element's name (for messages about documents that cannot be parsed). */
const rootNameOf = (text: string): string | undefined => /<([A-Za-z_][\w.:-]*)/.exec(text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, ''))?.[1];

function tooDeep(element: string, limit: number): CstaXmlError {
  return new CstaXmlError('CSTA_XML_TOO_DEEP', `CSTA XML element <${element}> is nested deeper than ${limit} levels`, { element, limit });
}

function toEl(node: RawNode, depth: number, maxDepth: number): XmlEl {
  let qname = '';
  for (const k in node) if (k !== ':@') qname = k;
  if (depth > maxDepth) throw tooDeep(qname, maxDepth);
  const raw = node[qname] as RawNode[];
  const colon = qname.indexOf(':');
  const el: XmlEl = { name: colon < 0 ? qname : qname.slice(colon + 1), qname, attrs: undefined, children: [], text: '', raw };
  const attrs = node[':@'] as Record<string, string> | undefined;
  if (attrs) {
    el.attrs = {};
    for (const k in attrs) el.attrs[k] = decodeText(attrs[k], qname);
  }
  for (const c of raw) {
    if ('#text' in c) el.text += decodeText(String(c['#text']), qname);
    else el.children.push(toEl(c, depth + 1, maxDepth));
  }
  return el;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML's predefined entities and character references; anything else is an undeclared entity. */
function decodeText(s: string, element: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&([^;&\s]{0,32});?/g, (all, ref: string) => {
    if (all.endsWith(';')) {
      if (ref in PREDEFINED) return PREDEFINED[ref];
      const m = /^#(x[0-9a-fA-F]{1,6}|[0-9]{1,7})$/.exec(ref);
      if (m) {
        const cp = m[1][0] === 'x' ? parseInt(m[1].slice(1), 16) : parseInt(m[1], 10);
        if (cp <= 0x10ffff && isXmlChar(cp)) return String.fromCodePoint(cp);
      }
    }
    throw new CstaXmlError('CSTA_XML_MALFORMED', `CSTA XML element <${element}> holds the unknown or broken reference "${all}"`, { reason: 'entity reference', element, value: all });
  });
}

const isXmlChar = (cp: number) => cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000;

/** The parser's nodes written back as XML text (the content of a vendor's `<private>`). */
export function rawToXml(nodes: RawNode[]): string {
  let out = '';
  for (const n of nodes) {
    if ('#text' in n) {
      out += String(n['#text']);
      continue;
    }
    let qname = '';
    for (const k in n) if (k !== ':@') qname = k;
    const attrs = n[':@'] as Record<string, string> | undefined;
    let a = '';
    if (attrs) for (const k in attrs) a += ` ${k}="${String(attrs[k]).replace(/"/g, '&quot;')}"`;
    const inner = rawToXml(n[qname] as RawNode[]);
    out += inner ? `<${qname}${a}>${inner}</${qname}>` : `<${qname}${a}/>`;
  }
  return out;
}

// ---- writing

// characters XML 1.0 cannot carry at all (C0 controls but tab, CR, LF; lone surrogates; U+FFFE/FFFF)
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const SPECIAL = /[&<>"]/;

/** Element text or attribute value, escaped; a character XML cannot carry is CSTA_UNSUPPORTED naming the element. */
export function esc(s: string, element: string): string {
  if (NOT_XML.test(s)) {
    const bad = NOT_XML.exec(s)![0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new CstaSessionError('CSTA_UNSUPPORTED', `CSTA XML cannot carry the character U+${bad} in <${element}>`);
  }
  if (!SPECIAL.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `<name>text</name>` with the text escaped. */
export const leaf = (name: string, text: string): string => `<${name}>${esc(text, name)}</${name}>`;
