// Numbers at run time, between the PBX's view and the canonical view of the PC: what the PBX reports about the
// other party becomes canonical before the incoming/outgoing rules, and a canonical number from the PC becomes what
// the PBX dials before the dialing rules (the order the manuals give). Both steps need the location; without it
// they do nothing and return null.
import type { LocationStep } from '../../../shared/api/rules';
import { CanonicalParseError, formatCanonical, parseCanonical, type LocationPrefix } from './canonical';
import type { ResolvedLocation } from './location';
import { inRanges } from './ranges';

/** Below this many digits a number that is no extension is a short code (110, 112, 11833): left as it is. */
const MIN_SUBSCRIBER = 5;
/** Without extension ranges, numbers this short are taken to be extensions. */
const MAX_EXTENSION_GUESS = 4;

const dialableOnly = (s: string) => s.replace(/[^0-9*#+]/g, '');

/** Is `n` (digits) an extension of this PBX: in the ranges, or, with no ranges set, short enough to be one. */
export function isExtension(loc: ResolvedLocation, n: string): boolean {
  if (!/^\d+$/.test(n)) return false;
  return loc.ranges.length ? inRanges(loc.ranges, n) : n.length <= MAX_EXTENSION_GUESS;
}

/**
 * A `+` number in the one form we write: our own PBX's numbers as `+49(89)1234-100`, other numbers of our area
 * as `+49(89)5551234`, anything else as it came (`+4930123456`: without a numbering plan the area code of another
 * area cannot be told from the subscriber number).
 */
function tidyPlus(prefix: LocationPrefix, plus: string): string {
  try {
    const p = parseCanonical(plus, prefix);
    if (p.country === prefix.country && p.area === prefix.area) return p.canonical;
  } catch (e) {
    if (!(e instanceof CanonicalParseError)) throw e;
  }
  return dialableOnly(plus);
}

/**
 * A number the PBX reported for the other party, in canonical form: extensions as our own canonical numbers,
 * outside numbers completed from the location. On an outgoing call the PBX reports the digits as dialed, so a
 * leading access code is dropped first. Short codes and numbers with * or # stay as they are.
 */
export function toCanonical(loc: ResolvedLocation, raw: string, outgoing: boolean): LocationStep | null {
  const prefix = loc.prefix;
  if (!prefix) return null;
  const n = dialableOnly(raw);
  if (!n) return null;
  const step = (output: string, kind: LocationStep['kind']): LocationStep => ({ input: raw, output, kind });
  if (/[*#]/.test(n) || n.indexOf('+') > 0) return step(n, 'special');
  if (n.startsWith('+')) return step(tidyPlus(prefix, n), 'canonical');
  if (isExtension(loc, n)) return step(formatCanonical(prefix, n), 'internal');
  let d = n;
  if (outgoing && loc.accessCode && d.startsWith(loc.accessCode) && d.length > loc.accessCode.length) d = d.slice(loc.accessCode.length);
  if (loc.internationalPrefix && d.startsWith(loc.internationalPrefix) && d.length > loc.internationalPrefix.length) return step(tidyPlus(prefix, `+${d.slice(loc.internationalPrefix.length)}`), 'international');
  if (loc.nationalPrefix && d.startsWith(loc.nationalPrefix) && d.length > loc.nationalPrefix.length) return step(tidyPlus(prefix, `+${prefix.country}${d.slice(loc.nationalPrefix.length)}`), 'national');
  if (d.length < MIN_SUBSCRIBER) return step(n, 'special');
  return step(tidyPlus(prefix, `+${prefix.country}${prefix.area}${d}`), 'local');
}

/**
 * What the PBX dials for a number typed on the PC: a canonical number (`+49(89)1234-100`, `+49 (30) 12345-123`,
 * `+4930123456`) becomes the extension when it is one of ours, else the outside number with the access code and
 * the national or international prefix. Anything not starting with `+` is already dialable and stays. Throws
 * CanonicalParseError for a `+` number that cannot be read.
 */
export function toDialable(loc: ResolvedLocation, input: string): LocationStep | null {
  const prefix = loc.prefix;
  const t = input.trim();
  if (!prefix || !t.startsWith('+')) return null;
  let country: string;
  let area: string | null;
  let subscriber: string;
  if (t.includes('(')) {
    const p = parseCanonical(t, prefix);
    [country, area, subscriber] = [p.country, p.area, p.local + (p.extension ?? '')];
  } else {
    const digits = t.replace(/[ .\-/]/g, '').slice(1);
    if (!/^\d+$/.test(digits)) throw new CanonicalParseError(`"${input}" is not a canonical number; expected +country(area)number, e.g. +49(89)1234-100`);
    if (digits.startsWith(prefix.country + prefix.area)) [country, area, subscriber] = [prefix.country, prefix.area, digits.slice(prefix.country.length + prefix.area.length)];
    else if (digits.startsWith(prefix.country)) [country, area, subscriber] = [prefix.country, null, digits.slice(prefix.country.length)];
    else return { input, output: `${loc.accessCode}${loc.internationalPrefix}${digits}`, kind: 'international' };
  }
  if (!subscriber) throw new CanonicalParseError(`"${input}" has no subscriber number after the area code`);
  const step = (output: string, kind: LocationStep['kind']): LocationStep => ({ input, output, kind });
  if (country !== prefix.country) return step(`${loc.accessCode}${loc.internationalPrefix}${country}${area ?? ''}${subscriber}`, 'international');
  if (area === null) return step(`${loc.accessCode}${loc.nationalPrefix}${subscriber}`, 'national');
  if (area !== prefix.area) return step(`${loc.accessCode}${loc.nationalPrefix}${area}${subscriber}`, 'national');
  const extension = subscriber.startsWith(prefix.local) ? subscriber.slice(prefix.local.length) : '';
  if (extension && (loc.ranges.length === 0 || inRanges(loc.ranges, extension))) return step(extension, 'internal');
  return step(`${loc.accessCode}${subscriber}`, 'local');
}

/** The location's step for a number on its way into a rule list: canonical before incoming/outgoing, dialable before dialing. */
export function locationStep(loc: ResolvedLocation, list: 'incoming' | 'outgoing' | 'dialing', number: string): LocationStep | null {
  return list === 'dialing' ? toDialable(loc, number) : toCanonical(loc, number, list === 'outgoing');
}
