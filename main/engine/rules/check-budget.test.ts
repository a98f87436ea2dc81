import { describe, expect, it } from 'vitest';
import { checkBulk, checkBulkWithin, checkNumber, checkNumberWithin, compileRules, lintRules, RulesWorkError, type RuleInput } from './index';
import { estimateMatchWork, normaliseNumber, traceNumber } from './formatter';
import { estimateLintWork } from './lint';
import { vmThreadSteps } from './pike-vm';
import { containmentSteps } from './containment';
import { seededRandom } from './seeded-random';

const rnd = seededRandom(15);
const shapes = ['^0(.*)', '^[1-3][0-9]$', '(0+)+1$', '(.+)+x', '^(0|00)+1', '0*0*0*1', '^#?1(.*)', '2$', '.+.+.+9', '^(0*)(.*)$'];
const randomRules = (): RuleInput[] =>
  Array.from({ length: 1 + rnd(6) }, () =>
    rnd(4) === 0 ? { search: ['0', '110', '', '+49', '0001'][rnd(5)], replace: 'T', mode: 'text' as const } : { search: shapes[rnd(shapes.length)], replace: '<\\1>', enabled: rnd(6) > 0 },
  );
const randomNumber = () => Array.from({ length: rnd(3) === 0 ? rnd(300) : rnd(12) }, () => '0001239+#'[rnd(9)]).join('');

describe('rule checks: the work is known before matching', () => {
  it('the estimate is never below the steps the matcher then takes (random lists, hostile patterns)', () => {
    for (let k = 0; k < 300; k++) {
      const rules = randomRules();
      const compiled = compileRules(rules);
      const numbers = Array.from({ length: 1 + rnd(5) }, randomNumber);
      const normalised = numbers.map(normaliseNumber);
      const steps = (run: () => void) => {
        const before = vmThreadSteps() + containmentSteps();
        run();
        return vmThreadSteps() + containmentSteps() - before;
      };
      const where = JSON.stringify({ rules, numbers });
      expect(steps(() => lintRules(compiled)), where).toBeLessThanOrEqual(estimateLintWork(compiled).work);
      const match = estimateMatchWork(compiled, normalised).work;
      expect(steps(() => checkBulk(compiled, numbers.map((input) => ({ input })), {}, [])), where).toBeLessThanOrEqual(match);
      expect(steps(() => numbers.forEach((n) => traceNumber(compiled, n, []))), where).toBeLessThanOrEqual(estimateMatchWork(compiled, normalised, undefined, true).work);
    }
  });

  it('a long list of rules that cannot start with a number\'s first character costs little in a bulk check', () => {
    const compiled = compileRules(Array.from({ length: 1000 }, (_, k) => ({ search: `^9${k}(.*)$`, replace: '\\1' })));
    const numbers = Array.from({ length: 1000 }, () => '0891234');
    expect(estimateMatchWork(compiled, numbers).work).toBe(0);
    expect(estimateMatchWork(compiled, numbers, undefined, true).work).toBe(1000 * 1000);
  });

  it('a check run in slices gives the same answer as one run at once', async () => {
    for (let k = 0; k < 100; k++) {
      const rules = randomRules();
      const rows = Array.from({ length: 1 + rnd(20) }, () => ({ input: randomNumber(), expected: rnd(2) ? '<>' : undefined }));
      const limits = { maxWork: 1e9, maxStep: 1e9, slice: 50 };
      expect(await checkBulkWithin(rules, rows, {}, limits)).toEqual(checkBulk(compileRules(rules), rows));
      expect(await checkNumberWithin(rules, rows[0].input, {}, limits)).toEqual(checkNumber(rules, rows[0].input));
    }
  });

  it('a big check gives the event loop turns while it runs', async () => {
    let turns = 0;
    let running = true;
    const tick = () => {
      turns++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const rules = [{ search: '(0*0*0*0*0*0*0*0*)1', replace: '' }];
    const r = await checkBulkWithin(rules, Array.from({ length: 200 }, () => ({ input: '0'.repeat(200) })), {}, { maxWork: 1e9, maxStep: 1e9, slice: 10_000 });
    running = false;
    expect(r.counts.unchanged).toBe(200);
    expect(turns).toBeGreaterThan(10);
  });

  it('refuses beyond the limits with the work and the limit, before matching anything', async () => {
    const rules = [{ search: '(0+)+1$', replace: '' }];
    const before = vmThreadSteps();
    const big = await checkBulkWithin(rules, [{ input: '0'.repeat(1000) }, { input: '0'.repeat(1000) }], {}, { maxWork: 5000, maxStep: 1e9, slice: 100 }).catch((e) => e);
    expect(big).toBeInstanceOf(RulesWorkError);
    expect(big).toMatchObject({ code: 'RULES_CHECK_TOO_LARGE', params: { limit: 5000 } });
    expect(big.params.work).toBeGreaterThan(5000);
    const step = await checkNumberWithin(rules, '0'.repeat(1000), {}, { maxWork: 1e9, maxStep: 1000, slice: 100 }).catch((e) => e);
    expect(step).toMatchObject({ code: 'RULES_CHECK_STEP_TOO_LARGE', params: { rule: 1, limit: 1000 } });
    expect(vmThreadSteps() - before).toBe(0);
  });
});
