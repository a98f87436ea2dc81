import type { z } from 'zod';
import { FAMILY_SPECS, applyConnectionChange, type FieldDesc } from '../../../../shared/families';
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
export function applyChange(family: Family, v: Values, key: string, value: unknown): Values {
  return applyConnectionChange(FAMILY_SPECS[family], v, { [key]: value });
}
