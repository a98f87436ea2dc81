import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Dispatch } from '../index';
import { createServices, type Services } from '../../app/services';
import { MAX_CHECK_WORK, MAX_STEP_WORK } from '../../engine/rules';
import { vmThreadSteps } from '../../engine/rules/pike-vm';

let dataDir: string;
let services: Services;
let dispatch: Dispatch;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'lk-rules-api-'));
  services = createServices({ dataDir, transport: 'websocket' });
  dispatch = createApi(services);
});
afterAll(async () => {
  await services.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

const ok = async (method: string, input: unknown) => {
  const r = await dispatch(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result as any;
};

describe('rules API', () => {
  it('checks a number against rules given directly and returns the full trace', async () => {
    const t = await ok('rules.check', { rules: [{ search: '^+49(.*)', replace: '0\\1' }, { search: '^\\+49(.*)', replace: '0\\1' }], input: '+49 89 123' });
    expect(t).toMatchObject({ input: '+49 89 123', normalised: '+4989123', output: '089123', outcome: 'rewritten', rule: 2, groups: ['89123'] });
    expect(t.steps.map((s: { result: string }) => s.result)).toEqual(['invalid', 'matched']);
    expect(t.warnings).toContainEqual(expect.objectContaining({ rule: 1, code: 'PATTERN_INVALID', offset: 1 }));
    expect(JSON.parse(JSON.stringify(t))).toEqual(t);
  });
  it('checks against one list of a whole number format', async () => {
    const format = { dialing: [{ search: '^0(.*)', replace: '\\1' }] };
    expect(await ok('rules.check', { format, list: 'dialing', input: '0' })).toMatchObject({ output: '', suppressed: true });
  });
  it('refuses a pattern too long to check quickly', async () => {
    const r = await dispatch('rules.check', { rules: [{ search: '0'.repeat(2001), replace: '' }], input: '1' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('longer than 2000') } });
  });
  it('refuses a check without rules', async () => {
    const r = await dispatch('rules.check', { input: '1' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
  it('checks a pasted list of numbers with expected outputs', async () => {
    const r = await ok('rules.checkBulk', { rules: [{ search: '^0(.*)', replace: '\\1' }], text: '0891,891\n0892,0892\n' });
    expect(r.counts).toMatchObject({ rewritten: 2, passed: 1, failed: 1 });
  });
  it('runs the stored tests of a rule set', async () => {
    const format = { incoming: [{ search: '^0(.*)', replace: '\\1' }], tests: { incoming: [{ input: '01', expected: '1' }, { input: '02', expected: 'x' }] } };
    expect(await ok('rules.runTests', { format })).toMatchObject({ passed: 1, failed: 1 });
  });
  it('lints a list and validates a pattern as the admin types', async () => {
    const issues = await ok('rules.lint', { rules: [{ search: '^[0-9][0-9][0-9].+', replace: '0\\1' }] });
    expect(issues.map((i: { code: string }) => i.code)).toContain('GROUP_MISSING');
    expect(await ok('rules.validatePattern', { pattern: '^[0-9' })).toMatchObject({ valid: false, error: { driverText: 'unmatched []', offset: 1 } });
  });
  it('imports and exports rule sets as JSON, and reports where an import is broken', async () => {
    const imported = await ok('rules.import', { text: '{"incoming":[{"search":"^0(.*)","replace":"\\\\1","mode":"regex"}],"outgoing":[],"dialing":[]}' });
    expect(imported.format.incoming[0]).toMatchObject({ search: '^0(.*)', enabled: true });
    const exported = await ok('rules.export', { format: imported.format });
    expect(JSON.parse(exported.text).incoming[0].mode).toBe('regex');
    const bad = await dispatch('rules.import', { text: '{"incoming":[{"search":1}]}' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'RULE_FILE_INVALID' } });
  });
});

describe('rules API: one call cannot hold up the process', () => {
  // 100 instructions' worth of pattern, unanchored, that never matches a run of zeros: the VM's worst shape.
  const heavy = (k: number) => ({ search: `(${'0*'.repeat(30)})1${k}`, replace: '' });

  it('while a big check runs, another call is answered first', async () => {
    const order: string[] = [];
    const rules = [heavy(1), heavy(2), heavy(3)];
    const inputs = Array.from({ length: 100 }, () => '0'.repeat(200));
    const big = dispatch('rules.checkBulk', { rules, inputs }).then((r) => (order.push('big'), r));
    const small = dispatch('rules.validatePattern', { pattern: '^0(.*)' }).then((r) => (order.push('small'), r));
    const [b, s] = await Promise.all([big, small]);
    expect(order).toEqual(['small', 'big']);
    expect(s).toMatchObject({ ok: true, result: { valid: true } });
    expect(b).toMatchObject({ ok: true, result: { counts: { unchanged: 100 } } });
  });

  it('refuses a check beyond the bound at once, naming the work and the bound, without matching', async () => {
    const rules = Array.from({ length: 1000 }, (_, k) => heavy(k));
    const before = vmThreadSteps();
    const r = await dispatch('rules.check', { rules, input: '0'.repeat(10_000) });
    expect(vmThreadSteps()).toBe(before);
    expect(r).toMatchObject({ ok: false, error: { code: 'RULES_CHECK_TOO_LARGE', details: { limit: MAX_CHECK_WORK } } });
    expect((r as { error: { details: { work: number } } }).error.details.work).toBeGreaterThan(MAX_CHECK_WORK);
  });

  it('refuses one rule too big for one number, naming the rule', async () => {
    const rules = [{ search: `(${'0*'.repeat(990)})1`, replace: '' }, { search: '^0(.*)', replace: '\\1' }];
    const before = vmThreadSteps();
    const r = await dispatch('rules.checkBulk', { rules, inputs: ['0'.repeat(10_000)] });
    expect(vmThreadSteps()).toBe(before);
    expect(r).toMatchObject({ ok: false, error: { code: 'RULES_CHECK_STEP_TOO_LARGE', details: { rule: 1, limit: MAX_STEP_WORK } } });
  });

  it('refuses running stored tests that would take too long', async () => {
    const format = { incoming: Array.from({ length: 100 }, (_, k) => heavy(k)), tests: { incoming: Array.from({ length: 100 }, () => ({ input: '0'.repeat(10_000), expected: '' })) } };
    const before = vmThreadSteps();
    const r = await dispatch('rules.runTests', { format });
    expect(vmThreadSteps()).toBe(before);
    expect(r).toMatchObject({ ok: false, error: { code: 'RULES_CHECK_TOO_LARGE', details: { limit: MAX_CHECK_WORK } } });
  });

  it('refuses a SIP-filter check whose regex rules would take too long on one line', async () => {
    const filter = { mode: 'rules', rules: Array.from({ length: 100 }, () => ({ kind: 'nameRegex', pattern: `(${'0*'.repeat(30)})1` })) };
    const before = vmThreadSteps();
    const r = await dispatch('sipfilter.check', { filter, name: '0'.repeat(10_000), number: '100' });
    expect(vmThreadSteps()).toBe(before);
    expect(r).toMatchObject({ ok: false, error: { code: 'RULES_CHECK_TOO_LARGE', details: { limit: MAX_STEP_WORK } } });
  });

  it('refuses a rule file whose lint would take too long, before matching anything', async () => {
    const incoming = [...Array.from({ length: 500 }, (_, k) => heavy(k)), ...Array.from({ length: 500 }, (_, k) => ({ mode: 'text', search: `${k}${'0'.repeat(1990)}`, replace: '1' }))];
    const before = vmThreadSteps();
    const r = await dispatch('rules.import', { text: JSON.stringify({ incoming }) });
    expect(vmThreadSteps()).toBe(before);
    expect(r).toMatchObject({ ok: false, error: { code: 'RULES_CHECK_TOO_LARGE' } });
  });

  it('refuses a lint whose shadowing tests would take too long', async () => {
    const rules = [...Array.from({ length: 500 }, (_, k) => heavy(k)), ...Array.from({ length: 500 }, (_, k) => ({ mode: 'text', search: `${k}${'0'.repeat(1990)}`, replace: '1' }))];
    const before = vmThreadSteps();
    const r = await dispatch('rules.lint', { rules });
    expect(vmThreadSteps()).toBe(before);
    expect(r).toMatchObject({ ok: false, error: { code: 'RULES_CHECK_TOO_LARGE' } });
  });
});

describe('SIP filter and location API', () => {
  it('answers whether a line is a SIP line and by which rule', async () => {
    const filter = { mode: 'rules', rules: [{ kind: 'numberRegex', pattern: '^8[0-9]$' }, { kind: 'nameContains', pattern: 'SIP' }] };
    expect(await ok('sipfilter.check', { filter, name: 'SIP trunk', number: '100' })).toMatchObject({ sip: true, rule: 2, field: 'name' });
    expect(await ok('sipfilter.check', { filter, name: 'Desk', number: '100' })).toMatchObject({ sip: false, rule: null });
  });
  it('tries an unsaved filter on the instance\'s current lines and says which it would leave out, by which rule', async () => {
    const inst = await ok('instances.create', { family: 'panasonic', name: 'SIP try' });
    const lines = Array.from({ length: 44 }, (_, k) => ({ number: String(100 + k), name: k % 10 === 0 ? `SIP phone ${k}` : `Desk ${k}` }));
    await services.instances.updateLines(inst.id, () => lines);
    const filter = { mode: 'rules', rules: [{ kind: 'nameContains', pattern: 'SIP' }, { kind: 'numberRegex', pattern: '^14\\d$' }, { kind: 'numberRegex', pattern: '^14[0-9]{1}$' }] };
    const r = await ok('sipfilter.tryLines', { instanceId: inst.id, filter });
    expect(r).toMatchObject({ total: 44, leftOut: 5 });
    expect(r.lines.map((l: { number: string }) => l.number)).toEqual(['100', '110', '120', '130', '140']);
    expect(r.lines[0]).toEqual({ number: '100', name: 'SIP phone 0', rule: 1, kind: 'nameContains', pattern: 'SIP' });
    // The dialect traps the number format warns about: \d is the letter d, {1} is text.
    expect(r.warnings.map((w: { rule: number; code: string }) => [w.rule, w.code])).toEqual([[2, 'DIALECT_ESCAPE'], [3, 'DIALECT_BRACE']]);
    expect(await ok('sipfilter.tryLines', { instanceId: inst.id, filter: { ...filter, mode: 'none' } })).toMatchObject({ total: 44, leftOut: 0, lines: [] });
    // Nothing changed on the instance.
    expect((await ok('lines.list', { instanceId: inst.id })).total).toBe(44);
  });
  it('formats extensions as canonical numbers and rejects overlapping ranges', async () => {
    const location = { ranges: '100-199', useLocation: true, location: '49(89)1234', display: 'canonical' };
    expect(await ok('location.format', { location, extensions: ['100'] })).toEqual([{ extension: '100', canonical: '+49(89)1234-100', display: '+49(89)1234-100', internal: true }]);
    const bad = await dispatch('location.format', { location: { ...location, ranges: '100-199,150' }, extensions: ['100'] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'LOCATION_INVALID' } });
    expect(await ok('location.validate', { location: { ranges: '200-100' } })).toHaveLength(1);
  });
  it('parses a TAPI canonical number into one written form', async () => {
    expect(await ok('location.parse', { text: '+49 (89) 1234100', location: { location: '49(89)1234' } })).toMatchObject({ canonical: '+49(89)1234-100', extension: '100' });
    expect(await dispatch('location.parse', { text: '0891234' })).toMatchObject({ ok: false, error: { code: 'NUMBER_NOT_CANONICAL' } });
  });
});
