import type { LocationProblem } from '../../../shared/api/rules';
import { coded, type ProblemCode } from '../../../shared/problems';

/** One extension range as typed (`100-199`, or a single `300`), with where it stands in the text. */
export interface ExtensionRange {
  from: string;
  to: string;
  offset: number;
  length: number;
}

export type RangesResult = { ok: true; ranges: ExtensionRange[] } | { ok: false; problems: LocationProblem[] };

const MAX_DIGITS = 15;

/** Reads `100-199, 2000-2099; 300`; reversed or overlapping ranges are errors, each with its position. */
export function parseRanges(text: string): RangesResult {
  const problems: LocationProblem[] = [];
  const ranges: ExtensionRange[] = [];
  const piece = /[^,;]+/g;
  for (let m = piece.exec(text); m; m = piece.exec(text)) {
    const raw = m[0];
    const trimmed = raw.trim();
    if (!trimmed) continue;
    const offset = m.index + raw.indexOf(trimmed);
    const at = { value: trimmed, position: offset + 1 };
    const problem = (code: ProblemCode, params: Record<string, string | number> = {}) => problems.push({ field: 'ranges', ...coded(code, { ...at, ...params }), offset, length: trimmed.length });
    const r = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(trimmed);
    if (!r) {
      problem('location.notRange');
      continue;
    }
    const from = r[1];
    const to = r[2] ?? r[1];
    if (from.length > MAX_DIGITS || to.length > MAX_DIGITS) {
      problem('location.tooManyDigits', { max: MAX_DIGITS });
      continue;
    }
    if (Number(from) > Number(to)) {
      problem('location.backwards', { fix: `${to}-${from}` });
      continue;
    }
    ranges.push({ from, to, offset, length: trimmed.length });
  }
  const sorted = [...ranges].sort((a, b) => Number(a.from) - Number(b.from));
  for (let k = 1; k < sorted.length; k++) {
    const prev = sorted[k - 1];
    const cur = sorted[k];
    if (Number(cur.from) <= Number(prev.to)) {
      const [first, second] = prev.offset < cur.offset ? [prev, cur] : [cur, prev];
      const label = (r: ExtensionRange) => (r.from === r.to ? r.from : `${r.from}-${r.to}`);
      problems.push({ field: 'ranges', ...coded('location.overlaps', { value: label(second), position: second.offset + 1, other: label(first) }), offset: second.offset, length: second.length });
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, ranges };
}

/** Is the extension inside one of the ranges (digits only; `0100` is not `100`). */
export function inRanges(ranges: readonly ExtensionRange[], extension: string): boolean {
  if (!/^\d+$/.test(extension) || extension.length > MAX_DIGITS) return false;
  const n = Number(extension);
  return ranges.some((r) => extension.length >= r.from.length && extension.length <= r.to.length && n >= Number(r.from) && n <= Number(r.to));
}
