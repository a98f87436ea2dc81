// `npm start`: the Electron console, or — where the Electron binary is missing — the same console in a browser via `serve`.
import { existsSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const extra = process.argv.slice(2);

function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const bin = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return existsSync(bin) ? bin : null;
  }
  try {
    const dir = join(require.resolve('electron/package.json'), '..');
    const pathTxt = join(dir, 'path.txt');
    if (!existsSync(pathTxt)) return null;
    const bin = join(dir, 'dist', readFileSync(pathTxt, 'utf8').trim());
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function run(cmd, args) {
  const child = spawn(cmd, args, { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}

await import('./build.mjs');
const bin = electronBinary();
if (bin) {
  run(bin, ['.', '--demo', ...extra]);
} else {
  console.log('The Electron binary is not installed on this machine, so the console starts in your browser instead:');
  run(process.execPath, ['bin/linekeeper.js', 'serve', '--demo', ...extra]);
}
