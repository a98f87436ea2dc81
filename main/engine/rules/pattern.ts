import { tryParsePattern, type ParsedPattern, type PatternError } from './dialect';
import { pikeSearch } from './pike-vm';
import { compileProgram, type Program } from './program';

/** A pattern ready to run. */
export interface CompiledPattern {
  source: string;
  groupCount: number;
  parsed: ParsedPattern;
  program: Program;
}

/** A match: the span of the whole match and of each group (null when the group took no part). */
export interface Match {
  start: number;
  end: number;
  /** Index 0 is the whole match, 1..9 the groups. */
  spans: Array<{ start: number; end: number } | null>;
}

export type CompileResult = { ok: true; pattern: CompiledPattern } | { ok: false; error: PatternError };

// The console re-checks the same rules on every keystroke: keep recent compilations (they are immutable).
const cache = new Map<string, CompileResult>();
const CACHE_SIZE = 2000;

export function compilePattern(source: string): CompileResult {
  const hit = cache.get(source);
  if (hit) return hit;
  const parsed = tryParsePattern(source);
  const result: CompileResult = parsed.ok
    ? { ok: true, pattern: { source, groupCount: parsed.pattern.groupCount, parsed: parsed.pattern, program: compileProgram(parsed.pattern) } }
    : parsed;
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(source, result);
  return result;
}

/** The raw capture slots of the leftmost-first match anywhere in the input, or null. */
export function searchSlots(pattern: CompiledPattern, input: string): number[] | null {
  return pikeSearch(pattern.program, input);
}

export function slotsToMatch(slots: number[]): Match {
  const spans: Match['spans'] = [];
  for (let g = 0; g < slots.length; g += 2) spans.push(slots[g] >= 0 && slots[g + 1] >= 0 ? { start: slots[g], end: slots[g + 1] } : null);
  return { start: slots[0], end: slots[1], spans };
}

/** Leftmost-first search anywhere in the input, like the driver's RegFind. */
export function search(pattern: CompiledPattern, input: string): Match | null {
  const slots = pikeSearch(pattern.program, input);
  return slots ? slotsToMatch(slots) : null;
}

/** True when the pattern finds a match anywhere in the input. */
export function test(pattern: CompiledPattern, input: string): boolean {
  return pikeSearch(pattern.program, input) !== null;
}
