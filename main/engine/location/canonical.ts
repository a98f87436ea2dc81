import { coded } from '../../../shared/problems';
import type { CanonicalParts, LocationProblem } from '../../../shared/api/rules';

/** Country, area and the PBX base number, from a location such as `49(89)1234`. */
export interface LocationPrefix {
  country: string;
  area: string;
  local: string;
}

export type LocationParse = { ok: true; prefix: LocationPrefix } | { ok: false; problem: LocationProblem };

const LOCATION = /^\s*\+?\s*(\d{1,3})\s*\(\s*(\d*)\s*\)\s*(\d*)\s*$/;

/** Reads `49(89)1234`, also with a leading `+` and spaces (`+49 (89) 1234`). */
export function parseLocationPrefix(text: string): LocationParse {
  const m = LOCATION.exec(text);
  if (!m) {
    return {
      ok: false,
      problem: { field: 'location', ...coded('location.notLocation', { value: text }), offset: 0, length: text.length },
    };
  }
  return { ok: true, prefix: { country: m[1], area: m[2], local: m[3] } };
}

function write(country: string, area: string, local: string, extension: string | null): string {
  return `+${country}(${area})${local}${extension !== null ? `-${extension}` : ''}`;
}

/** The one canonical form we write: extension `100` at `49(89)1234` is `+49(89)1234-100`. */
export function formatCanonical(prefix: LocationPrefix, extension: string): string {
  return write(prefix.country, prefix.area, prefix.local, extension);
}

export class CanonicalParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CanonicalParseError';
  }
}

const digits = (s: string) => s.replace(/[^0-9]/g, '');

/**
 * Reads a canonical number leniently: estos `+49(89)1234-100`, TAPI `+49 (89) 1234100` (spaces, dots,
 * slashes and dashes in the subscriber part), and, when our location is known, super-canonical
 * `+49891234100`. Knowing the location also splits the extension off a number of our own PBX.
 */
export function parseCanonical(text: string, prefix?: LocationPrefix): CanonicalParts {
  const t = text.trim();
  const withArea = /^\+\s*(\d{1,3})\s*\(\s*(\d*)\s*\)\s*([0-9 .\-/]*)$/.exec(t);
  let country: string;
  let area: string;
  let rest: string;
  if (withArea) {
    [, country, area, rest] = withArea;
  } else if (/^\+[0-9 .\-/]+$/.test(t) && prefix) {
    const all = digits(t);
    const head = prefix.country + prefix.area;
    if (!all.startsWith(head)) throw new CanonicalParseError(`"${text}" has no (area) part and does not start with the location's +${head}, so its area code is unknown`);
    country = prefix.country;
    area = prefix.area;
    rest = all.slice(head.length);
  } else if (/^\+[0-9 .\-/]+$/.test(t)) {
    throw new CanonicalParseError(`"${text}" has no (area) part; without a location its area code is unknown (write +49(89)1234)`);
  } else {
    throw new CanonicalParseError(`"${text}" is not a canonical number; expected +country(area)number, e.g. +49(89)1234-100`);
  }
  const restDigits = digits(rest);
  if (prefix && country === prefix.country && area === prefix.area && restDigits.startsWith(prefix.local) && restDigits.length > prefix.local.length) {
    const local = prefix.local;
    const extension = restDigits.slice(local.length);
    return { country, area, local, extension, canonical: write(country, area, local, extension) };
  }
  const dash = rest.lastIndexOf('-');
  if (dash >= 0 && rest.indexOf('-') === dash && digits(rest.slice(dash + 1)) && digits(rest.slice(0, dash))) {
    const local = digits(rest.slice(0, dash));
    const extension = digits(rest.slice(dash + 1));
    return { country, area, local, extension, canonical: write(country, area, local, extension) };
  }
  if (!restDigits) throw new CanonicalParseError(`"${text}" has no subscriber number after the area code`);
  return { country, area, local: restDigits, extension: null, canonical: write(country, area, restDigits, null) };
}
