import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

/**
 * `linekeeper <args>` as its own process (as a service manager or an admin starts it); resolves with its output
 * once it says "Press Ctrl-C" and every pattern in `ports` matched (their first groups as numbers). The caller
 * kills the child.
 */
export function spawnServerProcess<K extends string>(args: string[], ports: Record<K, RegExp>, env: NodeJS.ProcessEnv = process.env): { child: ChildProcess; ready: Promise<Record<K, number> & { output: () => string }> } {
  const child = spawn(process.execPath, [join(root, 'bin', 'linekeeper.js'), ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const ready = new Promise<Record<K, number> & { output: () => string }>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`linekeeper ${args.join(' ')} did not start:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (!/Press Ctrl-C/.test(out)) return;
      const found = Object.entries<RegExp>(ports).map(([k, re]) => [k, Number(re.exec(out)?.[1])] as const);
      if (found.some(([, n]) => !Number.isInteger(n))) return;
      clearTimeout(t);
      resolve({ ...(Object.fromEntries(found) as Record<K, number>), output: () => out });
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

/** A multiplexer command (`mux`, `service run mux`): ready with the CSTA TCP port it printed. */
export function spawnMuxProcess(args: string[], env?: NodeJS.ProcessEnv) {
  return spawnServerProcess(args, { port: /CSTA \(TCP\): 127\.0\.0\.1:(\d+)/ }, env);
}

/** A uaCSTA server command (`uacsta`, `service run uacsta`) with a client port: ready with both ports. */
export function spawnUacstaProcess(args: string[]) {
  return spawnServerProcess(args, { phonePort: /phones \(TCP\): 127\.0\.0\.1:(\d+)/, clientPort: /clients \(TCP\): 127\.0\.0\.1:(\d+)/ });
}
