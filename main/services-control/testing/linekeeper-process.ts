import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

/**
 * `linekeeper <args>` as its own process (as a service manager or an admin starts it) for a multiplexer command;
 * resolves with the TCP port it printed once it is ready. The caller kills the child.
 */
export function spawnMuxProcess(args: string[]): { child: ChildProcess; ready: Promise<{ port: number; output: () => string }> } {
  const child = spawn(process.execPath, [join(root, 'bin', 'linekeeper.js'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const ready = new Promise<{ port: number; output: () => string }>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`linekeeper ${args.join(' ')} did not start:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /CSTA \(TCP\): 127\.0\.0\.1:(\d+)/.exec(out);
      if (m && /Press Ctrl-C/.test(out)) {
        clearTimeout(t);
        resolve({ port: Number(m[1]), output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`linekeeper ${args.join(' ')} exited with ${code}:\n${out}`));
    });
  });
  return { child, ready };
}
