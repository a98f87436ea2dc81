// A fast reader for the plain documents the XML API exchanges: elements, attributes, text and the five predefined
// entities. A discovery reads 10,000 of them on each side, and the general reader (fast-xml-parser, validating
// first) spent most of the driver's time on them. Anything else (comments, CDATA, character references, mixed
// content, odd names, any malformation) returns undefined, and the caller uses the general reader, so the
// result and every error stay as they were. The tree has the general reader's shape: local names, attributes as
// `@name` (xmlns dropped), text trimmed, an element with neither children nor attributes as its text, repeats as arrays.
import type { XmlNode, XmlValue } from '../xsi/xml';
import { readFiveEntities } from '../xml-entities';

const NAME = '[A-Za-z_][\\w.-]*(?::[A-Za-z_][\\w.-]*)?';
const TAG = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`, 'y');
const ATTR = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`, 'g');
const PROLOG = /^\s*(?:<\?xml\s[^<>?]*\?>)?\s*/y;
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f]/;

interface Open {
  qname: string;
  node: XmlNode;
  text: string;
  hasChildren: boolean;
  hasAttrs: boolean;
}

const local = (qname: string) => qname.slice(qname.indexOf(':') + 1);

/** `&…;` as one of the five entities; undefined for anything else (the general reader decides). */
function decode(s: string): string | undefined {
  return CONTROL.test(s) ? undefined : readFiveEntities(s);
}

/** A child under its name; repeats become an array (pushed to: an `allTag` answer repeats 5,000 times). */
function add(parent: XmlNode, name: string, value: XmlValue): void {
  const had = parent[name];
  if (had === undefined) parent[name] = value;
  else if (Array.isArray(had)) had.push(value);
  else parent[name] = [had, value];
}

/** The root's local name and content, or undefined when the document is not of the plain kind. */
export function readPlain(doc: string): { root: string; body: XmlNode } | undefined {
  PROLOG.lastIndex = 0;
  PROLOG.exec(doc);
  let pos = PROLOG.lastIndex;
  const stack: Open[] = [];
  let root: { root: string; body: XmlNode } | undefined;
  while (pos < doc.length) {
    const lt = doc.indexOf('<', pos);
    const between = doc.slice(pos, lt < 0 ? doc.length : lt);
    if (between.trim()) {
      const top = stack.at(-1);
      const text = top && !top.hasChildren && !top.text ? decode(between) : undefined;
      if (text === undefined) return undefined;
      top!.text = text;
    }
    if (lt < 0) break;
    TAG.lastIndex = lt;
    const m = TAG.exec(doc);
    if (!m || root) return undefined;
    const [, closing, qname, attrs, selfClosing] = m;
    pos = TAG.lastIndex;
    if (closing) {
      const open = stack.pop();
      if (!open || open.qname !== qname || attrs || selfClosing) return undefined;
      const value = close(open);
      if (value === undefined) return undefined;
      const parent = stack.at(-1);
      if (parent) add(parent.node, local(qname), value);
      else root = { root: local(qname), body: typeof value === 'object' ? (value as XmlNode) : { '#text': value } };
      continue;
    }
    const name = local(qname);
    if (name === '__proto__') return undefined;
    const open: Open = { qname, node: {}, text: '', hasChildren: false, hasAttrs: false };
    for (const a of attrs.matchAll(ATTR)) {
      const [, aq, v1, v2] = a;
      if (aq === 'xmlns' || aq.startsWith('xmlns:')) continue;
      const key = `@${local(aq)}`;
      const value = decode(v1 ?? v2);
      if (value === undefined || value !== value.trim() || Object.hasOwn(open.node, key)) return undefined;
      open.node[key] = value;
      open.hasAttrs = true;
    }
    const parent = stack.at(-1);
    if (parent) {
      if (parent.text) return undefined;
      parent.hasChildren = true;
    }
    if (selfClosing) {
      const value = close(open);
      if (parent && value !== undefined) add(parent.node, name, value);
      else return undefined;
    } else stack.push(open);
  }
  return stack.length === 0 ? root : undefined;
}

/** An element's value: its text alone, or its attributes and children with the text as `#text`. */
function close(open: Open): XmlValue | undefined {
  const text = open.text.trim();
  if (!open.hasAttrs && !open.hasChildren) return text;
  if (text) open.node['#text'] = text;
  return open.node;
}
