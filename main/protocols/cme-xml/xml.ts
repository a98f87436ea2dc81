// CME XML API documents (the "AXL/SOAP" interface at /ios_xml_app/cme): the SOAP envelope around
// `<axl><request xsi:type="ISget…">`, read by local name because IOS declares no namespaces and clients differ.
import { child, children, esc, parseXml, text, XmlError, type XmlNode } from '../xsi/xml';
import { readPlain } from './reader';

export { child, children, esc, text, XmlError, type XmlNode };

/** The URL path `ixi application cme` serves. */
export const CME_XML_PATH = '/ios_xml_app/cme';

/** Nesting beyond this is no XML API document (and would cost the parser's stack). */
const MAX_DEPTH = 64;

function tooDeep(text: string): boolean {
  let depth = 0;
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
    const c = text[i + 1];
    if (c === '/') depth--;
    else if (c !== '?' && c !== '!' && text[text.indexOf('>', i) - 1] !== '/') depth++;
    if (depth > MAX_DEPTH) return true;
  }
  return false;
}

/**
 * One document as {root: content} (the XML reader refuses DTDs, so nothing can expand); throws XmlError for
 * anything else and for absurd nesting. Plain documents take the fast reader (reader.ts).
 */
export function parseDocument(textIn: string): XmlNode {
  if (tooDeep(textIn)) throw new XmlError(`elements are nested deeper than ${MAX_DEPTH}`);
  const { root, body } = readPlain(textIn) ?? parseXml(textIn);
  return { [root]: body };
}

/**
 * The `<request>` or `<response>` element of a document: inside Envelope/Body/axl, or bare (both occur in
 * Cisco's examples and in clients). Returns undefined when the document is XML but not the XML API's.
 */
export function axlPart(doc: XmlNode, part: 'request' | 'response'): XmlNode | undefined {
  const axl = child(child(child(doc, 'Envelope'), 'Body'), 'axl') ?? child(doc, 'axl');
  const node = axl ? axl[part] : doc[part];
  return node && typeof node === 'object' && !Array.isArray(node) ? node : undefined;
}

/** The operation of a request or response: its `xsi:type`, else its first element's name. */
export function operationOf(part: XmlNode): string {
  const t = part['@type'];
  if (typeof t === 'string' && t) return t.replace(/^.*:/, '');
  return Object.keys(part).find((k) => !k.startsWith('@') && k !== '#text') ?? '';
}

/** Selector elements (`ISKeyword`, `ISDevID` …) as [name, value] pairs, or CLI lines as repeated `CLI`. */
export type Selectors = Array<[string, string]>;

function envelope(part: 'request' | 'response', type: string, inner: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<SOAP-ENV:Body><axl><${part} xsi:type="${esc(type)}">${inner}</${part}></axl></SOAP-ENV:Body></SOAP-ENV:Envelope>`
  );
}

/** A request as the XML API wants it: `<request xsi:type="ISgetDevice"><ISgetDevice>…</ISgetDevice></request>`. */
export function requestDocument(operation: string, selectors: Selectors = []): string {
  const inner = selectors.map(([k, v]) => `<${k}>${esc(v)}</${k}>`).join('');
  return envelope('request', operation, `<${operation}>${inner}</${operation}>`);
}

/** A response with ready-made inner XML (the simulator's side). */
export function responseDocument(type: string, inner: string): string {
  return envelope('response', type, inner);
}

/** `<name>` with text children from [name, value] pairs (undefined values left out). */
export function elements(pairs: Array<[string, string | number | boolean | undefined]>): string {
  return pairs.map(([k, v]) => (v === undefined ? '' : `<${k}>${esc(String(v))}</${k}>`)).join('');
}

/** The ISError of a response, if it is one. */
export function isErrorOf(response: XmlNode): { code: string; message: string } | undefined {
  const e = child(response, 'ISError');
  return e ? { code: text(e, 'ISErrorCode'), message: text(e, 'ISErrorMsg') } : undefined;
}
