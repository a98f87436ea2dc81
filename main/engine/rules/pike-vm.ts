import { inClass, Op, type Program } from './program';

/**
 * A Pike VM: runs all threads of the program in lock step over the input, so the time is
 * O(program length × input length) whatever the pattern (no backtracking blow-up).
 * Threads are kept in priority order, which gives leftmost-first results with greedy repeats,
 * the same answers a backtracking engine such as the estos driver's would give.
 *
 * Returns the capture slots (start/end per group, -1 when a group took no part) or null.
 */
export function pikeSearch(prog: Program, input: string): Int32Array | null {
  const n = prog.op.length;
  const len = input.length;
  const { op, a, b, classes } = prog;
  const visited = new Uint32Array(n);
  let gen = 0;
  let cPc = new Int32Array(n);
  let cCaps: Int32Array[] = new Array(n);
  let cCount = 0;
  let nPc = new Int32Array(n);
  let nCaps: Int32Array[] = new Array(n);
  let nCount = 0;
  const stackPc = new Int32Array(2 * n + 2);
  const stackCaps: Int32Array[] = new Array(2 * n + 2);
  const initial = new Int32Array(prog.slots).fill(-1);
  let matched: Int32Array | null = null;

  // Follows the empty transitions (jumps, splits, saves, assertions) from pc in priority order
  // and appends the threads that wait on a character (or Match) to the list.
  const add = (toNext: boolean, pc0: number, caps0: Int32Array, pos: number) => {
    const listPc = toNext ? nPc : cPc;
    const listCaps = toNext ? nCaps : cCaps;
    let count = toNext ? nCount : cCount;
    let sp = 0;
    stackPc[sp] = pc0;
    stackCaps[sp++] = caps0;
    while (sp > 0) {
      const pc = stackPc[--sp];
      const caps = stackCaps[sp];
      if (visited[pc] === gen) continue;
      visited[pc] = gen;
      switch (op[pc]) {
        case Op.Jmp:
          stackPc[sp] = a[pc];
          stackCaps[sp++] = caps;
          break;
        case Op.Split:
          stackPc[sp] = b[pc];
          stackCaps[sp++] = caps;
          stackPc[sp] = a[pc];
          stackCaps[sp++] = caps;
          break;
        case Op.Save: {
          const copy = caps.slice();
          copy[a[pc]] = pos;
          stackPc[sp] = pc + 1;
          stackCaps[sp++] = copy;
          break;
        }
        case Op.Bol:
          if (pos === 0) {
            stackPc[sp] = pc + 1;
            stackCaps[sp++] = caps;
          }
          break;
        case Op.Eol:
          if (pos === len) {
            stackPc[sp] = pc + 1;
            stackCaps[sp++] = caps;
          }
          break;
        default:
          listPc[count] = pc;
          listCaps[count++] = caps;
      }
    }
    if (toNext) nCount = count;
    else cCount = count;
  };

  gen++;
  for (let i = 0; i <= len; i++) {
    // A new thread starting here has lower priority than every thread that started earlier.
    if (matched === null && (i === 0 || !prog.anchoredStart)) add(false, 0, initial, i);
    if (cCount === 0) {
      if (matched !== null || prog.anchoredStart) break;
      continue;
    }
    gen++;
    nCount = 0;
    const c = i < len ? input.charCodeAt(i) : -1;
    for (let t = 0; t < cCount; t++) {
      const pc = cPc[t];
      switch (op[pc]) {
        case Op.Match:
          matched = cCaps[t];
          t = cCount; // threads after this one have lower priority: drop them
          break;
        case Op.Char:
          if (c === a[pc]) add(true, pc + 1, cCaps[t], i + 1);
          break;
        case Op.Any:
          if (c >= 0) add(true, pc + 1, cCaps[t], i + 1);
          break;
        case Op.Class:
          if (c >= 0 && inClass(classes[a[pc]], c)) add(true, pc + 1, cCaps[t], i + 1);
          break;
      }
    }
    const tp = cPc;
    cPc = nPc;
    nPc = tp;
    const tc = cCaps;
    cCaps = nCaps;
    nCaps = tc;
    cCount = nCount;
    if (cCount === 0 && (matched !== null || (prog.anchoredStart && i > 0))) break;
  }
  return matched;
}
