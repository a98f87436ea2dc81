import { statSync } from 'node:fs';
import { z } from 'zod';
import type { DocumentSpec, DocumentStore } from '../../store';

/** The licence document: the keys as entered (re-checked on every load) and the trial record. */
export const licenceDocumentSchema = z.object({
  keys: z.array(z.object({ key: z.string(), addedAt: z.string() })),
  trial: z.object({ firstStart: z.string(), lastSeen: z.string(), seal: z.string(), v: z.literal(2).optional() }).optional(),
});
export type LicenceDocument = z.infer<typeof licenceDocumentSchema>;

export const LICENCE_DOCUMENT = 'licences';
export const LICENCE_SPEC: DocumentSpec<LicenceDocument> = { kind: 'licences', version: 1, schema: licenceDocumentSchema };

/** Where the licence document lives; the app uses the config store, tests may use memory. */
export interface LicenceDocs {
  read(): Promise<LicenceDocument | undefined>;
  /** Read-modify-write, atomic; if `fn` throws nothing is written. */
  update(fn: (current: LicenceDocument | undefined) => LicenceDocument | Promise<LicenceDocument>): Promise<LicenceDocument>;
  /** Changes whenever the stored document does (another process wrote it); absent where nothing else writes. */
  version?(): string;
}

export function storeLicenceDocs(store: DocumentStore): LicenceDocs {
  return {
    read: () => store.read(LICENCE_DOCUMENT, LICENCE_SPEC),
    update: (fn) => store.update(LICENCE_DOCUMENT, LICENCE_SPEC, fn),
    version: () => {
      try {
        const st = statSync(store.fileOf(LICENCE_DOCUMENT));
        return `${st.mtimeMs}:${st.size}:${st.ino}`;
      } catch {
        return 'none';
      }
    },
  };
}

export function memoryLicenceDocs(initial?: LicenceDocument): LicenceDocs {
  let doc = initial && structuredClone(initial);
  return {
    read: async () => doc && structuredClone(doc),
    update: async (fn) => {
      const next = licenceDocumentSchema.parse(await fn(doc && structuredClone(doc)));
      doc = structuredClone(next);
      return next;
    },
  };
}
