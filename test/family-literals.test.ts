// "No family === '…' outside its folder": a family's name appears only in its spec (shared/families), its
// own folders (main/drivers/<f>, main/sim/<f>), the registry that lists them, and the translations of its name.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FAMILIES } from '../shared/families';

const LITERAL = new RegExp(`['"\`](${FAMILIES.join('|')})['"\`]`);
/** The line-list file format named after CME (`number;name;device-ID;…`) is a format, not the family. */
const CME_FORMAT = /format|FORMATS/;

function allowed(rel: string, family: string): boolean {
  if (/\.(test|spec)\.tsx?$/.test(rel) || /(^|\/)testing\//.test(rel)) return true;
  if (rel.startsWith('shared/families/') || rel === 'main/drivers/registry.ts' || rel.startsWith('renderer/src/i18n/')) return true;
  return rel.startsWith(`main/drivers/${family}/`) || rel.startsWith(`main/sim/${family}/`);
}

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (/\.tsx?$/.test(name)) yield p;
  }
}

/** Every `file:line` that names a family outside the places allowed to. */
function familyLiterals(root: string): string[] {
  const out: string[] = [];
  for (const top of ['main', 'shared', 'renderer/src']) {
    let files: string[];
    try {
      files = [...sources(join(root, top))];
    } catch {
      continue;
    }
    for (const file of files) {
      const rel = relative(root, file).split(sep).join('/');
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((text, i) => {
          const code = text.replace(/\/\/.*$/, '').replace(/^\s*\*.*$/, '').replace(/\/\*\*.*\*\//, '');
          const m = LITERAL.exec(code);
          if (!m || allowed(rel, m[1]) || (m[1] === 'cme' && CME_FORMAT.test(code))) return;
          out.push(`${rel}:${i + 1}`);
        });
    }
  }
  return out;
}

const trees: string[] = [];
afterEach(() => trees.splice(0).forEach((t) => rmSync(t, { recursive: true, force: true })));

describe('family names stay in their folders', () => {
  it('no product code outside a family folder, the specs and the registry names a family', () => {
    expect(familyLiterals(join(__dirname, '..'))).toEqual([]);
  });

  it('finds a family compared by name in the engine or the console, and leaves the family folders alone', () => {
    const root = mkdtempSync(join(tmpdir(), 'lk-literals-'));
    trees.push(root);
    const files: Record<string, string> = {
      'main/engine/runtime/bad.ts': "const x = 1;\nif (instance.family === 'cme') x;\n",
      'renderer/src/components/Bad.tsx': '{family === "sip-phones" && <Foo />}\n',
      'main/drivers/panasonic/ok.ts': "readonly family = 'panasonic';\n",
      'main/drivers/cme/bad.ts': "if (family === 'broadworks') {}\n",
      'main/engine/lines-io/ok.ts': "const read = format === 'cme' ? a : b;\n// 'panasonic' in a comment\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    expect(familyLiterals(root).sort()).toEqual(['main/drivers/cme/bad.ts:1', 'main/engine/runtime/bad.ts:2', 'renderer/src/components/Bad.tsx:1']);
  });
});
