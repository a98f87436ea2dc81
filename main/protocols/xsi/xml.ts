// Xsi documents: parsing by local name (BroadSoft binds `xsi` to its own namespace and `xsi1` to
// XMLSchema-instance, so prefixes mean nothing), writing with escaping, and splitting a stream of documents.
import { XMLParser } from 'fast-xml-parser';

export const XSI_NS = 'http://schema.broadsoft.com/xsi';
const XSI_TYPE_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** Elements that repeat; parsed as arrays even when one is present. */
const ARRAYS = new Set(['groupDirectory.directoryDetails', 'Calls.call', 'conferenceParticipantList.conferenceParticipant']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  // Numbers stay text: a leading zero or a plus belongs to the number.
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (_name, jpath) => [...ARRAYS].some((a) => String(jpath).endsWith(a)),
});

export type XmlNode = { [k: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[] | undefined;

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlError';
  }
}

/**
 * The root element's local name and content. Throws XmlError for anything that is not one XML document; with
 * `validate: false` (documents from the platform, read many times a second) only what the parser itself refuses.
 */
export function parseXml(text: string, opts: { validate?: boolean } = {}): { root: string; body: XmlNode } {
  // No DTDs: entity definitions are how XML bombs expand.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new XmlError('a document type declaration is not accepted');
  let doc: XmlNode;
  try {
    doc = parser.parse(text, opts.validate ?? true) as XmlNode;
  } catch (e) {
    throw new XmlError(`not well-formed XML: ${(e as Error).message}`);
  }
  const roots = Object.keys(doc).filter((k) => !k.startsWith('?'));
  if (roots.length !== 1) throw new XmlError('expected exactly one root element');
  const body = doc[roots[0]];
  return { root: roots[0], body: body && typeof body === 'object' && !Array.isArray(body) ? body : { '#text': typeof body === 'string' ? body : '' } };
}

/** A child's text ('' when absent or not text). */
export function text(node: XmlValue, key: string): string {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return '';
  const v = node[key];
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && !Array.isArray(v) && typeof v['#text'] === 'string') return v['#text'];
  return '';
}

export function child(node: XmlValue, key: string): XmlNode | undefined {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const v = node[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

export function children(node: XmlValue, key: string): XmlNode[] {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return [];
  const v = node[key];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is XmlNode => !!x && typeof x === 'object' && !Array.isArray(x));
}

/** The local name of an `xsi1:type` value (`xsi:CallReceivedEvent` → CallReceivedEvent). */
export function typeOf(node: XmlValue): string {
  const t = node && typeof node === 'object' && !Array.isArray(node) ? node['@type'] : undefined;
  return typeof t === 'string' ? t.replace(/^.*:/, '') : '';
}

export function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** `<name>` with children given as [name, value] pairs (undefined values left out) or as ready-made XML. */
export function el(name: string, content: string | Array<[string, string | number | undefined]> = ''): string {
  const inner = typeof content === 'string' ? content : content.map(([k, v]) => (v === undefined ? '' : `<${k}>${esc(v)}</${k}>`)).join('');
  return `<${name}>${inner}</${name}>`;
}

/** A whole Xsi document with the namespace on its root. */
export function xsiDoc(root: string, inner: string, attrs = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${XSI_NS}"${attrs}>${inner}</${root}>`;
}

/** The streamed event envelope as BroadWorks writes it (prefix `xsi` for BroadSoft, `xsi1` for the type). */
export function xsiEventDoc(type: string, inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<xsi:Event xmlns:xsi="${XSI_NS}" xmlns:xsi1="${XSI_TYPE_NS}" xsi1:type="xsi:${type}">${inner}</xsi:Event>`;
}

/**
 * Splits a byte stream into XML documents: each ends where its root element closes. Declarations, comments and
 * whitespace between documents are skipped. A document over `maxBytes` is an error (the peer is not speaking Xsi).
 */
export class XmlStreamSplitter {
  private buf = '';
  private pos = 0;
  private depth = 0;
  private start = -1;

  constructor(private readonly maxBytes = 1 << 20) {}

  push(chunk: string): string[] {
    this.buf += chunk;
    const out: string[] = [];
    for (;;) {
      const lt = this.buf.indexOf('<', this.pos);
      if (lt < 0) {
        if (this.depth === 0) this.compact(this.buf.length);
        break;
      }
      if (this.depth === 0 && this.start < 0) this.compact(lt);
      const at = this.depth === 0 && this.start < 0 ? 0 : lt;
      const end = this.tagEnd(at);
      if (end < 0) break;
      const tag = this.buf.slice(at, end + 1);
      this.pos = end + 1;
      if (tag.startsWith('<?') || tag.startsWith('<!')) continue;
      if (tag.startsWith('</')) this.depth--;
      else if (!tag.endsWith('/>')) {
        if (this.depth === 0) this.start = at;
        this.depth++;
      } else if (this.depth === 0) this.start = at;
      if (this.depth < 0) throw new XmlError('a closing tag without its opening tag');
      if (this.depth === 0 && this.start >= 0) {
        out.push(this.buf.slice(this.start, this.pos));
        this.start = -1;
        this.compact(this.pos);
      }
    }
    if (this.buf.length > this.maxBytes) throw new XmlError(`a document is longer than ${this.maxBytes} bytes`);
    return out;
  }

  private compact(from: number): void {
    this.buf = this.buf.slice(from);
    this.pos = 0;
    if (this.start >= 0) this.start -= from;
  }

  /** Index of the `>` closing the markup at `at`, honouring quotes, comments and CDATA; -1 while incomplete. */
  private tagEnd(at: number): number {
    const b = this.buf;
    if (b.startsWith('<!--', at)) {
      const i = b.indexOf('-->', at + 4);
      return i < 0 ? -1 : i + 2;
    }
    if (b.startsWith('<![CDATA[', at)) {
      const i = b.indexOf(']]>', at + 9);
      return i < 0 ? -1 : i + 2;
    }
    let quote = '';
    for (let i = at + 1; i < b.length; i++) {
      const c = b[i];
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '>') return i;
    }
    return -1;
  }
}
