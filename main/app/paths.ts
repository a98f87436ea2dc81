import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding Linekeeper's package.json, found from this module whether it runs from source or a bundle. */
export function projectRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if (JSON.parse(readFileSync(pkg, 'utf8')).name === 'linekeeper') return dir;
      } catch {
        /* keep looking */
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the linekeeper package above ${from}`);
    dir = up;
  }
}

/** The built renderer served by `linekeeper serve` and loaded by Electron. */
export function rendererDir(): string {
  return join(projectRoot(), 'out', 'renderer');
}
