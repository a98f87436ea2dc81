#!/usr/bin/env node
// Runs the CLI from the built bundle when present, else straight from the TypeScript sources (a checkout).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'out', 'cli', 'linekeeper.js');
if (existsSync(built) && !process.env.LINEKEEPER_FROM_SOURCE) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'main', 'cli', 'index.ts')).href);
}
