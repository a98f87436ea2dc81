// XML's five predefined entities, for the fast readers of plain documents (CSTA XML, the CME XML API).
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * `s` with `&lt;` … `&apos;` read; undefined when it holds any other `&` (a character reference, an undeclared
 * entity, a stray ampersand): the general reader decides on those.
 */
export function readFiveEntities(s: string): string | undefined {
  if (!s.includes('&')) return s;
  let ok = true;
  const out = s.replace(/&([a-z]*);?/g, (all, name: string) => {
    if (all.endsWith(';') && Object.hasOwn(ENTITIES, name)) return ENTITIES[name];
    ok = false;
    return all;
  });
  return ok ? out : undefined;
}
