import { describe, expect, it } from 'vitest';
import { checkBulk, compileRules, exportRuleFile, parseBulkText, parseRuleFile, runRuleTests } from './index';

describe('rule files', () => {
  it('accepts the minimal form, with mode defaulting to regex', () => {
    const r = parseRuleFile('{"incoming":[{"search":"^0(.*)","replace":"\\\\1","mode":"regex"}],"outgoing":[],"dialing":[]}');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.format.incoming).toEqual([{ enabled: true, mode: 'regex', search: '^0(.*)', replace: '\\1' }]);
    expect(parseRuleFile('{"dialing":[{"search":"^0","replace":""}]}')).toMatchObject({ ok: true, format: { dialing: [{ mode: 'regex' }] } });
  });
  it('exports and re-imports a rule set with its tests unchanged', () => {
    const r = parseRuleFile(
      JSON.stringify({
        incoming: [{ search: '^0(.*)', replace: '\\1', note: 'drop 0' }],
        outgoing: [{ search: '110', replace: '', mode: 'text', enabled: false }],
        dialing: [],
        tests: { incoming: [{ input: '089', expected: '89' }] },
      }),
    );
    if (!r.ok) throw new Error('parse failed');
    const again = parseRuleFile(exportRuleFile(r.format));
    expect(again).toEqual({ ok: true, format: r.format });
  });
  it('names the line and column of broken JSON', () => {
    const r = parseRuleFile('{\n  "incoming": [,]\n}');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ code: 'RULE_FILE_JSON', line: 2, column: 16 });
    expect(parseRuleFile('{"incoming": [').ok).toBe(false);
  });
  it('names the list and rule of a malformed rule, and rejects unknown keys', () => {
    const r = parseRuleFile('{"incoming":[{"search":"^0"}]}');
    expect(r).toMatchObject({ ok: false, errors: [{ code: 'RULE_FILE_SCHEMA', list: 'incoming', rule: 1, message: expect.stringContaining('incoming rule 1: replace') }] });
    expect(parseRuleFile('{"incomming":[]}').ok).toBe(false);
  });
  it('with pattern checking, names the list, rule and position of an invalid pattern', () => {
    const r = parseRuleFile('{"outgoing":[{"search":"^0","replace":""},{"search":"^+49(.*)","replace":"0\\\\1"}]}', { checkPatterns: true });
    expect(r).toMatchObject({ ok: false, errors: [{ code: 'RULE_PATTERN_INVALID', list: 'outgoing', rule: 2, position: 2 }] });
  });
});

describe('stored tests and bulk checks', () => {
  const file = parseRuleFile(
    JSON.stringify({
      incoming: [{ search: '^0(.*)', replace: '\\1' }, { search: '^[0-9][0-9][0-9]$', replace: '' }],
      dialing: [{ search: '^\\+49891234(.*)', replace: '80\\1' }],
      tests: { incoming: [{ input: '0891', expected: '891' }, { input: '123', expected: '' }, { input: '4567', expected: '04567' }], dialing: [{ input: '+49891234567', expected: '80567' }] },
    }),
  );
  if (!file.ok) throw new Error('bad fixture');

  it('runs every stored test and names each failure', () => {
    const report = runRuleTests(file.format);
    expect(report).toMatchObject({ passed: 3, failed: 1 });
    expect(report.results.find((r) => !r.pass)).toMatchObject({ list: 'incoming', test: 3, input: '4567', expected: '04567', actual: '4567', outcome: 'unchanged' });
  });
  it('runs the tests of one list only when asked', () => {
    expect(runRuleTests(file.format, { list: 'dialing' })).toMatchObject({ passed: 1, failed: 0 });
  });
  it('checks a pasted list of numbers, with optional expected outputs', () => {
    const rows = parseBulkText('0891\n\n 123 \n4567,04567\r\n0111;111\n');
    expect(rows).toEqual([{ input: '0891' }, { input: '123' }, { input: '4567', expected: '04567' }, { input: '0111', expected: '111' }]);
    const result = checkBulk(compileRules(file.format.incoming), rows);
    expect(result.counts).toEqual({ rewritten: 2, suppressed: 1, unchanged: 1, passed: 1, failed: 1 });
    expect(result.rows[1]).toMatchObject({ input: '123', output: '', outcome: 'suppressed', rule: 2 });
  });
});
