/**
 * A failure's details fill its sentence's placeholders; those that are API identifiers are put in the user's words
 * first (the operation a PBX lacks reads "Call back when free", not "callBack").
 */
export function wordedParams(params: Record<string, unknown>, t: (key: string) => string, exists: (key: string) => boolean): Record<string, unknown> {
  const op = params.op;
  return typeof op === 'string' && exists(`control.opNames.${op}`) ? { ...params, op: t(`control.opNames.${op}`) } : params;
}
