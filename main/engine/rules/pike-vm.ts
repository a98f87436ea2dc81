import { inClass, Op, type Program } from './program';

/** Scratch space for one program, reused across searches (matching is synchronous, so never shared mid-run). */
interface VmState {
  visited: Uint32Array;
  gen: number;
  cPc: Int32Array;
  cCaps: number[][];
  nPc: Int32Array;
  nCaps: number[][];
  stackPc: Int32Array;
  stackCaps: number[][];
  initial: number[];
}

const states = new WeakMap<Program, VmState>();

let threadSteps = 0;
/** Total threads the VM has advanced so far: a deterministic measure of work, for the linear-time tests. */
export function vmThreadSteps(): number {
  return threadSteps;
}

function stateFor(prog: Program): VmState {
  let s = states.get(prog);
  if (!s) {
    const n = prog.op.length;
    s = {
      visited: new Uint32Array(n),
      gen: 0,
      cPc: new Int32Array(n),
      cCaps: new Array(n),
      nPc: new Int32Array(n),
      nCaps: new Array(n),
      stackPc: new Int32Array(2 * n + 2),
      stackCaps: new Array(2 * n + 2),
      initial: new Array(prog.slots).fill(-1),
    };
    states.set(prog, s);
  }
  return s;
}

/**
 * A Pike VM: runs all threads of the program in lock step over the input, so the time is
 * O(program length × input length) whatever the pattern (no backtracking blow-up).
 * Threads are kept in priority order, which gives leftmost-first results with greedy repeats,
 * the same answers a backtracking engine such as the estos driver's would give.
 *
 * Returns the capture slots (start/end per group, -1 when a group took no part) or null.
 */
export function pikeSearch(prog: Program, input: string): number[] | null {
  const len = input.length;
  const shape = prog.prefixRest;
  if (shape !== null) {
    if (!input.startsWith(shape.prefix)) return null;
    return shape.group ? [0, len, shape.prefix.length, len] : [0, len];
  }
  return runVm(prog, input);
}

/** The VM itself, without the shortcut for `^literal(.*)`; exported so tests can check the two agree. */
export function runVm(prog: Program, input: string): number[] | null {
  const len = input.length;
  const prefix = prog.literalPrefix;
  if (prefix !== '' && (prog.anchoredStart ? !input.startsWith(prefix) : !input.includes(prefix))) return null;
  const first = prog.firstChars;
  // Cheap rejection: most rules of a list fail on the first character they could start with.
  if (first !== null) {
    if (prog.anchoredStart) {
      if (len === 0) return null;
      const c = input.charCodeAt(0);
      if (c < 128 ? first.ascii[c] === 0 : !first.nonAscii) return null;
    } else {
      let k = 0;
      for (; k < len; k++) {
        const c = input.charCodeAt(k);
        if (c < 128 ? first.ascii[c] === 1 : first.nonAscii) break;
      }
      if (k === len) return null;
    }
  }

  const st = stateFor(prog);
  const { op, a, b, classes } = prog;
  const { visited, stackPc, stackCaps } = st;
  let cPc = st.cPc;
  let cCaps = st.cCaps;
  let nPc = st.nPc;
  let nCaps = st.nCaps;
  let cCount = 0;
  let nCount = 0;
  let matched: number[] | null = null;
  // Each position uses a fresh generation; start over well before the 32-bit marks could wrap.
  if (st.gen + len + 4 >= 0xffffffff) {
    visited.fill(0);
    st.gen = 0;
  }
  let gen = st.gen;

  // Follows the empty transitions (jumps, splits, saves, assertions) from pc in priority order
  // and appends the threads that wait on a character (or Match) to the list.
  const add = (listPc: Int32Array, listCaps: number[][], count: number, pc0: number, caps0: number[], pos: number): number => {
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
    return count;
  };

  gen++;
  for (let i = 0; i <= len; i++) {
    // A new thread starting here has lower priority than every thread that started earlier.
    if (matched === null && (i === 0 || !prog.anchoredStart)) cCount = add(cPc, cCaps, cCount, 0, st.initial, i);
    if (cCount === 0) {
      if (matched !== null || prog.anchoredStart) break;
      continue;
    }
    gen++;
    nCount = 0;
    threadSteps += cCount;
    const c = i < len ? input.charCodeAt(i) : -1;
    for (let t = 0; t < cCount; t++) {
      const pc = cPc[t];
      switch (op[pc]) {
        case Op.Match:
          matched = cCaps[t];
          t = cCount; // threads after this one have lower priority: drop them
          break;
        case Op.Char:
          if (c === a[pc]) nCount = add(nPc, nCaps, nCount, pc + 1, cCaps[t], i + 1);
          break;
        case Op.Any:
          if (c >= 0) nCount = add(nPc, nCaps, nCount, pc + 1, cCaps[t], i + 1);
          break;
        case Op.Class:
          if (c >= 0 && inClass(classes[a[pc]], c)) nCount = add(nPc, nCaps, nCount, pc + 1, cCaps[t], i + 1);
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
    if (cCount === 0 && (matched !== null || prog.anchoredStart)) break;
  }
  st.gen = gen;
  return matched;
}
