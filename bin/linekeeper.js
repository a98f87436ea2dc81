#!/usr/bin/env node
// In a checkout the CLI runs straight from the TypeScript sources (never a stale build); elsewhere from the bundle.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'main', 'cli', 'index.ts');
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(source).href);
} else {
  await import(pathToFileURL(join(root, 'out', 'cli', 'linekeeper.js')).href);
}
