import type { Coded } from '../../../shared/problems';
// Discovered devices → SIP-line filter → diff against the instance's lines. Pure functions: the service around
// them talks to drivers and the store.
import type { DiscoveredDevice, DiscoveryPreview, FilteredLine } from '../../../shared/api/drivers';
import type { Line } from '../../../shared/model/line';
import type { SipFilter } from '../../../shared/model/rules';
import { checkSipLine, compileSipFilter } from '../sip-filter';
import { inRanges, parseRanges, type ExtensionRange } from '../location';

export interface SipSplit {
  kept: DiscoveredDevice[];
  filtered: FilteredLine[];
  warnings: Coded[];
}

/** Leaves out the lines the SIP filter flags, each with the rule that did it. */
export function applySipFilter(filter: SipFilter, devices: readonly DiscoveredDevice[]): SipSplit {
  const compiled = compileSipFilter(filter);
  const kept: DiscoveredDevice[] = [];
  const filtered: FilteredLine[] = [];
  for (const d of devices) {
    const r = checkSipLine(compiled, d);
    if (r.sip) filtered.push({ line: d, rule: r.rule!, ruleKind: r.kind ?? '', pattern: r.pattern ?? '' });
    else kept.push(d);
  }
  return { kept, filtered, warnings: compiled.errors.map((e) => ({ code: 'sip.invalidPattern', ...(e.params ? { params: e.params } : {}), message: e.message })) };
}

export interface LineDiff {
  added: Line[];
  removed: Line[];
  renamed: Array<{ number: string; from: string; to: string }>;
  unchanged: number;
  /** The complete new line list, in the PBX's order; fields the PBX does not know are kept from the old lines. */
  lines: Line[];
}

/**
 * What the admin chose when applying: keep stored lines the PBX does not list at all (a line the SIP filter leaves
 * out is still removed), keep the names the lines have (the PBX name only fills an empty one).
 */
export interface ApplyChoices {
  keepUnlisted?: boolean;
  keepNames?: boolean;
  /** Every device the PBX reported, before the SIP filter (default: the kept ones). */
  listed?: readonly DiscoveredDevice[];
}

/** A line's identity within its instance (the family's: number, number + device on CME …). */
export type LineIdentity = (line: Pick<Line, 'number' | 'deviceId' | 'userId'>) => string;
const byNumber: LineIdentity = (l) => l.number;

/** The family's fields of a discovered device that a line keeps (device ID and buttons on CME, user ID …). */
function familyFields(d: DiscoveredDevice): Partial<Line> {
  const out: Partial<Line> = {};
  if (d.deviceId) out.deviceId = d.deviceId;
  if (d.buttons?.length) out.buttons = d.buttons;
  if (d.userId) out.userId = d.userId;
  return out;
}

/**
 * Compares what the PBX has with the stored lines, line by line of the family's identity (so a CME number on two
 * phones stays two lines). Without `readNames` the stored names stay; a known Super-Twin handset is kept as the
 * line's "Mobile" address unless the PBX now names another.
 */
export function diffLines(current: readonly Line[], kept: readonly DiscoveredDevice[], readNames: boolean, identity: LineIdentity = byNumber, choices: ApplyChoices = {}): LineDiff {
  const byKey = new Map(current.map((l) => [identity(l), l]));
  const keptKeys = new Set(kept.map((d) => identity(d)));
  const added: Line[] = [];
  const renamed: LineDiff['renamed'] = [];
  const lines: Line[] = [];
  let unchanged = 0;
  for (const d of kept) {
    const old = byKey.get(identity(d));
    const mobile = d.mobile ?? old?.mobile;
    if (!old) {
      const line: Line = { number: d.number, name: readNames ? d.name : '', ...familyFields(d), ...(mobile ? { mobile } : {}) };
      added.push(line);
      lines.push(line);
      continue;
    }
    const name = readNames && d.name !== '' && !(choices.keepNames && old.name !== '') ? d.name : old.name;
    if (name !== old.name) renamed.push({ number: d.number, from: old.name, to: name });
    else unchanged++;
    lines.push({ ...old, name, ...familyFields(d), ...(mobile ? { mobile } : {}) });
  }
  const gone = current.filter((l) => !keptKeys.has(identity(l)));
  if (!choices.keepUnlisted) return { added, removed: gone, renamed, unchanged, lines };
  const listedKeys = new Set((choices.listed ?? kept).map((d) => identity(d)));
  const removed: Line[] = [];
  for (const l of gone) {
    if (listedKeys.has(identity(l))) removed.push(l);
    else {
      lines.push(l);
      unchanged++;
    }
  }
  return { added, removed, renamed, unchanged, lines };
}

/** Devices outside the ranges listed by number in a preview (all are counted). */
export const MAX_OUTSIDE_LISTED = 1000;

/** The preview the console shows before the admin applies a discovery. */
export function buildPreview(
  ids: { requestId: string; instanceId: string },
  found: { method: DiscoveryPreview['method']; devices: DiscoveredDevice[]; outOfRange: number; outside?: DiscoveredDevice[]; warnings: Coded[] },
  instance: { lines: readonly Line[]; sipFilter: SipFilter; readNames: boolean; identity?: LineIdentity },
): DiscoveryPreview {
  const split = applySipFilter(instance.sipFilter, found.devices);
  const identity = instance.identity ?? byNumber;
  const diff = diffLines(instance.lines, split.kept, instance.readNames, identity);
  const listed = new Set(found.devices.map((d) => identity(d)));
  return {
    ...ids,
    method: found.method,
    discovered: found.devices.length,
    outOfRange: found.outOfRange,
    outside: (found.outside ?? []).slice(0, MAX_OUTSIDE_LISTED),
    added: diff.added,
    removed: diff.removed,
    unlisted: diff.removed.filter((l) => !listed.has(identity(l))).length,
    renamed: diff.renamed,
    unchanged: diff.unchanged,
    filtered: split.filtered,
    lines: diff.lines,
    warnings: [...found.warnings, ...split.warnings],
  };
}

/** Ranges as a membership test and as the list of numbers to probe (null when no ranges are set). */
export function rangeTools(rangesText: string): { inRange?: (n: string) => boolean; probeNumbers?: () => Iterable<string>; count: number } {
  const r = parseRanges(rangesText);
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
  if (r.ranges.length === 0) return { count: 0 };
  const ranges = r.ranges;
  return { inRange: (n) => inRanges(ranges, n), probeNumbers: () => expand(ranges), count: ranges.reduce((s, x) => s + Number(x.to) - Number(x.from) + 1, 0) };
}

/** Every number of the ranges, keeping the digit count of the bounds (`08-10` → 08, 09, 10). */
export function* expand(ranges: readonly ExtensionRange[]): Generator<string> {
  for (const r of ranges) {
    const width = r.from.length;
    for (let n = Number(r.from); n <= Number(r.to); n++) yield String(n).padStart(width, '0');
  }
}
