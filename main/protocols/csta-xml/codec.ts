// ECMA-323 documents to and from the encoding-free CSTA model: requests and their responses, events, CSTAErrorCode.
// One entry point each way; the document's root element says what it is.
import {
  CstaSessionError,
  type CstaArgs,
  type CstaEvent,
  type CstaEventCategory,
  type CstaFailure,
  type CstaResult,
  type CstaServiceName,
  type FailureCategory,
  type NoData,
  type SwitchingFunctionDevicesArgs,
} from '../csta/model';
import { namespaceOf, editionOf, type CstaXmlEdition } from './editions';
import { child } from './members';
import { EVENTS, OTHER_EVENT_CATEGORIES, readMembers, ROOT_ALIASES, SERVICES, writeMembers, type EventSpec } from './messages';
import { esc, parseXml, type XmlLimits } from './xml';

/** Services in ECMA-323: the model's, and SwitchingFunctionDevices, which the switch invokes. */
export type XmlServiceName = CstaServiceName | 'switchingFunctionDevices';
export type XmlArgs<S extends XmlServiceName> = S extends CstaServiceName ? CstaArgs<S> : SwitchingFunctionDevicesArgs;
export type XmlResult<S extends XmlServiceName> = S extends CstaServiceName ? CstaResult<S> : NoData;

export type CstaXmlRequest = { [S in XmlServiceName]: { kind: 'request'; service: S; args: XmlArgs<S> } }[XmlServiceName];
export type CstaXmlResponse = { [S in XmlServiceName]: { kind: 'response'; service: S; result: XmlResult<S> } }[XmlServiceName];
export type CstaXmlMessage =
  | CstaXmlRequest
  | CstaXmlResponse
  | { kind: 'event'; event: CstaEvent }
  /** CSTAErrorCode: the negative answer to a request. */
  | { kind: 'error'; failure: CstaFailure }
  /** A root element this codec does not know (a vendor's request, a newer edition's service). */
  | { kind: 'unknown'; root: string };

export interface DecodedCsta {
  message: CstaXmlMessage;
  /** The root's namespace as written, and the edition it names (`ed3` …), if it names one. */
  namespace?: string;
  edition?: string;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

const REQUEST_ROOTS = new Map<string, XmlServiceName>();
const RESPONSE_ROOTS = new Map<string, XmlServiceName>();
for (const [service, s] of Object.entries(SERVICES) as [XmlServiceName, (typeof SERVICES)[XmlServiceName]][]) {
  REQUEST_ROOTS.set(s.request.root, service);
  RESPONSE_ROOTS.set(s.response.root, service);
}
const EVENT_ROOTS = new Map<string, EventSpec>(Object.values(EVENTS).map((e) => [e.root, e]));
const FAILURE_CATEGORIES = new Set<string>(['operation', 'security', 'stateIncompatibility', 'systemResourceAvailability', 'subscribedResourceAvailability', 'performanceManagement', 'privateData', 'unspecified']);

/**
 * One ECMA-323 document for a message, in the namespace of `edition` (default ed5). A value the encoding cannot
 * carry fails with CstaSessionError `CSTA_UNSUPPORTED` or CstaXmlError `CSTA_XML_MISSING`.
 */
export function encodeCsta(message: CstaXmlMessage, edition: CstaXmlEdition = 'ed5'): string {
  const ns = namespaceOf(edition);
  switch (message.kind) {
    case 'request':
      return XML_DECLARATION + writeMembers(SERVICES[message.service].request, message.args as Record<string, unknown>, true, ns);
    case 'response':
      return XML_DECLARATION + writeMembers(SERVICES[message.service].response, message.result as Record<string, unknown>, true, ns);
    case 'event': {
      const e = message.event;
      if (e.name === 'other') throw new CstaSessionError('CSTA_UNSUPPORTED', 'CSTA XML cannot write an event the model does not describe');
      return XML_DECLARATION + writeMembers(EVENTS[e.name], e as unknown as Record<string, unknown>, true, ns);
    }
    case 'error': {
      const f = message.failure;
      if (!FAILURE_CATEGORIES.has(f.category)) throw new CstaSessionError('CSTA_UNSUPPORTED', `CSTA XML has no error category "${String(f.category).slice(0, 32)}"`);
      const inner = 'error' in f ? `<${f.category}>${esc(f.error, f.category)}</${f.category}>` : `<${f.category}/>`;
      return `${XML_DECLARATION}<CSTAErrorCode xmlns="${ns}">${inner}</CSTAErrorCode>`;
    }
    case 'unknown':
      throw new CstaSessionError('CSTA_UNSUPPORTED', `CSTA XML cannot write the unknown document <${message.root}>`);
  }
}

export const encodeRequest = <S extends XmlServiceName>(service: S, args: XmlArgs<S>, edition?: CstaXmlEdition): string =>
  encodeCsta({ kind: 'request', service, args } as CstaXmlMessage, edition);
export const encodeResponse = <S extends XmlServiceName>(service: S, result: XmlResult<S>, edition?: CstaXmlEdition): string =>
  encodeCsta({ kind: 'response', service, result } as CstaXmlMessage, edition);
export const encodeEvent = (event: CstaEvent, edition?: CstaXmlEdition): string => encodeCsta({ kind: 'event', event }, edition);
export const encodeError = (failure: CstaFailure, edition?: CstaXmlEdition): string => encodeCsta({ kind: 'error', failure }, edition);

/**
 * Reads one ECMA-323 document (any edition, any namespace: elements are matched by local name). Failures are
 * CstaXmlError: `CSTA_XML_TOO_LARGE`, `CSTA_XML_MALFORMED`, `CSTA_XML_TOO_DEEP`, `CSTA_XML_DOCTYPE`,
 * `CSTA_XML_MISSING`, `CSTA_XML_BAD_VALUE`, each naming the element.
 */
export function decodeCsta(input: string | Uint8Array, limits?: XmlLimits): DecodedCsta {
  const root = parseXml(input, limits);
  const prefix = root.qname.includes(':') ? root.qname.slice(0, root.qname.indexOf(':')) : '';
  const namespace = root.attrs?.[prefix ? `xmlns:${prefix}` : 'xmlns'];
  const out: DecodedCsta = { message: messageOf(root), ...(namespace !== undefined ? { namespace } : {}) };
  const edition = editionOf(namespace);
  if (edition) out.edition = edition;
  return out;
}

function messageOf(root: ReturnType<typeof parseXml>): CstaXmlMessage {
  const name = ROOT_ALIASES[root.name] ?? root.name;
  const ev = EVENT_ROOTS.get(name);
  if (ev) {
    const body = readMembers(ev, root, true);
    return { kind: 'event', event: { category: ev.category, name: ev.name, ...body } as unknown as CstaEvent };
  }
  const req = REQUEST_ROOTS.get(name);
  if (req) return { kind: 'request', service: req, args: readMembers(SERVICES[req].request, root, true) } as CstaXmlMessage;
  const res = RESPONSE_ROOTS.get(name);
  if (res) return { kind: 'response', service: res, result: readMembers(SERVICES[res].response, root, true) } as CstaXmlMessage;
  if (name === 'CSTAErrorCode') return { kind: 'error', failure: failureOf(root) };
  if (name.endsWith('Event')) {
    const category: CstaEventCategory = OTHER_EVENT_CATEGORIES[name] ?? 'vendorSpecific';
    const x = child(root, 'monitorCrossRefID');
    return { kind: 'event', event: { category, name: 'other', monitorCrossRefId: x ? x.text.trim() : '' } };
  }
  return { kind: 'unknown', root: root.name };
}

function failureOf(root: ReturnType<typeof parseXml>): CstaFailure {
  const c = root.children.find((x) => FAILURE_CATEGORIES.has(x.name));
  if (!c || c.name === 'unspecified') return { category: 'unspecified' };
  return { category: c.name as Exclude<FailureCategory, 'unspecified'>, error: c.text.trim() } as CstaFailure;
}
