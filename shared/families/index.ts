// Public face of the family specs: the four shipped families and the rules that read a spec. The behaviour
// behind each family (driver, simulator, CLI options) is in main/drivers/registry.ts.
import { broadworks } from './broadworks';
import { cme } from './cme';
import type { Family } from './ids';
import { panasonic } from './panasonic';
import { sipPhones } from './sip-phones';
import type { AccessProfile, FamilySpec } from './spec';

export * from './ids';
export { panasonic, cme, broadworks, sipPhones };
export * from './spec';
export { PANASONIC_PORTS, panasonicAdvancedSchema, panasonicConnectionSchema } from './panasonic';
export { CME_DEFAULTS, cmeAdvancedSchema, cmeConnectionSchema, macDigits } from './cme';
export { BROADWORKS_CONNECTION_TYPES, BROADWORKS_PORTS, BROADWORKS_PROVIDERS, broadworksAdvancedSchema, broadworksConnectionSchema, parseProviderProfiles, type BroadWorksConnectionType } from './broadworks';
export { SIP_PHONES_PORTS, sipPhonesAdvancedSchema, sipPhonesConnectionSchema } from './sip-phones';

/** The shipped families by id; typed per family so their settings keep their shapes. */
export const FAMILY_SPECS = { panasonic, cme, broadworks, 'sip-phones': sipPhones } as const satisfies Record<Family, FamilySpec>;

/** A catalogue of specs by id: the shipped one, or a test's with an extra family. */
export type FamilyCatalogue = Readonly<Record<string, FamilySpec>>;

/** The spec of a family; throws for an id the catalogue does not know. */
export function familySpec(id: string, catalogue: FamilyCatalogue = FAMILY_SPECS): FamilySpec {
  const spec = catalogue[id];
  if (!spec) throw new Error(`unknown family "${id}" (known: ${Object.keys(catalogue).join(', ')})`);
  return spec;
}

/**
 * A change of connection settings with what the manuals tie to it filled in: the family's fill-ins (a provider
 * profile, TLS off when going direct), and the port following the transport only while it is the default one,
 * so a port the admin typed is kept. The console's form and the instance store both apply it.
 */
export function applyConnectionChange(spec: FamilySpec, before: Record<string, unknown>, patch: Record<string, unknown>, added: readonly AccessProfile[] = []): Record<string, unknown> {
  const filled = { ...(spec.fillIn?.(before as never, patch) ?? {}), ...profileFields(spec, patch, added) };
  const next: Record<string, unknown> = { ...before, ...filled, ...patch };
  if (!(spec.portField in patch) && !(spec.portField in filled)) {
    const oldDefault = safeDefaultPort(spec, before);
    const newDefault = safeDefaultPort(spec, next);
    if (oldDefault !== undefined && newDefault !== undefined && oldDefault !== newDefault && before[spec.portField] === oldDefault) next[spec.portField] = newDefault;
  }
  return next;
}

/** The fields of the access profile a patch chooses (built in or added); nothing for `custom` or an unknown one. */
export function profileFields(spec: FamilySpec, patch: Record<string, unknown>, added: readonly AccessProfile[] = []): Record<string, unknown> {
  const p = spec.profiles;
  const id = p ? patch[p.field] : undefined;
  if (!p || typeof id !== 'string') return {};
  return [...p.builtIn, ...added].find((x) => x.id === id)?.fields ?? {};
}

function safeDefaultPort(spec: FamilySpec, connection: Record<string, unknown>): number | undefined {
  const r = spec.connection.safeParse(connection);
  return r.success ? spec.defaultPort(r.data) : undefined;
}
