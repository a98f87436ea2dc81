/** A small seeded generator (mulberry32) for the randomised tests, so a failure can be replayed. */
export function seededRandom(seed: number): (n: number) => number {
  let s = seed | 0;
  return (n) => {
    // The low bits of a plain LCG repeat too soon for small moduli; mulberry32 does not.
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}
