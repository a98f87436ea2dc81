import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runCliCapture } from './testing';
import pkg from '../../package.json';

describe('linekeeper command', () => {
  it('--help lists the commands and --version prints the version', async () => {
    const help = await runCliCapture(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/serve\s+serve the console/);
    const version = await runCliCapture(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('an unknown command or option exits 2 and names the problem', async () => {
    const unknown = await runCliCapture(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const badOption = await runCliCapture(['serve', '--colour', 'blue']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toMatch(/--colour/);
    expect(badOption.stderr).toContain('usage: linekeeper serve');
    const badPort = await runCliCapture(['serve', '--port', '70000']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port must be a port number 0-65535, got "70000"');
  });

  it('serve prints a URL with a token that opens the API, and stops on the stop signal', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lk-serve-'));
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    let stdout = '';
    const { runCli } = await import('./run');
    const done = runCli(['serve', '--port', '0', '--data-dir', dataDir], { stdout: (t) => (stdout += t), stderr: () => undefined, stopSignal: stopped });
    while (!/console: /.test(stdout)) await new Promise((r) => setTimeout(r, 20));
    const url = new URL(/console: (\S+)/.exec(stdout)![1]);
    expect(url.hostname).toBe('127.0.0.1');
    const ws = new WebSocket(`ws://${url.host}/api?token=${url.searchParams.get('token')}`);
    const reply = await new Promise<{ reply: { ok: boolean; result: { dataDir: string } } }>((resolve, reject) => {
      ws.on('open', () => ws.send(JSON.stringify({ id: 1, method: 'app.info', input: {} })));
      ws.on('message', (d) => resolve(JSON.parse(d.toString())));
      ws.on('error', reject);
    });
    expect(reply.reply.ok).toBe(true);
    expect(reply.reply.result.dataDir).toBe(dataDir);
    ws.close();
    stop();
    expect(await done).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
  });
});

describe('help of grouped commands', () => {
  it('"<group> <verb> --help" shows the verb\'s own usage, "<group> --help" the list of verbs', async () => {
    const { commands } = await import('./commands/index');
    const grouped = commands.filter((c) => c.isGroup);
    expect(grouped.length).toBeGreaterThan(0);
    for (const g of grouped) {
      const list = await runCliCapture([g.name, '--help']);
      expect(list.code).toBe(0);
      expect(list.stdout).toContain('Verbs:');
      const verb = /Verbs:\n\s+(\S+)/.exec(list.stdout)![1];
      const help = await runCliCapture([g.name, verb, '--help']);
      expect(help.code, `${g.name} ${verb} --help`).toBe(0);
      expect(help.stdout).not.toContain('Verbs:');
    }
  });
});
