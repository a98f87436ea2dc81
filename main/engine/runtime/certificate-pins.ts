// Certificates the admin accepted by fingerprint, per instance: one small config document, since the instance
// schema has no field for it. A pinned fingerprint replaces the chain and host-name check for that instance.
import { z } from 'zod';
import type { DocumentSpec, DocumentStore } from '../../store';
import { normaliseFingerprint } from '../../drivers';

const pinsSchema = z.object({ pins: z.record(z.string(), z.string()).default({}) });
type Pins = z.output<typeof pinsSchema>;
export const CERTIFICATE_PINS_DOCUMENT = 'certificate-pins';
const SPEC: DocumentSpec<Pins> = { kind: 'certificate-pins', version: 1, schema: pinsSchema };

export interface CertificatePins {
  get(instanceId: string): Promise<string | undefined>;
  /** Pins a fingerprint (normalised to AA:BB:…), or removes the pin with null. */
  set(instanceId: string, fingerprint: string | null): Promise<string | null>;
}

export function storeCertificatePins(docs: DocumentStore): CertificatePins {
  return {
    async get(instanceId) {
      return (await docs.read(CERTIFICATE_PINS_DOCUMENT, SPEC))?.pins[instanceId];
    },
    async set(instanceId, fingerprint) {
      const fp = fingerprint === null ? null : normaliseFingerprint(fingerprint);
      await docs.update(CERTIFICATE_PINS_DOCUMENT, SPEC, (cur) => {
        const pins = { ...(cur?.pins ?? {}) };
        if (fp === null) delete pins[instanceId];
        else pins[instanceId] = fp;
        return { pins };
      });
      return fp;
    },
  };
}

export function memoryCertificatePins(): CertificatePins {
  const pins = new Map<string, string>();
  return {
    get: async (id) => pins.get(id),
    set: async (id, fp) => {
      const n = fp === null ? null : normaliseFingerprint(fp);
      if (n === null) pins.delete(id);
      else pins.set(id, n);
      return n;
    },
  };
}
