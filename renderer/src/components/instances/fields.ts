import type { z } from 'zod';
import { useEffect } from 'react';
import { FAMILY_SPECS, applyConnectionChange, type AccessProfile, type FieldDesc } from '../../../../shared/families';
import { useProfiles } from '../../store/profiles';
import type { Family } from '../../../../shared/model/instance';
import { codedProblem, zodProblem, type Problem } from '../../i18n/problems';
import { coded } from '../../../../shared/problems';

export type Values = Record<string, unknown>;
export type { FieldDesc };

const byFamily = <T>(pick: (spec: (typeof FAMILY_SPECS)[Family]) => T) =>
  Object.fromEntries(Object.entries(FAMILY_SPECS).map(([id, spec]) => [id, pick(spec)])) as Record<Family, T>;

/** The connection settings of each family, in the order of the manuals' dialogs (from the family specs). */
export const CONNECTION_FIELDS: Record<Family, readonly FieldDesc[]> = byFamily((s) => s.form.connection);
export const ADVANCED_FIELDS: Record<Family, readonly FieldDesc[]> = byFamily((s) => s.form.advanced);
export const CONNECTION_SCHEMAS: Record<Family, z.ZodType> = byFamily((s) => s.connection);
export const ADVANCED_SCHEMAS: Record<Family, z.ZodType> = byFamily((s) => s.advanced);

/**
 * Problems by field key, as the admin types; the same schemas main stores with. `say` turns each problem into
 * text in the UI language (the components pass `useProblemText()`); without it the schemas' English is kept.
 */
export function validate(schema: z.ZodType, values: Values, extra?: (v: Values) => Record<string, Problem>, say: (p: Problem) => string = (p) => p.text): Record<string, string> {
  const found: Record<string, Problem> = {};
  const r = schema.safeParse(values);
  if (!r.success) for (const issue of r.error.issues) found[String(issue.path[0] ?? '')] ??= zodProblem(issue);
  Object.assign(found, extra?.(values));
  return Object.fromEntries(Object.entries(found).map(([k, p]) => [k, say(p)]));
}

/** Cross-field rules of the connection (the family's rules, as the model checks them on the whole instance). */
export function connectionExtra(family: Family): (v: Values) => Record<string, Problem> {
  const spec = FAMILY_SPECS[family];
  return (v) => {
    const out: Record<string, Problem> = {};
    if (!String(v.host ?? '').trim()) out.host = codedProblem(coded('validation.hostEmpty'));
    // The rules read fields, not whole valid settings: they run while other fields are still wrong.
    const connection = { ...spec.connection.parse({}), ...v };
    for (const { path, ...problem } of spec.check?.(connection as never, spec.advanced.parse({}) as never) ?? []) {
      if (path[0] === 'connection') out[path[1]] = codedProblem(problem);
    }
    return out;
  };
}

/** A change of one setting, with the ports and provider details the manuals tie to it filled in (the family's rule). */
export function applyChange(family: Family, v: Values, key: string, value: unknown, added: readonly AccessProfile[] = []): Values {
  return applyConnectionChange(FAMILY_SPECS[family], v, { [key]: value }, added);
}

/**
 * The connection fields of a family with the access profiles the admin added among the profile choices, and
 * the change function that fills in an added profile as it does a built-in one.
 */
export function useConnectionForm(family: Family): { fields: readonly FieldDesc[]; change(v: Values, key: string, value: unknown): Values } {
  const spec = FAMILY_SPECS[family];
  const added = useProfiles((s) => s.added[family]);
  const load = useProfiles((s) => s.load);
  useEffect(() => {
    if (spec.profiles) void load(family).catch(() => undefined);
  }, [family, spec.profiles, load]);
  const list = added ?? [];
  const field = spec.profiles?.field;
  const fields = !field || !list.length ? CONNECTION_FIELDS[family] : CONNECTION_FIELDS[family].map((f) => (f.key === field ? { ...f, options: [...(f.options ?? []), ...list.map((p) => p.id)], optionLabels: { ...f.optionLabels, ...Object.fromEntries(list.map((p) => [p.id, p.label])) } } : f));
  return { fields, change: (v, key, value) => applyChange(family, v, key, value, list) };
}
