import type { Instance } from '../../../shared/model/instance';
import { StoreError, type DocumentSpec, type DocumentStore, type UnreadableDetails } from '../../store';

/** An instance document that does not load, with the name it is known by. */
export interface DamagedInstance {
  document: string;
  code: string;
  message: string;
  details: unknown;
  /**
   * The instance's name: from the damaged file when its JSON still has one, else from the backup copy; null
   * when neither tells. While the document is damaged this name stays taken, so restoring the backup copy
   * later cannot give two instances one name.
   */
  name: string | null;
}

/** The instance name an envelope's data holds, if any (read without validating the rest). */
export function envelopeName(envelope: unknown): string | null {
  const name = (envelope as { data?: { name?: unknown } } | null)?.data?.name;
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : null;
}

async function knownName(docs: DocumentStore, document: string, spec: DocumentSpec<Instance>): Promise<string | null> {
  try {
    const fromFile = envelopeName(await docs.readEnvelope(document));
    if (fromFile) return fromFile;
  } catch {
    // Not JSON any more: the backup copy may still say.
  }
  try {
    return (await docs.readBackup(document, spec))?.value.name ?? null;
  } catch {
    return null;
  }
}

/** Every instance document (name starting with `prefix`) that fails to load. */
export async function damagedInstances(docs: DocumentStore, prefix: string, spec: DocumentSpec<Instance>): Promise<DamagedInstance[]> {
  const out: DamagedInstance[] = [];
  for (const document of await docs.list(prefix)) {
    try {
      await docs.read(document, spec);
    } catch (e) {
      if (!(e instanceof StoreError)) throw e;
      out.push({ document, code: e.code, message: e.message, details: e.details as UnreadableDetails, name: await knownName(docs, document, spec) });
    }
  }
  return out;
}

/** The damaged document that holds this name (case-insensitive), if any. */
export function holderOf(damaged: readonly DamagedInstance[], name: string): DamagedInstance | undefined {
  const wanted = name.trim().toLowerCase();
  return damaged.find((d) => d.name !== null && d.name.toLowerCase() === wanted);
}
