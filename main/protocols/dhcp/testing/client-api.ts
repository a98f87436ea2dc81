// Windows' DHCP client on this machine: DhcpClientApi.cs compiled with Mono's mcs as C# 5 (the language of the .NET
// Framework's compiler that PowerShell's Add-Type uses), and a stand-in dhcpcsvc.dll compiled with gcc from
// fake-dhcpcsvc.c, which a Mono dllmap puts where Windows has the real one. The P/Invoke marshalling is Mono's own.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientApiSourcePath, type ClientApiRunner } from '../windows';

export interface FakeDhcpClient {
  /** Compiled report program (run with `mono`). */
  exe: string;
  /** Where it runs: Mono writes its crash reports (a broken contract aborts) to the working directory. */
  dir: string;
  /** A runner for `locateThroughClientApi`: Mono runs the program with the stand-in set up by `env` (FAKE_DHCP_*). */
  runner(env: Record<string, string>): ClientApiRunner;
  /** Compiles a changed C# source against the same stand-in; returns the exe or the compiler's complaint. */
  compile(source: string, name: string): { exe?: string; error?: string };
  close(): void;
}

function need(tool: string, pkg: string): void {
  if (spawnSync(tool, ['--version'], { encoding: 'utf8' }).error) throw new Error(`${tool} is missing: run "bash scripts/ensure-system-deps.sh" (Debian package ${pkg})`);
}

export function buildFakeDhcpClient(): FakeDhcpClient {
  need('gcc', 'gcc');
  need('mcs', 'mono-mcs');
  need('mono', 'mono-runtime');
  const dir = mkdtempSync(join(tmpdir(), 'lk-dhcpcsvc-'));
  const library = join(dir, 'libfake-dhcpcsvc.so');
  const gcc = spawnSync('gcc', ['-shared', '-fPIC', '-Wall', '-Werror', '-o', library, join(__dirname, 'fake-dhcpcsvc.c')], { encoding: 'utf8' });
  if (gcc.status !== 0) throw new Error(`gcc: ${gcc.stderr}`);
  const compile = (source: string, name: string) => {
    const file = join(dir, `${name}.cs`);
    const exe = join(dir, `${name}.exe`);
    writeFileSync(file, source);
    const mcs = spawnSync('mcs', ['-nologo', '-langversion:5', '-target:exe', `-out:${exe}`, file], { encoding: 'utf8' });
    if (mcs.status !== 0) return { error: mcs.stdout + mcs.stderr };
    // Mono's dllmap: the DllImport("dhcpcsvc.dll") of this program loads the stand-in.
    writeFileSync(`${exe}.config`, `<configuration>\n  <dllmap dll="dhcpcsvc.dll" target="${library}" />\n</configuration>\n`);
    return { exe };
  };
  const built = compile(readFileSync(clientApiSourcePath(), 'utf8'), 'DhcpClientApi');
  if (!built.exe) throw new Error(`mcs: ${built.error}`);
  const exe = built.exe;
  return {
    exe,
    dir,
    runner: (env) => (address) => ({ file: 'mono', args: [exe, address], env: { ...process.env, ...env }, cwd: dir }),
    compile,
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
