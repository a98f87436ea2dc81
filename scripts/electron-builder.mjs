// Runs electron-builder on the Node its tooling needs (electron 45 wants 22.12 or later): this Node when it is new
// enough, else the runtime scripts/node-runtime.mjs fetched for the package (the `.nvmrc` version), so machines
// with an older system Node build without installing another. Arguments go to electron-builder.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const NEEDED = [22, 12];
const [major, minor] = process.versions.node.split('.').map(Number);
const newEnough = major > NEEDED[0] || (major === NEEDED[0] && minor >= NEEDED[1]);
const os = { linux: 'linux', darwin: 'mac', win32: 'win' }[process.platform];
const runtime = join(resolve(process.env.LINEKEEPER_NODE_RUNTIME || join('build', 'node-runtime')), `${os}-${process.arch}`, process.platform === 'win32' ? 'node.exe' : 'node');

let node = process.execPath;
if (!newEnough) {
  if (!existsSync(runtime)) {
    console.error(`electron-builder needs Node ${NEEDED.join('.')} or later (this is ${process.versions.node}); run "node scripts/node-runtime.mjs" first`);
    process.exit(1);
  }
  node = runtime;
}
const cli = createRequire(import.meta.url).resolve('electron-builder/cli.js');
const run = spawnSync(node, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
