// Fails when code crosses a process boundary (ARCHITECTURE.md): run by `npm test` and proven by test/boundaries.test.ts.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Violation {
  file: string;
  line: number;
  specifier: string;
  rule: string;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const IMPORT_RE = /(?:^|[^\w$.])(?:import|export)\s*(?:type\s+)?(?:[\w$*{},\s]+?\s+from\s+)?['"]([^'"]+)['"]|(?:^|[^\w$.])(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

function stripComments(src: string): string {
  // Keeps line breaks so line numbers stay right; strings holding comment markers are rare in imports.
  return src.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

function* walk(dir: string): Generator<string> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (SOURCE.test(name)) yield p;
  }
}

function area(root: string, file: string): string {
  return relative(root, file).split(sep)[0];
}

/** Test and bench files: they may import test peers. */
const TEST_CODE = /(\.test\.tsx?|\.spec\.tsx?|\.bench\.ts)$|(^|\/)testing\//;
/** The family folder (`main/drivers/<f>/` or `main/sim/<f>/`) a path lies in, if any; `drivers/shared` is no family. */
function familyFolder(rel: string): string | null {
  const m = /^main\/(drivers|sim)\/([^/]+)\//.exec(rel);
  return m && m[2] !== 'shared' && m[2] !== 'testing' ? m[2] : null;
}

/** An import's target as a path to test against folders: a directory (its index) ends in `/`. */
function targetOf(root: string, path: string): string {
  const abs = join(root, path);
  return existsSync(abs) && statSync(abs).isDirectory() ? `${path}/` : path;
}
/** Folders that compose the families and must reach them through main/drivers/registry only. */
const COMPOSERS = ['main/engine/', 'main/app/', 'main/api/', 'main/cli/', 'main/web/', 'main/servers/'];

export function checkBoundaries(root: string): Violation[] {
  const out: Violation[] = [];
  for (const top of ['shared', 'renderer', 'main']) {
    for (const file of walk(join(root, top))) {
      const rel = relative(root, file).split(sep).join('/');
      const inElectron = rel.startsWith('main/electron/');
      const text = stripComments(readFileSync(file, 'utf8'));
      const lines = text.split('\n');
      lines.forEach((lineText, i) => {
        IMPORT_RE.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = IMPORT_RE.exec(lineText))) {
          const spec = m[1] ?? m[2];
          const targetPath = spec.startsWith('.') ? relative(root, resolve(dirname(file), spec)).split(sep).join('/') : null;
          const target = targetPath === null ? null : targetPath.split('/')[0];
          const add = (rule: string) => out.push({ file: rel, line: i + 1, specifier: spec, rule });
          if (targetPath !== null && !TEST_CODE.test(rel) && /(^|\/)testing(\/|$)/.test(targetPath)) add('product code never imports testing/ (test peers, samples, mutations)');
          const targetFamily = targetPath === null ? null : familyFolder(targetOf(root, targetPath));
          const ownFamily = familyFolder(rel);
          if (targetFamily && !TEST_CODE.test(rel) && COMPOSERS.some((c) => rel.startsWith(c))) add('the engine reaches a family through main/drivers/registry only');
          if (targetFamily && ownFamily && targetFamily !== ownFamily && rel.startsWith('main/drivers/')) add('a family never imports another family');
          if ((spec === 'electron' || spec.startsWith('electron/')) && !inElectron) add('only main/electron/ may import electron');
          if (top === 'shared' && (target === 'main' || target === 'renderer')) add('shared/ imports nothing of main/ or renderer/');
          if (top === 'shared' && NODE_BUILTINS.has(spec)) add('shared/ runs in the renderer too: no Node built-ins');
          if (top === 'renderer' && target === 'main') add('renderer/ imports nothing of main/');
          if (top === 'renderer' && NODE_BUILTINS.has(spec)) add('renderer/ imports no Node built-ins');
        }
      });
    }
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const violations = checkBoundaries(root);
  for (const v of violations) console.error(`${v.file}:${v.line}: "${v.specifier}": ${v.rule}`);
  if (violations.length) {
    console.error(`boundaries: ${violations.length} forbidden import(s)`);
    process.exit(1);
  }
  console.log('boundaries: ok');
}
