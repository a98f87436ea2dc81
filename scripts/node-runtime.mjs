// Fetches the Node runtime that the installed `linekeeper` command runs on, from the npm registry's
// node-<platform>-<arch> packages (the same binaries as nodejs.org), into build/node-runtime/<os>-<arch>/.
// Usage: node scripts/node-runtime.mjs [platform] [arch]   (defaults: this machine; version from .nvmrc)
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const platform = process.argv[2] ?? process.platform;
const arch = process.argv[3] ?? process.arch;
const version = readFileSync('.nvmrc', 'utf8').trim();
const pkgPlatform = { linux: 'linux', darwin: 'darwin', win32: 'win' }[platform];
const os = { linux: 'linux', darwin: 'mac', win32: 'win' }[platform];
if (!pkgPlatform) throw new Error(`unsupported platform "${platform}" (linux, darwin, win32)`);
const exeName = platform === 'win32' ? 'node.exe' : 'node';

function find(dir) {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) {
      const hit = find(p);
      if (hit) return hit;
    } else if (e === exeName) return p;
  }
  return undefined;
}

const dest = join('build', 'node-runtime', `${os}-${arch}`);
const stamp = join(dest, 'version');
if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === version) {
  console.log(`node-runtime: Node ${version} for ${platform}-${arch} is already in ${dest}`);
  process.exit(0);
}
const work = mkdtempSync(join(tmpdir(), 'lk-node-'));
try {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const tgz = execFileSync(npm, ['pack', `node-${pkgPlatform}-${arch}@${version}`, '--silent'], { cwd: work, encoding: 'utf8', shell: process.platform === 'win32' }).trim().split('\n').pop();
  execFileSync('tar', ['-xzf', tgz], { cwd: work });
  const exe = find(join(work, 'package'));
  if (!exe) throw new Error(`node-${pkgPlatform}-${arch}@${version} holds no ${exeName}`);
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  copyFileSync(exe, join(dest, exeName));
  chmodSync(join(dest, exeName), 0o755);
  writeFileSync(stamp, `${version}\n`);
  console.log(`node-runtime: Node ${version} for ${platform}-${arch} in ${dest}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
