import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decode, openDocumentStore, type DocumentSpec } from './document-store';
import { digestOf, DURABILITY_DOCS, DURABILITY_KIND, type DurabilityDoc } from './durability-writer';

const DURABILITY_SPEC: DocumentSpec<DurabilityDoc> = {
  kind: DURABILITY_KIND,
  version: 1,
  schema: z
    .object({ seq: z.number().int(), payload: z.string(), digest: z.string() })
    .refine((d) => d.digest === digestOf(d.payload), 'payload does not match its digest (torn write)'),
};

/** Writers in parallel (each on its own directory): process start-up dominates, and fsync waits overlap. */
const LANES = 4;
const KILLS_PER_LANE = 50;
const KILLS = LANES * KILLS_PER_LANE;
let writerJs = '';

beforeAll(async () => {
  // Bundled once to plain JS so each of the hundreds of writer processes starts in milliseconds.
  writerJs = join(mkdtempSync(join(tmpdir(), 'lk-writer-')), 'writer.mjs');
  await build({ entryPoints: [join(import.meta.dirname, 'durability-writer.ts')], bundle: true, platform: 'node', format: 'esm', outfile: writerJs, logLevel: 'silent' });
});

/**
 * Starts the writer and kills it with SIGKILL a random few milliseconds after a random one of its first
 * announcements, so kills land in every phase of a save whatever the machine's speed. Returns the announcements.
 */
function runAndKill(dir: string): Promise<{ lines: string[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerJs, '--run', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const killAfter = 1 + Math.floor(Math.random() * 7);
    let out = '';
    let err = '';
    let armed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!armed && out.split('\n').length - 1 >= killAfter) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), Math.random() * 6);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', () => resolve({ lines: out.split('\n').filter(Boolean), stderr: err }));
  });
}

/** Kills a writer on one directory again and again; after each kill checks every document against what was announced. */
async function killLoop(kills: number): Promise<{ killedMidSave: number; saves: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'lk-durable-'));
  const state = new Map<string, number | undefined>(DURABILITY_DOCS.map((d) => [d, undefined]));
  let killedMidSave = 0;
  let saves = 0;
  for (let run = 0; run < kills; run++) {
    const { lines, stderr } = await runAndKill(dir);
    expect(stderr, `writer error in run ${run}`).toBe('');
    const allowed = new Map<string, Set<number | undefined>>();
    for (const doc of DURABILITY_DOCS) allowed.set(doc, new Set([state.get(doc)]));
    for (const line of lines) {
      const [what, doc, seqText] = line.split(' ');
      if (what === 'begin') allowed.get(doc)!.add(Number(seqText));
      if (what === 'done') {
        allowed.set(doc, new Set([Number(seqText)]));
        saves++;
      }
    }
    const store = openDocumentStore(dir);
    for (const doc of DURABILITY_DOCS) {
      const seq = storedSeq(store.fileOf(doc), `run ${run}: ${doc}`);
      const ok = allowed.get(doc)!;
      expect(ok.has(seq), `run ${run}: ${doc} holds seq ${seq}, allowed ${[...ok].join('/')}`).toBe(true);
      if (ok.size > 1) killedMidSave++;
      state.set(doc, seq);
    }
  }
  return { killedMidSave, saves };
}

/** The seq of a document on disk, undefined if absent; throws if the file is broken in any way. */
function storedSeq(file: string, what: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const loaded = decode(text, DURABILITY_SPEC);
  if (!loaded.ok) throw new Error(`${what} is broken: ${loaded.cause}`);
  return loaded.value.seq;
}

describe('durability of saves', () => {
  it(`a writer killed at random points ${KILLS} times leaves every document either its old or its new version`, async () => {
    const lanes = await Promise.all(Array.from({ length: LANES }, () => killLoop(KILLS_PER_LANE)));
    const killedMidSave = lanes.reduce((n, l) => n + l.killedMidSave, 0);
    const saves = lanes.reduce((n, l) => n + l.saves, 0);
    // The kills must really have landed inside saves, and the writers must have made progress.
    expect(killedMidSave).toBeGreaterThan(KILLS / 3);
    expect(saves).toBeGreaterThan(KILLS / 2);
  }, 240_000);
});
