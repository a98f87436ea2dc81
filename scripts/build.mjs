// Builds everything the app and `linekeeper` need into out/: renderer (Vite), Electron main and preload, CLI.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { licenceDefine } from './licence-build.mjs';

// `--release`: the vendor's licence key goes in (scripts/licence-build.mjs); a part name builds that part only.
const args = process.argv.slice(2);
const release = args.includes('--release');
const only = args.find((a) => !a.startsWith('--'));
const define = licenceDefine({ release });
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: false, logLevel: 'warning', define };
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

// Always React's production build: Vite takes NODE_ENV from the environment, and a build started from a test
// runner (NODE_ENV=test) would otherwise ship React's slower development build to the e2e run.
if (!only || only === 'renderer') {
  process.env.NODE_ENV = 'production';
  await viteBuild({ configFile: 'vite.config.ts', mode: 'production', logLevel: 'warn' });
}
if (!only || only === 'node') {
  rmSync('out/main', { recursive: true, force: true });
  rmSync('out/preload', { recursive: true, force: true });
  rmSync('out/cli', { recursive: true, force: true });
  await Promise.all([
    // npm dependencies stay external: electron-builder ships the production node_modules inside app.asar.
    esbuild({ ...common, entryPoints: ['main/electron/main.ts'], outfile: 'out/main/main.mjs', format: 'esm', packages: 'external' }),
    // A sandboxed preload may require only 'electron': everything else is bundled in, as CommonJS.
    esbuild({ ...common, entryPoints: ['main/electron/preload.ts'], outfile: 'out/preload/preload.cjs', format: 'cjs', external: ['electron'], platform: 'browser' }),
    // The installed `linekeeper` runs outside app.asar with a plain Node, so it carries its dependencies itself.
    // ws's optional native helpers are loaded in a try; the banner gives bundled CommonJS a `require`.
    esbuild({
      ...common,
      entryPoints: ['main/cli/index.ts'],
      outfile: 'out/cli/linekeeper.js',
      format: 'esm',
      external: ['bufferutil', 'utf-8-validate'],
      banner: { js: "import { createRequire as __lkRequire } from 'node:module'; const require = __lkRequire(import.meta.url);" },
    }),
  ]);
  // "Locate" on Windows compiles this C# at run time (main/protocols/dhcp/windows.ts reads it beside its bundle).
  for (const dir of ['out/main', 'out/cli']) cpSync('main/protocols/dhcp/DhcpClientApi.cs', `${dir}/DhcpClientApi.cs`);
  // projectRoot() finds this stub beside the bundle, and `serve` the console under it.
  writeFileSync('out/cli/package.json', JSON.stringify({ name: pkg.name, version: pkg.version, type: 'module', private: true }, null, 2) + '\n');
}
// A `node` build in a fresh checkout has no renderer yet; `serve` then gets the console with the next full build.
if (!only || only === 'renderer' || (only === 'node' && existsSync('out/renderer'))) {
  rmSync('out/cli/out', { recursive: true, force: true });
  cpSync('out/renderer', 'out/cli/out/renderer', { recursive: true });
}
console.log('build: out/ is up to date');
