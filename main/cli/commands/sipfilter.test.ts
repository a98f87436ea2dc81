import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCapture } from '../testing';

let dir: string;
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lk-sipfilter-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('linekeeper sipfilter check', () => {
  let filter: string;
  beforeAll(() => {
    filter = file('filter.json', { mode: 'rules', rules: [{ kind: 'nameContains', pattern: 'SIP' }, { kind: 'numberRegex', pattern: '^9[0-9][0-9]$' }] });
  });
  it('prints sip and the matching rule', async () => {
    expect(await runCliCapture(['sipfilter', 'check', '--rules', filter, '--name', 'Desk', '--number', '901'])).toMatchObject({ code: 0, stdout: 'sip (rule 2: numberRegex "^9[0-9][0-9]$")\n' });
  });
  it('prints not sip for a line no rule matches', async () => {
    expect(await runCliCapture(['sipfilter', 'check', '--rules', filter, '--name', 'Desk', '--number', '100'])).toMatchObject({ code: 0, stdout: 'not sip\n' });
  });
  it('prints the result as JSON', async () => {
    const r = await runCliCapture(['sipfilter', 'check', '--rules', filter, '--name', 'SIP 1', '--number', '100', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ sip: true, rule: 1, kind: 'nameContains', field: 'name' });
  });
  it('exits 2 for an invalid filter file, naming the rule', async () => {
    const bad = file('badfilter.json', { mode: 'rules', rules: [{ kind: 'nameRegex', pattern: '(' }] });
    const r = await runCliCapture(['sipfilter', 'check', '--rules', bad, '--name', 'x', '--number', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rule 1: invalid pattern "(", unmatched () at position 1');
    const kind = file('badkind.json', { mode: 'rules', rules: [{ kind: 'nameIs', pattern: 'x' }] });
    expect(await runCliCapture(['sipfilter', 'check', '--rules', kind, '--name', 'x'])).toMatchObject({ code: 2, stderr: expect.stringContaining('rule 1: kind') });
  });
});
