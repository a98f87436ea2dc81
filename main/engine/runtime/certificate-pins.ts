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

/**
 * Pins of instances the wizard has not created yet stay in memory (`held(id)`), and go to `stored` once the
 * instance is (`keep(id)`) — nothing is written before the wizard's last step.
 */
export function pendingAwarePins(stored: CertificatePins, held: (instanceId: string) => boolean): CertificatePins & { keep(instanceId: string): Promise<void> } {
  const pending = memoryCertificatePins();
  return {
    // The held pin first: it stays readable until keep() has written it, just after the instance is created.
    get: async (id) => (await pending.get(id)) ?? (held(id) ? undefined : stored.get(id)),
    set: async (id, fp) => (held(id) ? pending.set(id, fp) : stored.set(id, fp)),
    async keep(id) {
      const fp = await pending.get(id);
      if (fp === undefined) return;
      await stored.set(id, fp);
      await pending.set(id, null);
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
