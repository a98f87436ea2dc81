// The ECMA-323 types members are made of (device identifiers, parties, connections, connection lists, monitor
// filters, sets of flags), each as a writer of one element and a reader of one. Readers are lenient where real
// peers differ from the standard (a party as bare text, a device wrapped in <device>, a connection as bare call ID);
// writers write the standard form only.
import {
  CstaSessionError,
  type ConnectionListEntry,
  type ConnectionRef,
  type DeviceIdFormat,
  type DeviceRef,
  type MonitorFilter,
  type PartyRef,
  type PrivateData,
} from '../csta/model';
import { CstaXmlError } from './errors';
import { esc, leaf, parseXml, rawToXml, type XmlEl } from './xml';

export interface Kind<T> {
  /** The whole element `<name>…</name>` for value `v`. */
  enc(name: string, v: T): string;
  dec(el: XmlEl): T;
}

export const child = (el: XmlEl, name: string): XmlEl | undefined => {
  for (const c of el.children) if (c.name === name) return c;
  return undefined;
};
const textOf = (el: XmlEl): string => el.text.trim();

export function badValue(el: XmlEl, expected: string): CstaXmlError {
  const value = textOf(el).slice(0, 64);
  return new CstaXmlError('CSTA_XML_BAD_VALUE', `CSTA XML element <${el.name}> holds "${value}", not ${expected}`, { element: el.name, value, expected });
}
export function missing(parent: XmlEl | string, element: string): CstaXmlError {
  const p = typeof parent === 'string' ? parent : parent.name;
  return new CstaXmlError('CSTA_XML_MISSING', `CSTA XML element <${p}> lacks <${element}>`, { element, parent: p });
}
function unsupported(what: string): CstaSessionError {
  return new CstaSessionError('CSTA_UNSUPPORTED', `CSTA XML cannot carry ${what}`);
}

// ---- simple values

export const text: Kind<string> = { enc: leaf, dec: textOf };

export const int: Kind<number> = {
  enc: (n, v) => {
    if (!Number.isSafeInteger(v)) throw unsupported(`${v} in <${n}> (not an integer)`);
    return `<${n}>${v}</${n}>`;
  },
  dec: (el) => {
    const t = textOf(el);
    if (!/^[+-]?\d{1,15}$/.test(t)) throw badValue(el, 'an integer');
    return Number(t);
  },
};

export const bool: Kind<boolean> = {
  enc: (n, v) => `<${n}>${v ? 'true' : 'false'}</${n}>`,
  dec: (el) => {
    const t = textOf(el);
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
    throw badValue(el, 'true or false');
  },
};

/** An empty element that is there or not (`<notKnown/>`, `<unspecified/>`). */
export const flag = (name: string) => `<${name}/>`;

// ---- device identifiers (ECMA-323 DeviceID: the identifier as text, its kind in `typeOfNumber`)

/** typeOfNumber values: the format, and for explicit numbers `format:typeOfNumber`. */
function typeOfNumberAttr(d: DeviceRef, element: string): string {
  if (d.name !== undefined || d.privateNumber !== undefined) throw unsupported(`a device's name or private number in <${element}>`);
  const f = d.format ?? 'dialingNumber';
  if (f === 'dialingNumber') return '';
  const v = f === 'explicitPublic' || f === 'explicitPrivate' ? `${f}:${d.typeOfNumber ?? 'unknown'}` : f;
  return ` typeOfNumber="${esc(v, element)}"`;
}

const FORMATS = new Set<string>(['dialingNumber', 'deviceNumber', 'implicitPublic', 'explicitPublic', 'implicitPrivate', 'explicitPrivate', 'other']);

function deviceFromEl(el: XmlEl): DeviceRef {
  // <newDestination><device>…</device></newDestination> (Yealink), <device><deviceIdentifier>…</deviceIdentifier></device>
  const inner = !textOf(el) && el.children.length ? el.children[0] : el;
  const id = textOf(inner);
  const ton = inner.attrs?.typeOfNumber ?? el.attrs?.typeOfNumber;
  if (!ton || ton === 'dialingNumber') return { id };
  const [format, typeOfNumber] = ton.split(':');
  if (!FORMATS.has(format)) throw new CstaXmlError('CSTA_XML_BAD_VALUE', `CSTA XML element <${inner.name}> has typeOfNumber "${ton.slice(0, 64)}"`, { element: inner.name, value: ton.slice(0, 64), expected: 'a DeviceID typeOfNumber' });
  const out: DeviceRef = { id, format: format as DeviceIdFormat };
  if (typeOfNumber) out.typeOfNumber = typeOfNumber as DeviceRef['typeOfNumber'];
  return out;
}

export const device: Kind<DeviceRef> = {
  enc: (n, d) => `<${n}${typeOfNumberAttr(d, n)}>${esc(d.id, n)}</${n}>`,
  dec: deviceFromEl,
};

// ---- parties (CallingDeviceID, CalledDeviceID, SubjectDeviceID, RedirectionDeviceID, AssociatedCallingDeviceID …)

const UNAVAILABLE = new Set(['notKnown', 'restricted', 'notRequired', 'notSpecified']);

export const party: Kind<PartyRef> = {
  enc: (n, p) => ('unavailable' in p ? `<${n}>${flag(p.unavailable)}</${n}>` : `<${n}>${device.enc('deviceIdentifier', p)}</${n}>`),
  dec: (el) => {
    for (const c of el.children) {
      if (UNAVAILABLE.has(c.name)) return { unavailable: c.name as 'notKnown' };
      if (c.name === 'deviceIdentifier' || c.name === 'explicitPublic' || c.name === 'numberDialed' || c.name === 'deviceID') return deviceFromEl(c);
    }
    // bare text (some phones), or an element nobody filled in
    return textOf(el) ? deviceFromEl(el) : { unavailable: 'notKnown' };
  },
};

// ---- connections (ECMA-323 ConnectionID: callID, and deviceID or dynamicID)

export const connection: Kind<ConnectionRef> = {
  enc: (n, c) => {
    if (c.callId === undefined && c.device === undefined && c.dynamicDeviceId === undefined) throw unsupported(`a connection naming neither a call nor a device in <${n}>`);
    if (c.device && c.dynamicDeviceId !== undefined) throw unsupported(`a connection with both a static and a dynamic device in <${n}>`);
    let s = `<${n}>`;
    if (c.callId !== undefined) s += leaf('callID', c.callId);
    if (c.device) s += device.enc('deviceID', c.device);
    else if (c.dynamicDeviceId !== undefined) s += leaf('dynamicID', c.dynamicDeviceId);
    return s + `</${n}>`;
  },
  dec: (el) => {
    const out: ConnectionRef = {};
    for (const c of el.children) {
      if (c.name === 'callID') out.callId = textOf(c);
      else if (c.name === 'deviceID' || c.name === 'staticID') out.device = deviceFromEl(c);
      else if (c.name === 'dynamicID') out.dynamicDeviceId = textOf(c);
    }
    // a bare call ID (Yealink reads <callToBeAnswered>7</callToBeAnswered> too)
    if (!el.children.length && textOf(el)) out.callId = textOf(el);
    if (out.callId === undefined && out.device === undefined && out.dynamicDeviceId === undefined) throw missing(el, 'callID');
    return out;
  },
};

export const connectionList: Kind<ConnectionListEntry[]> = {
  enc: (n, list) => {
    let s = `<${n}>`;
    for (const e of list) {
      s += '<connectionListItem>';
      if (e.newConnection) s += connection.enc('newConnection', e.newConnection);
      if (e.oldConnection) s += connection.enc('oldConnection', e.oldConnection);
      if (e.endpoint) s += party.enc('endpoint', e.endpoint);
      s += '</connectionListItem>';
    }
    return s + `</${n}>`;
  },
  dec: (el) =>
    el.children
      .filter((c) => c.name === 'connectionListItem')
      .map((item) => {
        const e: ConnectionListEntry = {};
        for (const c of item.children) {
          if (c.name === 'newConnection' && c.children.length) e.newConnection = connection.dec(c);
          else if (c.name === 'oldConnection' && c.children.length) e.oldConnection = connection.dec(c);
          else if (c.name === 'endpoint') e.endpoint = party.dec(c);
        }
        return e;
      }),
};

export const deviceList: Kind<DeviceRef[]> = {
  enc: (n, list) => `<${n}>${list.map((d) => device.enc('deviceID', d)).join('')}</${n}>`,
  dec: (el) => el.children.filter((c) => c.name === 'deviceID' || c.name === 'device').map(deviceFromEl),
};

// ---- sets of names written as boolean elements (BIT STRINGs: callOrigination, requestTypes, filters)

const XML_NAME = /^[A-Za-z_][\w.-]{0,63}$/;

export const flags: Kind<string[]> = {
  enc: (n, names) => {
    for (const f of names) if (!XML_NAME.test(f)) throw unsupported(`"${f.slice(0, 32)}" as a flag of <${n}> (not an element name)`);
    return `<${n}>${names.map((f) => `<${f}>true</${f}>`).join('')}</${n}>`;
  },
  dec: (el) => el.children.filter((c) => textOf(c) === 'true' || textOf(c) === '1').map((c) => c.name),
};

const FILTER_CATEGORIES = ['callControl', 'callAssociated', 'mediaAttachment', 'physicalDeviceFeature', 'logicalDeviceFeature', 'maintenance', 'voiceUnit', 'private'] as const;

/** MonitorFilter: per category, the events filtered out (`<callControl><delivered>true</delivered>…`). */
export const monitorFilter: Kind<MonitorFilter> = {
  enc: (n, f) => {
    let s = `<${n}>`;
    for (const cat of FILTER_CATEGORIES) if (f[cat]) s += flags.enc(cat, f[cat]!);
    return s + `</${n}>`;
  },
  dec: (el) => {
    const out: MonitorFilter = {};
    for (const c of el.children) if ((FILTER_CATEGORIES as readonly string[]).includes(c.name)) out[c.name as (typeof FILTER_CATEGORIES)[number]] = flags.dec(c);
    return out;
  },
};

// ---- private data (CSTACommonArguments: <extensions><privateData><string>hex | <private>any</private>)

/** One private data item: `<string>hex</string>` or `<private>fragment</private>`. */
export function privateItemToXml(p: PrivateData): string {
  if (p.format === 'octets') {
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(p.value)) throw unsupported(`private data "${p.value.slice(0, 32)}" as octets (not hex)`);
    return `<string>${p.value}</string>`;
  }
  if (p.format === 'xml') {
    try {
      parseXml(`<private>${p.value}</private>`);
    } catch {
      throw unsupported(`private data that is not an XML fragment ("${p.value.slice(0, 32)}")`);
    }
    return `<private>${p.value}</private>`;
  }
  throw unsupported('BER private data');
}

/** The item a `<privateData>` element holds, if it holds one. */
export function privateItemFromXml(el: XmlEl): PrivateData | undefined {
  for (const c of el.children) {
    if (c.name === 'string') return { format: 'octets', value: textOf(c).toLowerCase() };
    if (c.name === 'private') return { format: 'xml', value: rawToXml(c.raw) };
  }
  return undefined;
}

export function extensionsToXml(pd: PrivateData[] | undefined): string {
  if (!pd?.length) return '';
  return `<extensions>${pd.map((p) => `<privateData>${privateItemToXml(p)}</privateData>`).join('')}</extensions>`;
}

export function extensionsFromXml(el: XmlEl): PrivateData[] {
  const out: PrivateData[] = [];
  for (const pd of el.children) {
    if (pd.name !== 'privateData') continue;
    const item = privateItemFromXml(pd);
    if (item) out.push(item);
  }
  return out;
}
