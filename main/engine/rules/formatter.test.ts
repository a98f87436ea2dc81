import { describe, expect, it } from 'vitest';
import { checkNumber, compileRules, formatNumber, type RuleInput } from './index';
import { seededRandom } from './seeded-random';

const run = (rules: RuleInput[], input: string) => checkNumber(rules, input);
const rx = (search: string, replace: string): RuleInput => ({ search, replace });
const lit = (search: string, replace: string): RuleInput => ({ search, replace, mode: 'text' });

describe('number rules: the manuals\' examples', () => {
  // Panasonic / CME / BroadWorks manuals, section "Phone Number Format".
  const cases: Array<[string, string, string, string]> = [
    ['^0(.*)', '\\1', '0891234', '891234'],
    ['^80(.*)', '0\\1', '80891234', '0891234'],
    ['^50[0-9][0-9][0-9](.*)', '\\1', '501230891234', '0891234'],
    ['^[0-9][0-9][0-9]$', '', '123', ''],
    ['^[0-9][0-9][0-9]$', '', '1234', '1234'],
    ['^([0-9][0-9][0-9].+)', '0\\1', '1234567', '01234567'],
    ['^([0-9][0-9][0-9].+)', '0\\1', '123', '123'],
    ['^([0-9][0-9]?[0-9]?)$', '03012345\\1', '1', '030123451'],
    ['^([0-9][0-9]?[0-9]?)$', '03012345\\1', '12', '0301234512'],
    ['^([0-9][0-9]?[0-9]?)$', '03012345\\1', '123', '03012345123'],
    ['^([0-9][0-9]?[0-9]?)$', '03012345\\1', '1234', '1234'],
    ['^([^0][0-9][0-9][0-9].*)', '08151\\1', '123456', '08151123456'],
    ['^([^0][0-9][0-9][0-9].*)', '08151\\1', '0123', '0123'],
    ['^\\+49891234(.*)', '80\\1', '+49891234567', '80567'],
    ['^11833$', '11855', '11833', '11855'],
    ['^115$', '215', '115', '215'],
  ];
  it.each(cases)('pattern %s with replacement "%s" turns %s into "%s"', (search, replace, input, expected) => {
    expect(run([rx(search, replace)], input).output).toBe(expected);
  });

  it('suppresses a three-digit internal number and reports it as suppressed, not as unchanged', () => {
    const t = run([rx('^[0-9][0-9][0-9]$', '')], '123');
    expect(t).toMatchObject({ output: '', outcome: 'suppressed', suppressed: true, rule: 1, emptyInput: false });
    expect(t.warnings.some((w) => w.code === 'SUPPRESSES' && w.rule === 1)).toBe(true);
  });

  // The English Panasonic manual prints these three without the group their \1 needs.
  it.each([
    ['^[0-9][0-9][0-9].+', '0\\1', '1234567', '0'],
    ['^[0-9][0-9]?[0-9]?$', '03012345\\1', '12', '03012345'],
    ['^[^0][0-9][0-9][0-9].*', '08151\\1', '123456', '08151'],
  ])('flags the Panasonic manual typo %s -> %s: \\1 names a missing group and expands to nothing', (search, replace, input, expected) => {
    const t = run([rx(search, replace)], input);
    expect(t.output).toBe(expected);
    const w = t.warnings.find((x) => x.code === 'GROUP_MISSING');
    expect(w).toMatchObject({ rule: 1, field: 'replace', offset: replace.indexOf('\\1'), length: 2 });
    expect(w!.message).toContain('no groups');
  });
});

describe('number rules: golden vectors of the reference', () => {
  it('an empty number stays empty when no rule matches, and is not reported as suppressed', () => {
    const t = run([rx('^0(.*)', '\\1')], '');
    expect(t).toMatchObject({ output: '', outcome: 'unchanged', suppressed: false, emptyInput: true, rule: null });
  });
  it('a pattern that can match nothing still fires on an empty number', () => {
    expect(run([rx('(.*)', 'X\\1')], '').output).toBe('X');
  });
  it('an escaped plus matches the international prefix', () => {
    expect(run([rx('^\\+49(.*)', '0\\1')], '+4989123456').output).toBe('089123456');
  });
  it('skips an invalid rule, uses the next one, and reports the error with its position and a fix', () => {
    const t = run([rx('^+49(.*)', '0\\1'), rx('^(.*)$', '\\1')], '+4989123456');
    expect(t.output).toBe('+4989123456');
    expect(t.rule).toBe(2);
    expect(t.steps[0].result).toBe('invalid');
    const e = t.warnings.find((w) => w.code === 'PATTERN_INVALID');
    expect(e).toMatchObject({ rule: 1, severity: 'error', offset: 1 });
    expect(e!.hint).toContain('^\\+');
  });
  it('an unclosed group is an error and leaves the number unchanged', () => {
    const t = run([rx('^([0-9]', '\\1')], '123');
    expect(t).toMatchObject({ output: '123', outcome: 'unchanged' });
    expect(t.warnings[0].message).toContain('unmatched ()');
  });
  it('a text rule compares the whole number', () => {
    expect(run([lit('11833', '11855')], '118330').output).toBe('118330');
    expect(run([lit('11833', '11855')], '11833').output).toBe('11855');
  });
  it('a text rule gives no meaning to regex characters', () => {
    expect(run([lit('+49.89', 'X')], '+49189').outcome).toBe('unchanged');
  });
  it('the first matching rule wins', () => {
    const rules = [rx('^[0-9][0-9][0-9]$', ''), rx('^([0-9][0-9]?[0-9]?)$', '03012345\\1')];
    expect(run(rules, '123')).toMatchObject({ output: '', rule: 1 });
    expect(run(rules, '12')).toMatchObject({ output: '0301234512', rule: 2 });
  });
  it('the output is the replacement only, not a substitution inside the number, and the trace says what was dropped', () => {
    const t = run([rx('0049', '+49')], '004989123');
    expect(t.output).toBe('+49');
    expect(t.steps[0].match).toEqual({ start: 0, end: 4, text: '0049' });
    expect(t.warnings.find((w) => w.code === 'PARTIAL_MATCH')!.message).toContain('characters 1..4 of 9');
  });
  it('\\0 and & give the whole match', () => {
    expect(run([rx('^0(.*)', '\\0')], '0891234').output).toBe('0891234');
    expect(run([rx('^0(.*)', '[&]')], '0891234').output).toBe('[0891234]');
  });
  it('\\10 is group 1 followed by a zero', () => {
    expect(run([rx('^(.)(.*)', '\\10')], '5123').output).toBe('50');
  });
  it('alternation prefers the first branch, not the longest', () => {
    expect(run([rx('^(0|00)(.*)', '[\\1]\\2')], '0049').output).toBe('[0]049');
  });
  it('repeats are greedy and a later group can be empty', () => {
    const t = run([rx('^(.*)(.*)$', '\\1|\\2')], '123');
    expect(t.output).toBe('123|');
    expect(t.groups).toEqual(['123', '']);
  });
  it('a group that took no part expands to nothing and shows as null', () => {
    const t = run([rx('^(\\+)?0*(.*)', '\\1\\2')], '0089');
    expect(t.output).toBe('89');
    expect(t.groups).toEqual([null, '89']);
  });
  it('star and hash are ordinary number characters', () => {
    expect(run([rx('^\\*31#(.*)', '\\1')], '*31#0891234').output).toBe('0891234');
  });
  it('removing the only digit suppresses the number, and the trace warns that this was probably not meant', () => {
    const t = run([rx('^0(.*)', '\\1')], '0');
    expect(t).toMatchObject({ output: '', suppressed: true });
    expect(t.warnings).toContainEqual(expect.objectContaining({ rule: 1, code: 'EMPTY_OUTPUT' }));
    expect(run([rx('^0(.*)', '\\1')], '01').warnings.map((w) => w.code)).not.toContain('EMPTY_OUTPUT');
  });
  it('\\& and \\\\ in the replacement are a literal & and backslash', () => {
    expect(run([rx('^9(.*)', 'A\\&B\\\\C')], '9123').output).toBe('A&B\\C');
  });
  it('{3} is plain text in this dialect, and the lint says so', () => {
    const t = run([rx('^[0-9]{3}$', 'X')], '123');
    expect(t.outcome).toBe('unchanged');
    expect(t.warnings.find((w) => w.code === 'DIALECT_BRACE')).toMatchObject({ offset: 6, length: 3 });
    expect(checkNumber([rx('^[0-9]{3}$', 'X')], '5{3}', { normalise: false }).output).toBe('X');
  });
  it('\\d is the letter d in this dialect, and the lint says so', () => {
    const t = run([rx('^\\d+$', 'X')], '123');
    expect(t.outcome).toBe('unchanged');
    expect(t.warnings.find((w) => w.code === 'DIALECT_ESCAPE')!.message).toContain('[0-9]');
  });
  it('strips characters a number cannot hold before the rules run', () => {
    const t = run([rx('^0(.*)', '\\1')], '0 89 / 123-45');
    expect(t).toMatchObject({ normalised: '08912345', output: '8912345' });
  });
});

describe('number rules: trace', () => {
  it('lists every rule with pass or fail, the match span, groups and the winner', () => {
    const t = run([{ search: '^9', replace: 'x', enabled: false }, rx('^1(.*)', 'a'), rx('^0(8)(.*)$', '\\2'), rx('(.*)', 'z')], '0891');
    expect(t.steps.map((s) => s.result)).toEqual(['disabled', 'no-match', 'matched', 'not-tried']);
    expect(t.steps[2]).toMatchObject({ match: { start: 0, end: 4, text: '0891' }, groups: [{ start: 1, end: 2, text: '8' }, { start: 2, end: 4, text: '91' }], output: '91' });
    expect(t.rule).toBe(3);
  });
  it('the fast path gives the same answer as the trace', () => {
    const rules = compileRules([rx('^0(.*)', '\\1'), rx('^([1-9][0-9]?)$', '030\\1')]);
    expect(formatNumber(rules, '0891')).toEqual({ output: '891', outcome: 'rewritten', rule: 1 });
    expect(formatNumber(rules, '12')).toEqual({ output: '03012', outcome: 'rewritten', rule: 2 });
    expect(formatNumber(rules, '123')).toEqual({ output: '123', outcome: 'unchanged', rule: null });
  });
});

describe('number rules: the fast path skips only rules that cannot match', () => {
  it('gives the same winner and output as trying every rule, on random lists and numbers', () => {
    const rnd = seededRandom(3);
    const shapes = ['^0(.*)', '^00(.*)', '^\\+49(.*)', '^[1-3][0-9]$', '(.*)', '49', '^(0|\\*)(.*)', '^[^0](.*)', '^$', '^#?1(.*)', '2$'];
    for (let k = 0; k < 1000; k++) {
      const rules: RuleInput[] = Array.from({ length: 1 + rnd(5) }, () =>
        rnd(4) === 0 ? { search: ['0', '110', '', '+49'][rnd(4)], replace: 'T', mode: 'text', enabled: rnd(5) > 0 } : { search: shapes[rnd(shapes.length)], replace: '<\\1>', enabled: rnd(5) > 0 },
      );
      const compiled = compileRules(rules);
      for (let m = 0; m < 10; m++) {
        const number = Array.from({ length: rnd(7) }, () => '0123+*#49'[rnd(9)]).join('');
        const slow = checkNumber(rules, number);
        expect(formatNumber(compiled, number), `${JSON.stringify(rules)} on "${number}"`).toEqual({ output: slow.output, outcome: slow.outcome, rule: slow.rule });
      }
    }
  });
});

describe('number rules: repeated checks of the same list', () => {
  it('an edited rule list is checked with the edit, not with a remembered earlier version', () => {
    const before = checkNumber([{ search: '^0(.*)', replace: '\\1' }], '012');
    const after = checkNumber([{ search: '^0(.*)', replace: '9\\1' }], '012');
    const disabled = checkNumber([{ search: '^0(.*)', replace: '9\\1', enabled: false }], '012');
    expect([before.output, after.output, disabled.output]).toEqual(['12', '912', '012']);
  });
});
