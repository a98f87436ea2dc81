import { describe, expect, it } from 'vitest';
import { CALL_OPS } from '../../../shared/api/call-control';
import { FAMILY_SPECS } from '../../../shared/families';
import { en } from './en';
import { de } from './de';
import { wordedParams } from './error-params';

const lookup = (catalogue: Record<string, unknown>, key: string) => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], catalogue);
const tOf = (catalogue: Record<string, unknown>) => (key: string) => String(lookup(catalogue, key) ?? key);
const existsIn = (catalogue: Record<string, unknown>) => (key: string) => typeof lookup(catalogue, key) === 'string';
const fill = (text: string, params: Record<string, unknown>) => text.replace(/\{\{(\w+)\}\}/g, (_, p: string) => String(params[p] ?? ''));

describe('a failure naming an operation the PBX lacks', () => {
  it('names every operation a family can offer in both languages', () => {
    const ops = new Set<string>([...CALL_OPS, ...Object.values(FAMILY_SPECS).flatMap((f) => f.capabilities.callControl)]);
    for (const catalogue of [en, de]) for (const op of ops) expect(existsIn(catalogue)(`control.opNames.${op}`), op).toBe(true);
  });

  it('reads as a sentence in the user\'s language, not with the API name', () => {
    const details = { op: 'callBack', family: 'panasonic' };
    expect(fill(de.errors.CALL_CONTROL_NOT_SUPPORTED, wordedParams(details, tOf(de), existsIn(de)))).toBe('Diese Anlage bietet diese Funktion nicht an (Rückruf bei Frei).');
    expect(fill(en.errors.CALL_CONTROL_NOT_SUPPORTED, wordedParams({ op: 'intrude' }, tOf(en), existsIn(en)))).toBe('This PBX does not offer that operation (Intrude).');
    // An operation the console has no words for stays as main named it; other facts are left alone.
    expect(wordedParams({ op: 'futureOp', family: 'cme' }, tOf(en), existsIn(en))).toEqual({ op: 'futureOp', family: 'cme' });
  });
});
