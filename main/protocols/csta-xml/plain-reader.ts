// A fast reader for the plain CSTA XML documents phones, servers and clients exchange: a declaration, elements,
// attributes, text and XML's five predefined entities. Every event a uaCSTA server relays is read once on each side,
// and the general reader (fast-xml-parser, validating first) spent most of that time. Anything else (comments,
// CDATA, processing instructions, character references, vendor `<private>` fragments, odd names or characters, too
// deep, any malformation) returns undefined and the general reader decides, so results and errors stay as they were.
import { readFiveEntities } from '../xml-entities';
import type { XmlEl } from './xml';

// A name as the general reader's validator takes it, ASCII only (anything else goes to the general reader).
const NAME = /[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/y;
// C0 controls XML does not allow, U+FFFE/FFFF and lone surrogates: the general reader decides on those.
const ODD = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]|]]>/;
// The declaration as XML writes it: version, then optionally encoding and standalone.
const DECLARATION = /<\?xml\s+version\s*=\s*(?:"1\.0"|'1\.0')(?:\s+encoding\s*=\s*(?:"[A-Za-z][\w.-]*"|'[A-Za-z][\w.-]*'))?(?:\s+standalone\s*=\s*(?:"(?:yes|no)"|'(?:yes|no)'))?\s*\?>/y;
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** Text or an attribute value with line ends and the five entities read; undefined for any other `&` or an odd character. */
function decode(raw: string): string | undefined {
  if (ODD.test(raw)) return undefined;
  // XML's line-end handling, as the general reader does it: CR LF and a lone CR read as LF
  return readFiveEntities(raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw);
}

function nameAt(doc: string, pos: number): string | undefined {
  NAME.lastIndex = pos;
  const m = NAME.exec(doc);
  return m && !RESERVED.has(m[0]) ? m[0] : undefined;
}

/** The document's root element, or undefined when the document is not of the plain kind (or not well-formed). */
export function readPlainXml(doc: string, maxDepth: number): XmlEl | undefined {
  let pos = 0;
  if (doc.startsWith('<?')) {
    DECLARATION.lastIndex = 0;
    if (!DECLARATION.test(doc)) return undefined;
    pos = DECLARATION.lastIndex;
  }
  const stack: XmlEl[] = [];
  let root: XmlEl | undefined;
  const n = doc.length;
  while (pos < n) {
    const lt = doc.indexOf('<', pos);
    const stop = lt < 0 ? n : lt;
    if (stop > pos) {
      const between = doc.slice(pos, stop);
      const top = stack[stack.length - 1];
      if (top) {
        const text = decode(between);
        if (text === undefined) return undefined;
        top.text += text;
      } else if (/[^ \t\r\n]/.test(between)) return undefined;
    }
    if (lt < 0) break;
    const next = doc.charCodeAt(lt + 1);
    if (next === 0x2f /* / */) {
      const top = stack.pop();
      const qname = nameAt(doc, lt + 2);
      if (!top || !qname || qname !== top.qname || doc.charCodeAt(lt + 2 + qname.length) !== 0x3e /* > */) return undefined;
      pos = lt + 3 + qname.length;
      if (stack.length === 0) root = top;
      continue;
    }
    // a start tag; comments, CDATA, DOCTYPE and processing instructions are the general reader's
    const qname = nameAt(doc, lt + 1);
    if (!qname || root || stack.length >= maxDepth) return undefined;
    const colon = qname.indexOf(':');
    const el: XmlEl = { name: colon < 0 ? qname : qname.slice(colon + 1), qname, attrs: undefined, children: [], text: '', raw: [] };
    if (el.name === 'private') return undefined;
    let p = lt + 1 + qname.length;
    let selfClosing = false;
    for (;;) {
      const spaced = isSpace(doc.charCodeAt(p));
      while (isSpace(doc.charCodeAt(p))) p++;
      const c = doc.charCodeAt(p);
      if (c === 0x3e /* > */) {
        p++;
        break;
      }
      if (c === 0x2f /* / */ && doc.charCodeAt(p + 1) === 0x3e) {
        p += 2;
        selfClosing = true;
        break;
      }
      const attr = spaced ? nameAt(doc, p) : undefined;
      if (!attr) return undefined;
      p += attr.length;
      while (isSpace(doc.charCodeAt(p))) p++;
      if (doc.charCodeAt(p) !== 0x3d /* = */) return undefined;
      p++;
      while (isSpace(doc.charCodeAt(p))) p++;
      const quote = doc[p];
      if (quote !== '"' && quote !== "'") return undefined;
      const close = doc.indexOf(quote, p + 1);
      if (close < 0) return undefined;
      const raw = doc.slice(p + 1, close);
      const value = raw.includes('<') ? undefined : decode(raw);
      el.attrs ??= {};
      if (value === undefined || Object.hasOwn(el.attrs, attr)) return undefined;
      el.attrs[attr] = value;
      p = close + 1;
    }
    pos = p;
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    if (selfClosing) {
      if (!parent) root = el;
    } else stack.push(el);
  }
  return stack.length === 0 ? root : undefined;
}
