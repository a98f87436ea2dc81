import { describe, expect, it } from 'vitest';
import { sipFilterSchema } from '../../../shared/model/rules';
import { checkSipLine, compileSipFilter, filterSipLines } from './index';

const filter = (v: unknown) => compileSipFilter(sipFilterSchema.parse(v));

describe('SIP-line filter', () => {
  const rules = filter({
    mode: 'rules',
    rules: [
      { kind: 'nameContains', pattern: 'SIP' },
      { kind: 'numberContains', pattern: '99' },
      { kind: 'nameRegex', pattern: '^Trunk [0-9]+$' },
      { kind: 'numberRegex', pattern: '^7[0-9][0-9]$' },
    ],
  });

  it('with "no detection" every line is taken', () => {
    expect(checkSipLine(filter({ mode: 'none', rules: [{ kind: 'nameContains', pattern: 'SIP' }] }), { name: 'SIP 1', number: '100' })).toMatchObject({ sip: false, rule: null });
  });
  it('detects a line by text in its name and names the rule', () => {
    expect(checkSipLine(rules, { name: 'Office SIP phone', number: '100' })).toMatchObject({ sip: true, rule: 1, field: 'name', match: { start: 7, end: 10 } });
  });
  it('detects a line by text in its number', () => {
    expect(checkSipLine(rules, { name: 'Desk', number: '1990' })).toMatchObject({ sip: true, rule: 2, field: 'number' });
  });
  it('detects a line by a regular expression on its name or number', () => {
    expect(checkSipLine(rules, { name: 'Trunk 12', number: '100' })).toMatchObject({ sip: true, rule: 3, match: { text: 'Trunk 12' } });
    expect(checkSipLine(rules, { name: 'Desk', number: '712' })).toMatchObject({ sip: true, rule: 4 });
  });
  it('keeps a line no rule matches', () => {
    expect(checkSipLine(rules, { name: 'Trunk 12a', number: '7123' })).toMatchObject({ sip: false, rule: null });
  });
  it('text rules are plain text, not patterns', () => {
    const f = filter({ mode: 'rules', rules: [{ kind: 'nameContains', pattern: 'S.P' }] });
    expect(checkSipLine(f, { name: 'SIP', number: '' }).sip).toBe(false);
    expect(checkSipLine(f, { name: 'S.P', number: '' }).sip).toBe(true);
  });
  it('skips an invalid regex rule and reports it with its position', () => {
    const f = filter({ mode: 'rules', rules: [{ kind: 'numberRegex', pattern: '^+49' }, { kind: 'numberRegex', pattern: '^49' }] });
    const r = checkSipLine(f, { name: '', number: '49123' });
    expect(r).toMatchObject({ sip: true, rule: 2 });
    expect(r.errors).toEqual([expect.objectContaining({ rule: 1, code: 'PATTERN_INVALID', offset: 1 })]);
  });
  it('splits discovered lines into kept and filtered, with the rule that filtered each', () => {
    const lines = [
      { name: 'Desk', number: '100' },
      { name: 'SIP 2', number: '101' },
      { name: 'Lab', number: '199' },
    ];
    const r = filterSipLines(rules, lines);
    expect(r.kept).toEqual([lines[0]]);
    expect(r.filtered).toEqual([{ line: lines[1], rule: 1 }, { line: lines[2], rule: 2 }]);
  });
});
