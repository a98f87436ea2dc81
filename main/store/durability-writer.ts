import { createHash } from 'node:crypto';
import { openDocumentStore, type DocumentSpec } from './document-store';

/**
 * A writer for the durability test (run as a child process that the test kills with SIGKILL): saves three
 * documents over and over, announcing `begin <doc> <seq>` before and `done <doc> <seq>` after each save.
 */
export const DURABILITY_DOCS = ['settings', 'instance-a', 'instance-b'] as const;

export interface DurabilityDoc {
  seq: number;
  payload: string;
  digest: string;
}
export const DURABILITY_KIND = 'durability';

/** The writer trusts its own values; the test checks them with a real schema. No zod here keeps start-up short. */
const passThrough = { safeParse: (v: unknown) => ({ success: true, data: v }) } as unknown as DocumentSpec<DurabilityDoc>['schema'];
const WRITER_SPEC: DocumentSpec<DurabilityDoc> = { kind: DURABILITY_KIND, version: 1, schema: passThrough };

export function digestOf(payload: string): string {
  return createHash('sha256').update(payload).digest('hex');
}

/** Sizes from a few bytes to ~60 KB so a torn write would show in the length and the digest. */
export function payloadFor(seq: number, doc: string): string {
  const size = (seq * 7919 + doc.length * 104_729) % 60_000;
  return `${doc}:${seq}:`.padEnd(size, String.fromCharCode(97 + (seq % 26)));
}

async function main(dir: string): Promise<void> {
  const store = openDocumentStore(dir);
  let seq = 0;
  for (const doc of DURABILITY_DOCS) seq = Math.max(seq, (await store.read(doc, WRITER_SPEC))?.seq ?? 0);
  process.stdout.write('ready\n');
  for (;;) {
    seq++;
    for (const doc of DURABILITY_DOCS) {
      const payload = payloadFor(seq, doc);
      process.stdout.write(`begin ${doc} ${seq}\n`);
      await store.write(doc, WRITER_SPEC, { seq, payload, digest: digestOf(payload) });
      process.stdout.write(`done ${doc} ${seq}\n`);
    }
  }
}

if (process.argv[2] === '--run') {
  main(process.argv[3]).catch((e) => {
    process.stderr.write(`writer failed: ${(e as Error).stack}\n`);
    process.exit(3);
  });
}
