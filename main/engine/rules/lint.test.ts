import { describe, expect, it } from 'vitest';
import { compileRules, lintRules, validatePattern, type RuleInput } from './index';

const lint = (rules: RuleInput[]) => lintRules(compileRules(rules));
const codes = (rules: RuleInput[], rule: number) => lint(rules).filter((i) => i.rule === rule).map((i) => i.code);

describe('rule lint', () => {
  it('a well-formed anchored rule gets no warnings', () => {
    expect(lint([{ search: '^0(.*)', replace: '\\1' }])).toEqual([]);
  });
  it('warns when an unanchored pattern drops the digits around the match', () => {
    expect(codes([{ search: '0049', replace: '+49' }], 1)).toEqual(['UNANCHORED_START', 'UNANCHORED_END']);
    expect(codes([{ search: '^0', replace: '' }], 1)).toContain('UNANCHORED_END');
    expect(codes([{ search: '^([0-9][0-9]?[0-9]?)$', replace: '0\\1' }], 1)).toEqual([]);
  });
  it('marks a rule whose empty replacement suppresses numbers', () => {
    expect(codes([{ search: '^[0-9][0-9][0-9]$', replace: '' }], 1)).toEqual(['SUPPRESSES']);
  });
  it('warns about a pattern that matches the empty string', () => {
    expect(codes([{ search: '^[0-9]*$', replace: 'x' }], 1)).toContain('MATCHES_EMPTY');
  });
  it('reports a text rule shadowed by an identical earlier text rule', () => {
    const issues = lint([{ search: '110', replace: 'a', mode: 'text' }, { search: '110', replace: 'b', mode: 'text' }]);
    expect(issues).toEqual([expect.objectContaining({ rule: 2, code: 'SHADOWED', message: expect.stringContaining('rule 1 has the same text') })]);
  });
  it('reports identical patterns, an earlier pattern that covers a text rule, and a catch-all rule', () => {
    expect(codes([{ search: '^0(.*)', replace: '\\1' }, { search: '^0(.*)', replace: 'x\\1' }], 2)).toContain('SHADOWED');
    expect(codes([{ search: '^11(.*)', replace: '\\1' }, { search: '110', replace: '112', mode: 'text' }], 2)).toContain('SHADOWED');
    expect(codes([{ search: '(.*)', replace: '\\1' }, { search: '^9(.*)$', replace: '\\1' }], 2)).toContain('SHADOWED');
    expect(codes([{ search: '^0(.*)', replace: '\\1' }, { search: '^1(.*)', replace: '\\1' }], 2)).not.toContain('SHADOWED');
  });
  it('a disabled earlier rule shadows nothing', () => {
    expect(codes([{ search: '110', replace: 'a', mode: 'text', enabled: false }, { search: '110', replace: 'b', mode: 'text' }], 2)).toEqual([]);
  });
  it('warns about nested repeats that can hang the PBX driver', () => {
    expect(codes([{ search: '^(0+)+1$', replace: 'x' }], 1)).toContain('BACKTRACKING');
  });
  it('warns that a text rule does not expand \\1 and cannot equal a number with spaces', () => {
    expect(codes([{ search: '0 89', replace: '\\1', mode: 'text' }], 1)).toEqual(['TEXT_LITERAL_GROUP', 'TEXT_NEVER_MATCHES']);
  });
  it('warns about a backslash the replacement keeps literally', () => {
    expect(lint([{ search: '^0(.*)$', replace: '\\+49\\1' }])[0]).toMatchObject({ code: 'REPLACE_BACKSLASH', offset: 0 });
  });
});

describe('pattern validation for live typing', () => {
  it('gives the group count of a valid pattern', () => {
    expect(validatePattern('^(0)(.*)$')).toMatchObject({ valid: true, groupCount: 2 });
  });
  it('gives the error with its position and a suggested fix', () => {
    expect(validatePattern('^+49(.*)')).toMatchObject({ valid: false, error: { code: 'EMPTY_REPEAT', offset: 1, hint: expect.stringContaining('^\\+') } });
  });
});
