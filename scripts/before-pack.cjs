// electron-builder beforePack hook: the `linekeeper` command needs a Node runtime beside it in the package
// (the release fuses forbid running Electron as Node). Fail early, with the fix, when it is missing.
const { existsSync } = require('node:fs');
const { join, relative, resolve } = require('node:path');

const OS = { linux: 'linux', darwin: 'mac', win32: 'win' };
const ARCH = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

exports.default = async function beforePack(context) {
  const root = context.packager.projectDir;
  const runtimes = resolve(root, process.env.LINEKEEPER_NODE_RUNTIME || join('build', 'node-runtime'));
  // Relative: electron-builder resolves `from` against the project folder before it expands the macro.
  process.env.LINEKEEPER_NODE_RUNTIME = relative(root, runtimes);
  const dir = join(runtimes, `${OS[context.electronPlatformName]}-${ARCH[context.arch]}`);
  const exe = join(dir, context.electronPlatformName === 'win32' ? 'node.exe' : 'node');
  if (!existsSync(exe)) {
    throw new Error(`LINEKEEPER_NODE_RUNTIME_MISSING: ${exe} is missing; run "node scripts/node-runtime.mjs ${context.electronPlatformName} ${ARCH[context.arch]}" first`);
  }
  if (!existsSync(join(root, 'out', 'cli', 'linekeeper.js'))) throw new Error('LINEKEEPER_NOT_BUILT: out/cli is missing; run "npm run build" first');
};
