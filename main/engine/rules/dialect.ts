import { coded, type Coded } from '../../../shared/problems';
/**
 * Parser for the ECSTA search-pattern dialect: `^ $ | . * + ? ( ) [ ] [^ ]` and `\x` (always the literal x).
 * It follows Henry Spencer's regcomp (the likely engine of the estos driver, see
 * ../shared/reference/number-rules-and-licences.md §1.2): the same accepted language, the same error
 * texts, the same "can this be empty" rule that rejects `(a*)*` but accepts `(0+)+`.
 */

export const MAX_GROUPS = 9;

export type PatternErrorCode =
  | 'UNMATCHED_PAREN'
  | 'UNMATCHED_BRACKET'
  | 'INVALID_RANGE'
  | 'NOTHING_TO_REPEAT'
  | 'NESTED_REPEAT'
  | 'EMPTY_REPEAT'
  | 'TRAILING_BACKSLASH'
  | 'TOO_MANY_GROUPS';

/** The short texts the estos driver shows (Spencer's messages), keyed by our code. */
const DRIVER_TEXT: Record<PatternErrorCode, string> = {
  UNMATCHED_PAREN: 'unmatched ()',
  UNMATCHED_BRACKET: 'unmatched []',
  INVALID_RANGE: 'invalid [] range',
  NOTHING_TO_REPEAT: '?+* follows nothing',
  NESTED_REPEAT: 'nested *?+',
  EMPTY_REPEAT: '*+ operand could be empty',
  TRAILING_BACKSLASH: 'trailing \\',
  TOO_MANY_GROUPS: 'too many ()',
};

/** An invalid pattern: what is wrong and where (0-based offset into the pattern). */
export interface PatternError {
  code: PatternErrorCode;
  /** The driver's own short text, e.g. `unmatched ()`. */
  driverText: string;
  /** A human sentence with the facts, including the 1-based position. */
  message: string;
  /** What is wrong, without the driver's text and the position. */
  detail: Coded;
  /** The likely fix as a coded problem (the console words it; `hint` is its English). */
  hintProblem?: Coded;
  offset: number;
  /** How many characters the problem covers (at least 1 when inside the pattern). */
  length: number;
  /** A likely fix, when there is an obvious one (`^+49` → `^\+49`). */
  hint?: string;
}

export class PatternSyntaxError extends Error {
  constructor(readonly error: PatternError) {
    super(error.message);
    this.name = 'PatternSyntaxError';
  }
}

export type Node =
  | { type: 'char'; code: number; pos: number }
  | { type: 'any'; pos: number }
  | { type: 'class'; negated: boolean; ranges: number[]; pos: number; end: number }
  | { type: 'bol'; pos: number }
  | { type: 'eol'; pos: number }
  | { type: 'group'; index: number; body: Node; pos: number }
  | { type: 'concat'; items: Node[] }
  | { type: 'alt'; branches: Node[] }
  | { type: 'repeat'; op: '*' | '+' | '?'; body: Node; pos: number };

export interface ParsedPattern {
  source: string;
  ast: Node;
  groupCount: number;
  /** Constructs that other regex dialects treat specially but this one takes literally (`\d`, `{3}`). */
  literalTraps: Array<{ offset: number; length: number; text: string; kind: 'escape' | 'brace' }>;
}

const META_REPEAT = new Set(['*', '+', '?']);

export function parsePattern(source: string): ParsedPattern {
  let i = 0;
  let groupCount = 0;
  const literalTraps: ParsedPattern['literalTraps'] = [];

  const fail = (code: PatternErrorCode, offset: number, detail: Coded, length = 1, hint?: Coded): never => {
    const err: PatternError = {
      code,
      driverText: DRIVER_TEXT[code],
      message: `${DRIVER_TEXT[code]} at position ${offset + 1}: ${detail.message}`,
      detail,
      offset,
      length,
    };
    if (hint) {
      err.hint = hint.message;
      err.hintProblem = hint;
    }
    throw new PatternSyntaxError(err);
  };

  // Each parse function returns the node and whether it always consumes at least one character
  // (Spencer's HASWIDTH), which decides whether `*`/`+` may follow it.
  function parseAlt(openPos: number): { node: Node; width: boolean } {
    const branches: Node[] = [];
    let width = true;
    for (;;) {
      const b = parseBranch();
      branches.push(b.node);
      if (!b.width) width = false;
      if (source[i] === '|') {
        i++;
        continue;
      }
      break;
    }
    if (openPos >= 0) {
      if (source[i] !== ')') fail('UNMATCHED_PAREN', openPos, coded('pattern.groupOpen'));
      i++;
    } else if (i < source.length) {
      // Only a stray ')' can stop the top level early.
      fail('UNMATCHED_PAREN', i, coded('pattern.closesNone'));
    }
    return { node: branches.length === 1 ? branches[0] : { type: 'alt', branches }, width };
  }

  function parseBranch(): { node: Node; width: boolean } {
    const items: Node[] = [];
    let width = false;
    while (i < source.length && source[i] !== '|' && source[i] !== ')') {
      const p = parsePiece();
      items.push(p.node);
      if (p.width) width = true;
    }
    return { node: items.length === 1 ? items[0] : { type: 'concat', items }, width };
  }

  function parsePiece(): { node: Node; width: boolean } {
    const atom = parseAtom();
    const op = source[i];
    if (op === undefined || !META_REPEAT.has(op)) return atom;
    const opPos = i;
    if (!atom.width && op !== '?') {
      const hint =
        atom.node.type === 'bol' && op === '+' ? coded('pattern.hintInstead', { char: '+', fix: '^\\+', wrong: '^+' }) : undefined;
      fail('EMPTY_REPEAT', opPos, coded('pattern.emptyRepeat', { op }), 1, hint);
    }
    i++;
    if (i < source.length && META_REPEAT.has(source[i])) {
      fail('NESTED_REPEAT', i, coded('pattern.nested', { char: source[i], op }));
    }
    const node: Node = { type: 'repeat', op: op as '*' | '+' | '?', body: atom.node, pos: opPos };
    return { node, width: op === '+' };
  }

  function parseAtom(): { node: Node; width: boolean } {
    const pos = i;
    const ch = source[i++];
    switch (ch) {
      case '^':
        return { node: { type: 'bol', pos }, width: false };
      case '$':
        return { node: { type: 'eol', pos }, width: false };
      case '.':
        return { node: { type: 'any', pos }, width: true };
      case '[':
        return { node: parseClass(pos), width: true };
      case '(': {
        if (groupCount >= MAX_GROUPS) fail('TOO_MANY_GROUPS', pos, coded('pattern.tooManyGroups', { max: MAX_GROUPS }));
        const index = ++groupCount;
        const inner = parseAlt(pos);
        return { node: { type: 'group', index, body: inner.node, pos }, width: inner.width };
      }
      case '*':
      case '+':
      case '?': {
        const hint = ch === '+' || ch === '*' ? coded('pattern.hintBackslash', { char: ch, fix: `\\${ch}` }) : undefined;
        return fail('NOTHING_TO_REPEAT', pos, coded('pattern.nothingBefore', { char: ch }), 1, hint);
      }
      case '\\': {
        if (i >= source.length) fail('TRAILING_BACKSLASH', pos, coded('pattern.trailing'));
        const lit = source[i++];
        if (/[A-Za-z]/.test(lit)) literalTraps.push({ offset: pos, length: 2, text: `\\${lit}`, kind: 'escape' });
        return { node: { type: 'char', code: lit.charCodeAt(0), pos }, width: true };
      }
      default:
        if (ch === '{') {
          const close = source.indexOf('}', i);
          const text = close >= 0 ? source.slice(pos, close + 1) : '{';
          literalTraps.push({ offset: pos, length: text.length, text, kind: 'brace' });
        }
        return { node: { type: 'char', code: ch.charCodeAt(0), pos }, width: true };
    }
  }

  // Inside [] there are no escapes; a leading `]` or `-` is literal, as in Spencer's regatom.
  function parseClass(pos: number): Node {
    let negated = false;
    const ranges: number[] = [];
    if (source[i] === '^') {
      negated = true;
      i++;
    }
    if (source[i] === ']' || source[i] === '-') {
      const c = source.charCodeAt(i++);
      ranges.push(c, c);
    }
    while (i < source.length && source[i] !== ']') {
      if (source[i] === '-' && i + 1 < source.length && source[i + 1] !== ']') {
        const from = source.charCodeAt(i - 1);
        const to = source.charCodeAt(i + 1);
        if (from > to) {
          fail('INVALID_RANGE', i - 1, coded('pattern.rangeBackwards', { range: `${source[i - 1]}-${source[i + 1]}` }), 3, coded('pattern.hintWrite', { fix: `${source[i + 1]}-${source[i - 1]}` }));
        }
        ranges.push(from, to);
        i += 2;
      } else {
        const c = source.charCodeAt(i++);
        ranges.push(c, c);
      }
    }
    if (i >= source.length) fail('UNMATCHED_BRACKET', pos, coded('pattern.bracketOpen'));
    i++;
    return { type: 'class', negated, ranges, pos, end: i };
  }

  const top = parseAlt(-1);
  return { source, ast: top.node, groupCount, literalTraps };
}

/** Parse without throwing: the pattern or the error. */
export function tryParsePattern(source: string): { ok: true; pattern: ParsedPattern } | { ok: false; error: PatternError } {
  try {
    return { ok: true, pattern: parsePattern(source) };
  } catch (e) {
    if (e instanceof PatternSyntaxError) return { ok: false, error: e.error };
    throw e;
  }
}
