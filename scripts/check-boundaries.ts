// Fails when code crosses a process boundary (ARCHITECTURE.md): run by `npm test` and proven by test/boundaries.test.ts.
import { readFileSync, readdirSync, statSync } from 'node:fs';
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
          const target = spec.startsWith('.') ? area(root, resolve(dirname(file), spec)) : null;
          const add = (rule: string) => out.push({ file: rel, line: i + 1, specifier: spec, rule });
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
