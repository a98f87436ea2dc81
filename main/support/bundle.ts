import { existsSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { zipArchive, type ZipEntry } from './zip';

export interface SupportBundleOptions {
  dataDir: string;
  /** Electron's crash dumps folder (minidumps), when the console writes the bundle. */
  crashDumpsDir?: string;
  /** Versions for the manifest: app, Electron, Node, Chromium, protocol stacks … */
  versions: Record<string, string>;
  outFile: string;
}

/** What never goes into a bundle: the secret stores and key files. */
const EXCLUDED = /^(secrets|safe-secrets[^/]*)(\/|$)|\.key$|\.lock$/;
/** Configuration fields whose values are credentials (kept out even though the store keeps secrets elsewhere). */
const SECRET_FIELD = /pass(word|phrase)?$|secret|token|licen[cs]eKey|privateKey/i;
const REMOVED = '(removed)';

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELD.test(k) && typeof v !== 'object' ? REMOVED : redact(v)]));
  }
  return value;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * The "send to support" archive: the logs, the configuration documents with credential fields removed, the
 * crash dumps and a manifest of versions. Never the secret store or its key. Written under a temporary name and
 * renamed, so a failure leaves no half-written bundle.
 */
export function writeSupportBundle(opts: SupportBundleOptions): { files: string[]; bytes: number } {
  const entries: ZipEntry[] = [];
  const add = (name: string, file: string) => entries.push({ name, data: readFileSync(file), modified: statSync(file).mtime });
  for (const file of filesUnder(join(opts.dataDir, 'logs'))) add(`logs/${relative(join(opts.dataDir, 'logs'), file).split(sep).join('/')}`, file);
  for (const file of filesUnder(join(opts.dataDir, 'config'))) {
    const rel = relative(opts.dataDir, file).split(sep).join('/');
    if (EXCLUDED.test(rel) || !file.endsWith('.json')) continue;
    let text = readFileSync(file, 'utf8');
    try {
      text = JSON.stringify(redact(JSON.parse(text)), null, 2);
    } catch {
      // A damaged document is what support needs to see; it holds no credentials by design.
    }
    entries.push({ name: rel, data: Buffer.from(text, 'utf8'), modified: statSync(file).mtime });
  }
  if (opts.crashDumpsDir) {
    for (const file of filesUnder(opts.crashDumpsDir)) if (file.endsWith('.dmp')) add(`crash-dumps/${basename(file)}`, file);
  }
  const manifest = [`created: ${new Date().toISOString()}`, `platform: ${process.platform} ${process.arch}`, `data directory: ${opts.dataDir}`, ...Object.entries(opts.versions).map(([k, v]) => `${k}: ${v}`), `files: ${entries.length}`, ''].join('\n');
  entries.unshift({ name: 'manifest.txt', data: Buffer.from(manifest, 'utf8') });
  const zip = zipArchive(entries);
  const temp = `${opts.outFile}.partial-${process.pid}`;
  try {
    writeFileSync(temp, zip, { mode: 0o600 });
    renameSync(temp, opts.outFile);
  } catch (e) {
    if (existsSync(temp)) unlinkSync(temp);
    throw e;
  }
  return { files: entries.map((e) => e.name), bytes: zip.length };
}
