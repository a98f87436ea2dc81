import type { LocationFormatRow, LocationProblem } from '../../../shared/api/rules';
import type { Location } from '../../../shared/model/rules';
import { CanonicalParseError, formatCanonical, parseCanonical, parseLocationPrefix, type LocationPrefix } from './canonical';
import { inRanges, parseRanges, type ExtensionRange } from './ranges';

/** Everything wrong with a location's settings (ranges and, when used, the location itself). */
export function validateLocation(location: Location): LocationProblem[] {
  const problems: LocationProblem[] = [];
  const r = parseRanges(location.ranges);
  if (!r.ok) problems.push(...r.problems);
  if (location.useLocation || location.location.trim()) {
    const p = parseLocationPrefix(location.location);
    if (!p.ok) problems.push(p.problem);
  }
  return problems;
}

/** A location ready to use. Invalid settings throw LocationError with every problem. */
export interface ResolvedLocation {
  ranges: ExtensionRange[];
  prefix: LocationPrefix | null;
  display: Location['display'];
  /** What the PBX needs dialed before an outside, a national and an international number. */
  accessCode: string;
  nationalPrefix: string;
  internationalPrefix: string;
}

export class LocationError extends Error {
  constructor(readonly problems: LocationProblem[]) {
    super(problems.map((p) => p.message).join('; '));
    this.name = 'LocationError';
  }
}

export function resolveLocation(location: Location): ResolvedLocation {
  const problems = validateLocation(location);
  if (problems.length) throw new LocationError(problems);
  const ranges = parseRanges(location.ranges);
  const prefix = location.useLocation ? parseLocationPrefix(location.location) : null;
  return {
    ranges: ranges.ok ? ranges.ranges : [],
    prefix: prefix && prefix.ok ? prefix.prefix : null,
    display: location.display,
    accessCode: location.accessCode ?? '0',
    nationalPrefix: location.nationalPrefix ?? '0',
    internationalPrefix: location.internationalPrefix ?? '00',
  };
}

/** Internal (an extension in range, directly or as our own canonical number) or external. */
export function classifyNumber(loc: ResolvedLocation, number: string): { internal: boolean; extension: string | null } {
  const t = number.trim();
  if (inRanges(loc.ranges, t)) return { internal: true, extension: t };
  if (t.startsWith('+') && loc.prefix) {
    try {
      const p = parseCanonical(t, loc.prefix);
      const ours = p.country === loc.prefix.country && p.area === loc.prefix.area && p.local === loc.prefix.local;
      if (ours && p.extension !== null && inRanges(loc.ranges, p.extension)) return { internal: true, extension: p.extension };
    } catch (e) {
      if (!(e instanceof CanonicalParseError)) throw e;
    }
  }
  return { internal: false, extension: null };
}

/** How a line's number is shown: the extension, or its canonical number when so configured. */
export function lineDisplayNumber(loc: ResolvedLocation, extension: string): string {
  return loc.display === 'canonical' && loc.prefix ? formatCanonical(loc.prefix, extension) : extension;
}

/**
 * Each line's number as the instance shows it (canonical) when its location says so (a valid location in use,
 * display canonical), else null: the console, the API and the CLI list lines by this one rule.
 */
export function linesShownAs(location: Location, numbers: readonly string[]): Record<string, string> | null {
  let loc;
  try {
    loc = resolveLocation(location);
  } catch (e) {
    if (e instanceof LocationError) return null;
    throw e;
  }
  if (!loc.prefix || loc.display !== 'canonical') return null;
  return Object.fromEntries(numbers.map((n) => [n, lineDisplayNumber(loc, n)]));
}

/** The canonical number and display form of each extension. */
export function formatExtensions(loc: ResolvedLocation, extensions: readonly string[]): LocationFormatRow[] {
  return extensions.map((raw) => {
    const extension = raw.trim();
    if (!/^\d+$/.test(extension)) {
      return { extension, canonical: null, display: extension, internal: false, error: `"${raw}" is not an extension (digits only)` };
    }
    const canonical = loc.prefix ? formatCanonical(loc.prefix, extension) : null;
    return { extension, canonical, display: lineDisplayNumber(loc, extension), internal: inRanges(loc.ranges, extension) };
  });
}
