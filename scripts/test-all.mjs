// `npm test`: every check and test of the project, ending in one summary line that CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = [];
let passed = 0;
let failed = 0;

function step(name, cmd, args, env = {}) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: ((Date.now() - started) / 1000).toFixed(1) });
  return ok;
}

function countJson(file, pick) {
  if (!existsSync(file)) return false;
  try {
    const [p, f] = pick(JSON.parse(readFileSync(file, 'utf8')));
    passed += p;
    failed += f;
    return true;
  } catch {
    return false;
  }
}

rmSync('test-results', { recursive: true, force: true });
mkdirSync('test-results', { recursive: true });
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const deps = step('system packages', 'bash', ['scripts/ensure-system-deps.sh']);
const built = step('build', process.execPath, ['scripts/build.mjs']);
step('typecheck (main, shared, tests)', npx, ['tsc', '-p', '.']);
step('typecheck (renderer: no Node types)', npx, ['tsc', '-p', 'renderer']);
step('process boundaries', npx, ['tsx', 'scripts/check-boundaries.ts']);
step('unit and integration tests (Vitest)', npx, ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=test-results/unit.json']);
if (!countJson('test-results/unit.json', (j) => [j.numPassedTests, j.numFailedTests + (j.numRuntimeErrorTestSuites ?? 0) + (j.numFailedTestSuites ?? 0)])) failed++;
if (deps && built) {
  step('end-to-end tests (Playwright, Chromium)', npx, ['playwright', 'test']);
  if (!countJson('test-results/e2e.json', (j) => [j.stats.expected + (j.stats.flaky ?? 0), j.stats.unexpected])) failed++;
} else failed++;

console.log('\n=== summary ===');
for (const r of results) console.log(`${r.ok ? 'ok    ' : 'FAILED'} ${r.name} (${r.seconds} s)`);
const stepFailures = results.filter((r) => !r.ok).length;
// Steps without test counts (build, typecheck, boundaries) count as one failure each.
const checkSteps = results.filter((r) => !r.ok && !/tests/.test(r.name)).length;
console.log(`total: ${passed} passed, ${failed + checkSteps} failed`);
process.exit(stepFailures || failed ? 1 : 0);
