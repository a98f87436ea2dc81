import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

// Every log entry of the product is coded (`coded(code, params)` from shared/problems.ts), so the console shows it
// in the admin's language: a logger call whose first argument is written out as English text is refused here.
const ROOT = join(__dirname, '..');
const MAIN = join(ROOT, 'main');
// Simulators write English to their own terminal (the demo wraps their log); tests and test support are not product.
const OUTSIDE = ['main/sim/'];

function productFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'testing' || d.name === 'node_modules' ? [] : productFiles(path);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') && !d.name.endsWith('.d.ts') ? [path] : [];
  });
}

// `<receiver>.info(` … `.debug(` with a quote or backquote first: the receiver is a chain of names and calls
// (`this.deps.logger`, `o.logger?`, `logger.child('web')`).
const LEVEL_CALL = /([A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*|\([^()]*\))*)\??\.(?:info|warn|error|debug)\(\s*['"`]/g;
// `logger.log('warn', 'source', '…')`
const LOG_CALL = /\.log\(\s*'(?:error|warn|info|debug)'\s*,\s*[^,()]+,\s*['"`]/g;

function isLogger(receiver: string): boolean {
  if (/^console\b/.test(receiver)) return false;
  const last = receiver.replace(/\?$/, '').split(/\??\./).pop() ?? '';
  return /log/i.test(last) || /^child\(/.test(last);
}

/** Lines of `text` with a logger call whose message is written as a string; `file` names them. */
export function uncodedLogCalls(file: string, text: string): string[] {
  const found: number[] = [];
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  for (const m of text.matchAll(LEVEL_CALL)) if (isLogger(m[1])) found.push(lineOf(m.index));
  for (const m of text.matchAll(LOG_CALL)) found.push(lineOf(m.index));
  return [...new Set(found)].sort((a, b) => a - b).map((line) => `${file}:${line}`);
}

describe('log entries are coded', () => {
  it('the scan finds every form of logger call with a written-out message, and not the terminal', () => {
    const sample = [
      'logger.info(`started ${x}`);',
      "log.warn('bad');",
      'this.log.error(\n  `multi-line ${y}`);',
      "this.deps.logger.debug('d');",
      "o.logger?.warn('w');",
      "this.options.log?.info(`i`);",
      "services.logger.child('web').warn(\"x\");",
      "s.logger.log('warn', 'mux', `the settings ${z}`);",
      "phoneLog.info('phone');",
      // not log entries: the terminal, a coded entry, a message in a variable
      "console.error('to the terminal');",
      "logger.warn(coded('logApp.x', { a }));",
      'log.info(line);',
      "s.logger.log('info', 'app', coded('logApp.started', {}));",
      "autoUpdater.checkForUpdates().catch(() => undefined);",
    ].join('\n');
    expect(uncodedLogCalls('sample.ts', sample)).toEqual(['sample.ts:1', 'sample.ts:2', 'sample.ts:3', 'sample.ts:5', 'sample.ts:6', 'sample.ts:7', 'sample.ts:8', 'sample.ts:9', 'sample.ts:10']);
  });

  it('no product file under main/ writes a log entry as plain English', () => {
    const files = productFiles(MAIN)
      .map((f) => relative(ROOT, f).split(sep).join('/'))
      .filter((f) => !OUTSIDE.some((dir) => f.startsWith(dir)));
    // The walk reaches the product (a broken path would pass with nothing scanned).
    expect(files).toEqual(expect.arrayContaining(['main/web/server.ts', 'main/engine/runtime/instance-runtime.ts', 'main/api/index.ts', 'main/electron/shell.ts']));
    const uncoded = files.flatMap((f) => uncodedLogCalls(f, readFileSync(join(ROOT, f), 'utf8')));
    expect(uncoded, 'use coded(…) from shared/problems.ts and a logApp.* code with English and German texts').toEqual([]);
  });
});
