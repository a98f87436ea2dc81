import { describe, expect, it } from 'vitest';
import { compilePattern, test as matches } from './pattern';
import { DIALABLE_ALPHABET, patternContains } from './containment';
import { compileRules, lintRules, type RuleInput } from './index';
import { CONTAINMENT_TOTAL_WORK, estimateLintWork } from './lint';
import { seededRandom } from './seeded-random';

function compiled(source: string) {
  const r = compilePattern(source);
  if (!r.ok) throw new Error(`bad pattern ${source}`);
  return r.pattern;
}

/** `every`: any character may appear (numbers not normalised). */
const contains = (earlier: string, later: string, alphabet: string[] | 'every' = DIALABLE_ALPHABET) =>
  patternContains(compiled(earlier).program, compiled(later).program, { alphabet: alphabet === 'every' ? undefined : alphabet, budget: 100_000 }).result;

describe('pattern containment on the compiled automata', () => {
  it('an earlier, broader prefix covers a longer one, not the other way round', () => {
    expect(contains('^0(.*)', '^0891(.*)')).toBe('contained');
    expect(contains('^0891(.*)', '^0(.*)')).toBe('not');
    expect(contains('^0(.*)', '^1(.*)')).toBe('not');
  });

  it('works with classes, alternation, repeats and the end anchor', () => {
    expect(contains('^1', '^1[0-9][0-9]$')).toBe('contained');
    expect(contains('^(1|2)(.*)', '^2[0-9]+$')).toBe('contained');
    expect(contains('^[0-9]+$', '^0[0-9]*$')).toBe('contained');
    // "0+" is a number after normalisation, and only the later pattern matches it.
    expect(contains('^0[0-9]*$', '^0(.*)')).toBe('not');
    // The empty number: only the later pattern matches it.
    expect(contains('^[0-9]+', '^[0-9]*$')).toBe('not');
  });

  it('an unanchored pattern matches anywhere in the number, as the formatter searches', () => {
    expect(contains('5', '^[0-9]*5$')).toBe('contained');
    expect(contains('^5', '5$')).toBe('not');
    expect(contains('49', '^0049(.*)')).toBe('contained');
  });

  it('decides over the characters numbers hold: dialable ones after normalisation, every character without it', () => {
    expect(contains('^0[0-9+*#]', '^0.')).toBe('contained');
    expect(contains('^0[0-9+*#]', '^0.', 'every')).toBe('not');
    expect(contains('^0(.*)', '^0[a-z]', 'every')).toBe('contained');
    expect(contains('^0[^a]', '^0[b-z]', 'every')).toBe('contained');
    expect(contains('^0[^a]', '^0[a-z]', 'every')).toBe('not');
  });

  it('stops at its budget and then decides nothing', () => {
    // The DFA of "the 12th character from the end is 1" has thousands of states.
    const hard = `[01]*1${'[01]'.repeat(11)}$`;
    const r = patternContains(compiled(hard).program, compiled(`${hard}0`).program, { alphabet: ['0', '1'], budget: 5_000 });
    expect(r.result).toBe('unknown');
    expect(r.work).toBeLessThanOrEqual(5_000);
  });

  it('agrees with matching every number up to six characters (random patterns)', () => {
    const rnd = seededRandom(18);
    const atoms = ['0', '1', '2', '[0-1]', '[^2]', '.', '(0|12)', '(1*)', '0?', '2+'];
    const randomPattern = () => (rnd(2) ? '^' : '') + Array.from({ length: 1 + rnd(3) }, () => atoms[rnd(atoms.length)]).join('') + ['', '$', '(.*)'][rnd(3)];
    const alphabet = ['0', '1', '2'];
    const numbers: string[] = [''];
    for (let len = 1; len <= 6; len++) for (let k = 0; k < 3 ** len; k++) numbers.push(k.toString(3).padStart(len, '0'));
    for (let n = 0; n < 150; n++) {
      const [a, b] = [randomPattern(), randomPattern()];
      const result = contains(a, b, alphabet);
      const counterexample = numbers.find((x) => matches(compiled(b), x) && !matches(compiled(a), x));
      const where = `${a} over ${b}: ${result}, counterexample ${counterexample}`;
      if (result === 'contained') expect(counterexample, where).toBeUndefined();
      if (result === 'not') expect(counterexample, where).toBeDefined();
      expect(result, where).not.toBe('unknown');
    }
  });
});

describe('lint: a rule an earlier, broader rule always wins over', () => {
  const lint = (rules: RuleInput[], normalise = true) => lintRules(compileRules(rules), { normalise });
  it('flags ^0891(.*) after ^0(.*), naming the earlier rule and its pattern', () => {
    const issues = lint([{ search: '^0(.*)', replace: '\\1' }, { search: '^0891(.*)', replace: '+49891\\1' }]);
    expect(issues).toEqual([
      expect.objectContaining({ rule: 2, code: 'SHADOWED', params: { kind: 'covers', earlier: 1, value: '^0(.*)' }, message: 'rule 2 can never fire: every number it matches is matched by rule 1 ("^0(.*)"), which comes first' }),
    ]);
    expect(lint([{ search: '^0891(.*)', replace: '+49891\\1' }, { search: '^0(.*)', replace: '\\1' }])).toEqual([]);
  });
  it('a disabled earlier rule covers nothing', () => {
    expect(lint([{ search: '^0(.*)', replace: '\\1', enabled: false }, { search: '^0891(.*)', replace: '\\1' }])).toEqual([]);
  });
  it('bounds the work of a long list: the estimate includes the containment tests and is never exceeded', () => {
    const rules = Array.from({ length: 300 }, (_, k) => ({ search: `^${k}(.*)$`, replace: '\\1' }));
    const estimate = estimateLintWork(compileRules(rules)).work;
    expect(estimate).toBeLessThan(CONTAINMENT_TOTAL_WORK + 100_000);
    // ^1(.*)$ comes before ^10(.*)$ … ^19(.*)$: those found within the budget are flagged.
    expect(lint(rules).some((i) => i.code === 'SHADOWED' && i.params?.kind === 'covers')).toBe(true);
  });
});
