/**
 * The replacement template, expanded the way Spencer's regsub does it: `\0` and `&` are the whole
 * match, `\1`…`\9` the groups (one digit only, so `\10` is group 1 then `0`), an unset group gives
 * nothing, `\\` and `\&` are a literal `\` and `&`, and any other backslash is kept as it is.
 * Never String.prototype.replace: its `$` syntax is not the dialect.
 */

export interface TemplatePart {
  kind: 'text' | 'group';
  /** For `text`: the literal text; for `group`: unused. */
  text: string;
  /** For `group`: 0 = whole match. */
  group: number;
  /** Offset of this part in the template (for lint positions). */
  offset: number;
  length: number;
}

export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let textStart = 0;
  const flush = (at: number) => {
    if (text) parts.push({ kind: 'text', text, group: -1, offset: textStart, length: at - textStart });
    text = '';
    textStart = at;
  };
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    const next = template[i + 1];
    if (c === '&') {
      flush(i);
      parts.push({ kind: 'group', text: '', group: 0, offset: i, length: 1 });
      i++;
      textStart = i;
    } else if (c === '\\' && next !== undefined && next >= '0' && next <= '9') {
      flush(i);
      parts.push({ kind: 'group', text: '', group: next.charCodeAt(0) - 48, offset: i, length: 2 });
      i += 2;
      textStart = i;
    } else if (c === '\\' && (next === '\\' || next === '&')) {
      text += next;
      i += 2;
    } else {
      text += c;
      i++;
    }
  }
  flush(i);
  return parts;
}

/** Offsets of backslashes the driver keeps literally (`\+` stays `\+`): likely mistakes. */
export function literalBackslashes(template: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < template.length; i++) {
    if (template[i] !== '\\') continue;
    const next = template[i + 1];
    if (next !== undefined && ((next >= '0' && next <= '9') || next === '\\' || next === '&')) i++;
    else out.push(i);
  }
  return out;
}

/** Expands parsed parts against the capture slots of a match (pairs of start/end, -1 = unset). */
export function expandTemplate(parts: TemplatePart[], input: string, slots: readonly number[]): string {
  let out = '';
  for (const p of parts) {
    if (p.kind === 'text') out += p.text;
    else {
      const s = slots[2 * p.group];
      const e = slots[2 * p.group + 1];
      if (2 * p.group + 1 < slots.length && s >= 0 && e >= 0) out += input.slice(s, e);
    }
  }
  return out;
}
