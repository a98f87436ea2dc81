import type { Node, ParsedPattern } from './dialect';

/** Instructions of the matching program (Thompson construction, as in Russ Cox's "Regular Expression Matching: the Virtual Machine Approach"). */
export const enum Op {
  Char = 0,
  Any = 1,
  Class = 2,
  Bol = 3,
  Eol = 4,
  Split = 5, // try a first, then b (a has priority: leftmost-first, greedy)
  Jmp = 6,
  Save = 7,
  Match = 8,
}

export interface CharClass {
  negated: boolean;
  /** Membership of the first 128 code units, for the common (digits) case. */
  ascii: Uint8Array;
  /** Inclusive ranges as pairs, for code units ≥ 128. */
  ranges: number[];
}

export interface Program {
  op: Int32Array;
  a: Int32Array;
  b: Int32Array;
  classes: CharClass[];
  /** Capture slots: 2 per group, group 0 = the whole match. */
  slots: number;
  /** Every match must start at position 0 (each branch begins with `^`): try only there. */
  anchoredStart: boolean;
  /** The characters a match can begin with, or null when a match may be empty or begin with anything. */
  firstChars: { ascii: Uint8Array; nonAscii: boolean } | null;
  /** Literal text every match begins with (after `^` when anchored), e.g. `0049` for `^0049(.*)`; may be empty. */
  literalPrefix: string;
  /**
   * Set when the whole pattern is `^literal(.*)` or `^literal.*` (optionally ending in `$`), the most common
   * rule shape: it matches exactly the numbers starting with the literal, the group being the rest.
   */
  prefixRest: { prefix: string; group: boolean } | null;
}

function isDotStar(n: Node | undefined): boolean {
  return n !== undefined && n.type === 'repeat' && n.op === '*' && n.body.type === 'any';
}

function prefixRestShape(ast: Node, groupCount: number): Program['prefixRest'] {
  const items = ast.type === 'concat' ? [...ast.items] : [ast];
  if (items[0]?.type !== 'bol') return null;
  if (items[items.length - 1]?.type === 'eol') items.pop();
  const last = items.pop();
  let group: boolean;
  if (isDotStar(last)) group = false;
  else if (last?.type === 'group' && isDotStar(last.body)) group = true;
  else return null;
  if (groupCount !== (group ? 1 : 0)) return null;
  let prefix = '';
  for (const item of items.slice(1)) {
    if (item.type !== 'char') return null;
    prefix += String.fromCharCode(item.code);
  }
  return { prefix, group };
}

/** The run of plain characters a pattern starts with: `^0049(.*)` gives `0049`. */
function leadingLiteral(node: Node): string {
  const items = node.type === 'concat' ? node.items : [node];
  let out = '';
  let k = 0;
  if (items[0]?.type === 'bol') k = 1;
  for (; k < items.length; k++) {
    const item = items[k];
    if (item.type !== 'char') break;
    out += String.fromCharCode(item.code);
  }
  return out;
}

export function inClass(cls: CharClass, c: number): boolean {
  let hit: boolean;
  if (c < 128) hit = cls.ascii[c] === 1;
  else {
    hit = false;
    for (let k = 0; k < cls.ranges.length; k += 2) {
      if (c >= cls.ranges[k] && c <= cls.ranges[k + 1]) {
        hit = true;
        break;
      }
    }
  }
  return hit !== cls.negated;
}

function makeClass(negated: boolean, ranges: number[]): CharClass {
  const ascii = new Uint8Array(128);
  for (let k = 0; k < ranges.length; k += 2) {
    for (let c = ranges[k]; c <= Math.min(ranges[k + 1], 127); c++) ascii[c] = 1;
  }
  return { negated, ascii, ranges };
}

/** True when every way through the node starts with `^` (so the search need not try later start positions). */
export function startsWithBol(node: Node): boolean {
  switch (node.type) {
    case 'bol':
      return true;
    case 'group':
      return startsWithBol(node.body);
    case 'concat':
      return node.items.length > 0 && startsWithBol(node.items[0]);
    case 'alt':
      return node.branches.every(startsWithBol);
    default:
      return false;
  }
}

export function compileProgram(parsed: ParsedPattern): Program {
  const op: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  const classes: CharClass[] = [];
  const emit = (o: Op, x = 0, y = 0) => {
    op.push(o);
    a.push(x);
    b.push(y);
    return op.length - 1;
  };

  function gen(n: Node): void {
    switch (n.type) {
      case 'char':
        emit(Op.Char, n.code);
        return;
      case 'any':
        emit(Op.Any);
        return;
      case 'class':
        classes.push(makeClass(n.negated, n.ranges));
        emit(Op.Class, classes.length - 1);
        return;
      case 'bol':
        emit(Op.Bol);
        return;
      case 'eol':
        emit(Op.Eol);
        return;
      case 'group':
        emit(Op.Save, 2 * n.index);
        gen(n.body);
        emit(Op.Save, 2 * n.index + 1);
        return;
      case 'concat':
        for (const item of n.items) gen(item);
        return;
      case 'alt': {
        const jumps: number[] = [];
        for (let k = 0; k < n.branches.length; k++) {
          if (k < n.branches.length - 1) {
            const split = emit(Op.Split);
            a[split] = split + 1;
            gen(n.branches[k]);
            jumps.push(emit(Op.Jmp));
            b[split] = op.length;
          } else gen(n.branches[k]);
        }
        for (const j of jumps) a[j] = op.length;
        return;
      }
      case 'repeat': {
        if (n.op === '+') {
          const start = op.length;
          gen(n.body);
          emit(Op.Split, start, op.length + 1);
        } else if (n.op === '*') {
          const split = emit(Op.Split);
          gen(n.body);
          emit(Op.Jmp, split);
          a[split] = split + 1;
          b[split] = op.length;
        } else {
          const split = emit(Op.Split);
          gen(n.body);
          a[split] = split + 1;
          b[split] = op.length;
        }
        return;
      }
    }
  }

  emit(Op.Save, 0);
  gen(parsed.ast);
  emit(Op.Save, 1);
  emit(Op.Match);
  const prog: Program = {
    op: Int32Array.from(op),
    a: Int32Array.from(a),
    b: Int32Array.from(b),
    classes,
    slots: 2 * (parsed.groupCount + 1),
    anchoredStart: startsWithBol(parsed.ast),
    firstChars: null,
    literalPrefix: leadingLiteral(parsed.ast),
    prefixRest: prefixRestShape(parsed.ast, parsed.groupCount),
  };
  prog.firstChars = firstChars(prog);
  return prog;
}

/** Walks the empty transitions from the start and collects the characters the first step can consume. */
function firstChars(prog: Program): Program['firstChars'] {
  const ascii = new Uint8Array(128);
  let nonAscii = false;
  const seen = new Set<number>();
  const todo = [0];
  while (todo.length) {
    const pc = todo.pop()!;
    if (seen.has(pc)) continue;
    seen.add(pc);
    switch (prog.op[pc]) {
      case Op.Jmp:
        todo.push(prog.a[pc]);
        break;
      case Op.Split:
        todo.push(prog.a[pc], prog.b[pc]);
        break;
      case Op.Save:
      case Op.Bol:
        todo.push(pc + 1);
        break;
      case Op.Char: {
        const c = prog.a[pc];
        if (c < 128) ascii[c] = 1;
        else nonAscii = true;
        break;
      }
      case Op.Class: {
        const cls = prog.classes[prog.a[pc]];
        for (let c = 0; c < 128; c++) if (inClass(cls, c)) ascii[c] = 1;
        nonAscii = true;
        break;
      }
      default:
        // Any, Eol or Match: the first step is unconstrained or the match can be empty.
        return null;
    }
  }
  return { ascii, nonAscii };
}
