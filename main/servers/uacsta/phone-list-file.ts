// The phone list kept between runs (the manual's "Telephones" page survives a restart): a JSON file written whole
// (temporary file, then rename) so a crash never leaves half a list. A file that is not a phone list is refused
// with the reason and left as it is.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { PhoneRecord } from './phone-interface';

const recordSchema = z.object({
  mac: z.string().regex(/^[0-9a-f]{12}$/),
  type: z.string(),
  vendor: z.enum(['snom', 'yealink', 'auerswald', 'mitel', 'unknown']),
  firmware: z.string().optional(),
  lastIp: z.string(),
  identity: z.string().optional(),
  identities: z.array(z.string()),
  lastLogin: z.number(),
  enabled: z.boolean(),
});
const fileSchema = z.object({ phones: z.array(recordSchema) });

export class PhoneListFileError extends Error {
  readonly code = 'UACSTA_PHONE_LIST_UNREADABLE';
}

/** The stored phones, or none when there is no file yet. */
export function readPhoneList(path: string): PhoneRecord[] {
  if (!existsSync(path)) return [];
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new PhoneListFileError(`${path} is not a phone list (${(e as Error).message}); fix or move it away, it was left as it is`);
  }
  const r = fileSchema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new PhoneListFileError(`${path} is not a phone list (${i.path.join('.') || 'top level'}: ${i.message}); fix or move it away, it was left as it is`);
  }
  return r.data.phones.map((p) => ({ ...p, status: p.enabled ? 'offline' : 'disabled' }));
}

export function writePhoneList(path: string, phones: PhoneRecord[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  const stored = phones.map(({ mac, type, vendor, firmware, lastIp, identity, identities, lastLogin, enabled }) => ({ mac, type, vendor, firmware, lastIp, identity, identities, lastLogin, enabled }));
  writeFileSync(tmp, JSON.stringify({ phones: stored }, null, 2) + '\n');
  renameSync(tmp, path);
}
