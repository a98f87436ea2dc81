import { describe, expect, it } from 'vitest';
import { compilePattern, search, tryParsePattern } from './index';
import { seededRandom } from './seeded-random';
import { pikeSearch, runVm, vmThreadSteps } from './pike-vm';

const errorOf = (p: string) => {
  const r = tryParsePattern(p);
  if (r.ok) throw new Error(`expected ${p} to be rejected`);
  return r.error;
};
const compiled = (p: string) => {
  const r = compilePattern(p);
  if (!r.ok) throw new Error(r.error.message);
  return r.pattern;
};
const find = (p: string, input: string) => {
  const m = search(compiled(p), input);
  return m ? input.slice(m.start, m.end) : null;
};

describe('pattern dialect: errors name the problem and its position', () => {
  it.each([
    ['^([0-9]', 'UNMATCHED_PAREN', 'unmatched ()', 1],
    ['12)3', 'UNMATCHED_PAREN', 'unmatched ()', 2],
    ['^[0-9', 'UNMATCHED_BRACKET', 'unmatched []', 1],
    ['[^]', 'UNMATCHED_BRACKET', 'unmatched []', 0],
    ['[9-0]', 'INVALID_RANGE', 'invalid [] range', 1],
    ['*12', 'NOTHING_TO_REPEAT', '?+* follows nothing', 0],
    ['1|+2', 'NOTHING_TO_REPEAT', '?+* follows nothing', 2],
    ['(?=1)', 'NOTHING_TO_REPEAT', '?+* follows nothing', 1],
    ['1**', 'NESTED_REPEAT', 'nested *?+', 2],
    ['1+?', 'NESTED_REPEAT', 'nested *?+', 2],
    ['(a*)*', 'EMPTY_REPEAT', '*+ operand could be empty', 4],
    ['^+49', 'EMPTY_REPEAT', '*+ operand could be empty', 1],
    ['12\\', 'TRAILING_BACKSLASH', 'trailing \\', 2],
    ['(1)(2)(3)(4)(5)(6)(7)(8)(9)(0)', 'TOO_MANY_GROUPS', 'too many ()', 27],
  ])('rejects %s with %s', (pattern, code, driverText, offset) => {
    const e = errorOf(pattern);
    expect(e).toMatchObject({ code, driverText, offset });
    expect(e.message).toContain(`position ${offset + 1}`);
  });

  it('accepts a repeat of a group that always consumes a character, like (0+)+', () => {
    expect(tryParsePattern('(0+)+1$').ok).toBe(true);
  });
  it('accepts nine groups, the driver\'s maximum', () => {
    expect(compiled('(1)(2)(3)(4)(5)(6)(7)(8)(9)').groupCount).toBe(9);
  });
});

describe('pattern dialect: matching', () => {
  it('a backslash makes any character literal', () => {
    expect(find('\\.', '1.2')).toBe('.');
    expect(find('\\(1\\)', 'x(1)')).toBe('(1)');
    expect(find('\\d', '12d')).toBe('d');
  });
  it('a leading ] or - inside brackets is literal, and there are no escapes inside brackets', () => {
    expect(find('[]1]+', 'x]1]')).toBe(']1]');
    expect(find('[-1]+', 'x-1')).toBe('-1');
    expect(find('[1-]+', 'x-1')).toBe('-1');
    expect(find('[\\d]+', 'x\\d')).toBe('\\d');
  });
  it('a caret after [ excludes the listed characters', () => {
    expect(find('[^0-8]', '0189')).toBe('9');
  });
  it('^ and $ anchor to the start and end of the number wherever they appear', () => {
    expect(find('152$', '1521152')).toBe('152');
    expect(search(compiled('152$'), '1521152')!.start).toBe(4);
    expect(find('1|^2', '321')).toBe('1');
    expect(find('x^1', 'x1')).toBeNull();
  });
  it('the search finds the leftmost match', () => {
    expect(search(compiled('9+'), '1299399')).toMatchObject({ start: 2, end: 4 });
  });
  it('matches names with characters beyond ASCII', () => {
    expect(find('Müller|Straße', 'Hr. Müller')).toBe('Müller');
    expect(find('[ä-ü]+', 'xöy')).toBe('ö');
    expect(find('[^ä]', 'äb')).toBe('b');
  });
});

describe('pattern dialect: linear time on hostile patterns', () => {
  // These freeze a backtracking engine (V8 RegExp needs seconds from n≈32 for the first one).
  // Work is counted in VM thread steps, not time, so the tests do not depend on the machine's load.
  const hostile = ['(0+)+1$', '(.+)+x', '(0|00)+1$', '^(0+0+)+1', '(0+)+(0+)+(0+)+1$', '.+.+.+.+.+.+.+.+x'];
  const work = (pattern: string, n: number) => {
    const p = compiled(pattern);
    const input = '0'.repeat(n) + '2';
    const before = vmThreadSteps();
    expect(search(p, input)).toBeNull();
    return { steps: vmThreadSteps() - before, size: p.program.op.length };
  };
  it.each(hostile)('%s on a 10,000-character number does at most (pattern size × length) steps', (p) => {
    const { steps, size } = work(p, 10_000);
    expect(steps).toBeGreaterThan(10_000);
    expect(steps).toBeLessThanOrEqual(size * 10_002);
  });
  it.each(hostile)('%s: ten times the input is ten times the work, not exponentially more', (p) => {
    const small = work(p, 1000).steps;
    const large = work(p, 10_000).steps;
    expect(large / small).toBeGreaterThan(8);
    expect(large / small).toBeLessThan(11);
  });
});

// Differential test: on patterns where the dialect and JS agree (no traps, no groups inside repeats,
// where JS resets captures), our VM must give the same match and groups as V8. V8 is the test oracle only.
describe('pattern dialect: agrees with a reference engine on random patterns', () => {
  const rnd = seededRandom(42);
  const atom = (): string => ['0', '1', '2', '.', '[01]', '[^0]', '[0-1]'][rnd(7)];
  const piece = (): string => atom() + ['', '', '*', '+', '?'][rnd(5)];
  const seq = (max: number) => Array.from({ length: 1 + rnd(max) }, piece).join('');
  const branch = (): string => {
    const parts: string[] = [];
    const n = 1 + rnd(3);
    for (let k = 0; k < n; k++) parts.push(rnd(3) === 0 ? `(${seq(3)}${rnd(3) === 0 ? '|' + seq(2) : ''})` : seq(2));
    return parts.join('');
  };
  const pattern = () => (rnd(3) === 0 ? '^' : '') + branch() + (rnd(4) === 0 ? '|' + branch() : '') + (rnd(3) === 0 ? '$' : '');

  it('2,000 random patterns give the same spans and groups as V8', () => {
    let compared = 0;
    for (let k = 0; k < 2000; k++) {
      const p = pattern();
      const ours = compilePattern(p);
      if (!ours.ok) continue;
      const js = new RegExp(p);
      for (let m = 0; m < 5; m++) {
        const input = Array.from({ length: rnd(8) }, () => '012'[rnd(3)]).join('');
        const expected = js.exec(input);
        const got = search(ours.pattern, input);
        if (expected === null) {
          expect(got, `${p} on "${input}"`).toBeNull();
          continue;
        }
        expect(got, `${p} on "${input}"`).not.toBeNull();
        const groups = got!.spans.map((s) => (s ? input.slice(s.start, s.end) : undefined));
        expect(groups, `${p} on "${input}"`).toEqual(Array.from(expected));
        expect(got!.start).toBe(expected.index);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });
});

describe('pattern dialect: the shortcut for ^literal(.*)', () => {
  const shapes = ['^0(.*)', '^80(.*)', '^\\+49891234(.*)', '^\\*31#(.*)$', '^(.*)', '^0.*', '^.*$', '^00(.*)$', '^0\\(.*'];
  const notShapes = ['^0(.*)1', '0(.*)', '^0(.+)', '^0([0-9]*)', '^(0)(.*)', '^0(.*)|1', '^0(.*)$1'];
  it.each(shapes)('%s takes the shortcut and agrees with the VM', (p) => {
    const pattern = compiled(p);
    expect(pattern.program.prefixRest).not.toBeNull();
    for (const input of ['', '0', '00', '0891234', '80891234', '+49891234567', '*31#0891', '1', '+', 'x0', '0(1']) {
      expect(pikeSearch(pattern.program, input), `${p} on "${input}"`).toEqual(runVm(pattern.program, input));
    }
  });
  it.each(notShapes)('%s runs in the VM', (p) => {
    expect(compiled(p).program.prefixRest).toBeNull();
  });
});
