// Builds everything the app and `linekeeper` need into out/: renderer (Vite), Electron main and preload, CLI.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { rmSync } from 'node:fs';

const only = process.argv[2];
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: false, logLevel: 'warning' };

if (!only || only === 'renderer') await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });
if (!only || only === 'node') {
  rmSync('out/main', { recursive: true, force: true });
  rmSync('out/preload', { recursive: true, force: true });
  rmSync('out/cli', { recursive: true, force: true });
  await Promise.all([
    // npm dependencies stay external: electron-builder ships the production node_modules.
    esbuild({ ...common, entryPoints: ['main/electron/main.ts'], outfile: 'out/main/main.mjs', format: 'esm', packages: 'external' }),
    // A sandboxed preload may require only 'electron': everything else is bundled in, as CommonJS.
    esbuild({ ...common, entryPoints: ['main/electron/preload.ts'], outfile: 'out/preload/preload.cjs', format: 'cjs', external: ['electron'], platform: 'browser' }),
    esbuild({ ...common, entryPoints: ['main/cli/index.ts'], outfile: 'out/cli/linekeeper.js', format: 'esm', packages: 'external' }),
  ]);
}
console.log('build: out/ is up to date');
