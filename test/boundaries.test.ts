import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkBoundaries } from '../scripts/check-boundaries';

const trees: string[] = [];
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'lk-boundaries-'));
  trees.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
afterEach(() => trees.splice(0).forEach((t) => rmSync(t, { recursive: true, force: true })));

describe('process boundaries', () => {
  it('the project itself has no forbidden import', () => {
    expect(checkBoundaries(join(__dirname, '..'))).toEqual([]);
  });

  it('flags electron imported outside main/electron', () => {
    const root = tree({
      'main/electron/ok.ts': "import { app } from 'electron';\n",
      'main/engine/bad.ts': "const x = 1;\nimport { app } from 'electron';\n",
    });
    expect(checkBoundaries(root)).toEqual([{ file: 'main/engine/bad.ts', line: 2, specifier: 'electron', rule: 'only main/electron/ may import electron' }]);
  });

  it('flags shared importing main, renderer or Node built-ins', () => {
    const root = tree({
      'shared/a.ts': "import { x } from '../main/engine/x';\nimport type { Y } from '../renderer/src/y';\nimport { readFileSync } from 'node:fs';\nimport { z } from 'zod';\n",
    });
    expect(checkBoundaries(root).map((v) => `${v.line}:${v.specifier}`)).toEqual(['1:../main/engine/x', '2:../renderer/src/y', '3:node:fs']);
  });

  it('flags the renderer importing main or Node built-ins, also through require and dynamic import', () => {
    const root = tree({
      'renderer/src/a.tsx': "import fs from 'fs';\nconst m = await import('../../main/api');\nconst p = require('path');\nimport { t } from '../../shared/api/contract';\n",
    });
    expect(checkBoundaries(root).map((v) => v.specifier)).toEqual(['fs', '../../main/api', 'path']);
  });

  it('ignores imports inside comments', () => {
    const root = tree({ 'renderer/src/a.ts': "// import fs from 'fs';\n/* import { app } from 'electron'; */\nexport const a = 1;\n" });
    expect(checkBoundaries(root)).toEqual([]);
  });

  it('flags product code importing a testing/ folder, but not tests', () => {
    const root = tree({
      'main/protocols/csta-ber/testing/peer.ts': 'export const peer = 1;\n',
      'main/protocols/csta-ber/client.ts': "import { peer } from './testing/peer';\n",
      'main/protocols/csta-ber/client.test.ts': "import { peer } from './testing/peer';\n",
      'main/servers/mux/testing/client.ts': "import { peer } from '../../../protocols/csta-ber/testing/peer';\n",
    });
    expect(checkBoundaries(root)).toEqual([
      { file: 'main/protocols/csta-ber/client.ts', line: 1, specifier: './testing/peer', rule: 'product code never imports testing/ (test peers, samples, mutations)' },
    ]);
  });

  it('flags the engine importing a family folder instead of the registry', () => {
    const root = tree({
      'main/drivers/registry.ts': "import { a } from './acme';\n",
      'main/drivers/acme/index.ts': 'export const a = 1;\n',
      'main/sim/acme/index.ts': 'export const s = 1;\n',
      'main/engine/runtime/ok.ts': "import { DRIVER_REGISTRY } from '../../drivers/registry';\n",
      'main/engine/runtime/bad.ts': "import { a } from '../../drivers/acme';\nimport { s } from '../../sim/acme/index';\n",
      'main/api/bad.ts': "import { a } from '../drivers/acme/index';\n",
    });
    expect(checkBoundaries(root).map((v) => `${v.file}:${v.line}:${v.rule}`)).toEqual([
      'main/api/bad.ts:1:the engine reaches a family through main/drivers/registry only',
      'main/engine/runtime/bad.ts:1:the engine reaches a family through main/drivers/registry only',
      'main/engine/runtime/bad.ts:2:the engine reaches a family through main/drivers/registry only',
    ]);
  });

  it('flags one family importing another, but not the shared driver code', () => {
    const root = tree({
      'main/drivers/acme/index.ts': "import { b } from '../bolt/index';\nimport { line } from '../shared/csta-line-driver';\nimport { x } from '../driver';\n",
      'main/drivers/bolt/index.ts': 'export const b = 1;\n',
      'main/drivers/shared/csta-line-driver.ts': 'export const line = 1;\n',
      'main/drivers/driver.ts': 'export const x = 1;\n',
    });
    expect(checkBoundaries(root)).toEqual([{ file: 'main/drivers/acme/index.ts', line: 1, specifier: '../bolt/index', rule: 'a family never imports another family' }]);
  });
});
