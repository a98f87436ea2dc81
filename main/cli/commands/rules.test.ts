import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCapture } from '../testing';

let dir: string;
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
let rules: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lk-rules-cli-'));
  rules = file('rules.json', {
    incoming: [{ search: '^0(.*)', replace: '\\1' }, { search: '^[0-9][0-9][0-9]$', replace: '' }],
    outgoing: [],
    dialing: [{ search: '^\\+49891234(.*)', replace: '80\\1' }],
    tests: { incoming: [{ input: '0891', expected: '891' }, { input: '123', expected: '' }], dialing: [{ input: '+49891234567', expected: '80567' }] },
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('linekeeper rules check', () => {
  it('prints one output per number, an empty line for a suppressed number', async () => {
    const r = await runCliCapture(['rules', 'check', '--rules', rules, '--list', 'incoming', '0891', '123', '4567']);
    expect(r).toMatchObject({ code: 0, stdout: '891\n\n4567\n' });
  });
  it('prints input, output, suppressed, rule, groups and warnings per number with --json', async () => {
    const r = await runCliCapture(['rules', 'check', '--rules', rules, '--list', 'incoming', '--json', '0891', '123', '4567']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows[0]).toEqual({ input: '0891', output: '891', suppressed: false, rule: 1, groups: ['891'], warnings: [] });
    expect(rows[1]).toMatchObject({ input: '123', output: '', suppressed: true, rule: 2 });
    expect(rows[1].warnings[0]).toContain('suppressed');
    expect(rows[2]).toMatchObject({ input: '4567', output: '4567', suppressed: false, rule: null, groups: [] });
  });
  it('lists in --json the warnings of every rule the number went through, not only the winner\'s', async () => {
    const traps = file('traps.json', { incoming: [{ search: '^\\d+$', replace: 'X' }, { search: '^0(.*)', replace: '\\1' }, { search: '0049', replace: '+49' }] });
    const r = await runCliCapture(['rules', 'check', '--rules', traps, '--list', 'incoming', '--json', '0891']);
    const row = JSON.parse(r.stdout);
    expect(row).toMatchObject({ output: '891', rule: 2 });
    expect(row.warnings.some((w: string) => w.includes('"\\d" is the plain letter "d"'))).toBe(true);
    expect(row.warnings.some((w: string) => w.startsWith('rule 3'))).toBe(false);
  });
  it('accepts the minimal rule file form', async () => {
    const minimal = file('minimal.json', '{"incoming":[{"search":"^0(.*)","replace":"\\\\1","mode":"regex"}],"outgoing":[],"dialing":[]}');
    expect(await runCliCapture(['rules', 'check', '--rules', minimal, '--list', 'incoming', '0123'])).toMatchObject({ code: 0, stdout: '123\n' });
  });
  it('exits 2 naming the file, list, rule and position of an invalid pattern', async () => {
    const bad = file('bad.json', { incoming: [{ search: '^0', replace: '' }, { search: '^+49(.*)', replace: '0\\1' }] });
    const r = await runCliCapture(['rules', 'check', '--rules', bad, '--list', 'incoming', '0']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${bad}: incoming rule 2: pattern "^+49(.*)": *+ operand could be empty at position 2`);
  });
  it('exits 2 naming the line and column of a broken rule file', async () => {
    const broken = file('broken.json', '{\n "incoming": [}\n');
    const r = await runCliCapture(['rules', 'check', '--rules', broken, '--list', 'incoming', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${broken}:2:`);
  });
  it('exits 2 for a missing file, an unknown list or no numbers', async () => {
    expect((await runCliCapture(['rules', 'check', '--rules', join(dir, 'nope.json'), '--list', 'incoming', '0'])).stderr).toContain('nope.json: cannot read');
    expect((await runCliCapture(['rules', 'check', '--rules', rules, '--list', 'inbound', '0'])).code).toBe(2);
    expect((await runCliCapture(['rules', 'check', '--rules', rules, '--list', 'incoming'])).code).toBe(2);
    expect((await runCliCapture(['rules', 'check', '--list', 'incoming', '0'])).code).toBe(2);
  });
});

describe('linekeeper rules test', () => {
  it('exits 0 when every stored test passes', async () => {
    expect(await runCliCapture(['rules', 'test', '--rules', rules])).toMatchObject({ code: 0, stdout: '3 passed, 0 failed\n' });
  });
  it('exits 1 and names each failing test', async () => {
    const failing = file('failing.json', { incoming: [{ search: '^0(.*)', replace: '\\1' }], tests: { incoming: [{ input: '01', expected: '1' }, { input: '22', expected: '022' }, { input: '03', expected: '' }] } });
    const r = await runCliCapture(['rules', 'test', '--rules', failing]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL incoming test 2: "22" expected "022", got "22" (no rule matched)');
    expect(r.stdout).toContain('FAIL incoming test 3: "03" expected "", got "3" (rule 1 matched)');
    expect(r.stdout).toContain('1 passed, 2 failed');
  });
});

describe('linekeeper rules test with a broken file', () => {
  it('exits 2 and names the invalid pattern instead of running the tests', async () => {
    const bad = file('bad-tests.json', { dialing: [{ search: '[9-0]', replace: '' }], tests: { dialing: [{ input: '1', expected: '1' }] } });
    const r = await runCliCapture(['rules', 'test', '--rules', bad]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain('dialing rule 1: pattern "[9-0]": invalid [] range at position 2');
  });
});

describe('linekeeper rules lint', () => {
  it('exits 1 when a pattern is invalid', async () => {
    const bad = file('bad-lint.json', { outgoing: [{ search: '(0', replace: '' }] });
    const r = await runCliCapture(['rules', 'lint', '--rules', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error: outgoing rule 1: invalid pattern, unmatched () at position 1');
  });
  it('prints the manual typo warning and exits 0 when nothing is invalid', async () => {
    const typo = file('typo.json', { incoming: [{ search: '^[0-9][0-9][0-9].+', replace: '0\\1' }] });
    const r = await runCliCapture(['rules', 'lint', '--rules', typo]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('incoming rule 1: the replacement uses \\1 but the pattern has no groups');
  });
});
