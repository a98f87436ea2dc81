import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { en } from '../renderer/src/i18n/en';
import { de } from '../renderer/src/i18n/de';

type Tree = { [k: string]: string | Tree };

/** Every string of a language by its dotted key. */
function flatten(tree: Tree, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else if (v && typeof v === 'object') flatten(v, `${prefix}${k}.`, out);
  }
  return out;
}

const LANGUAGES = { en: flatten(en as unknown as Tree), de: flatten(de as unknown as Tree) };
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

describe('sentences with a count', () => {
  it('each string that uses {{count}} is a plural form, with both _one and _other, in English and German', () => {
    const missing: string[] = [];
    for (const [lng, strings] of Object.entries(LANGUAGES)) {
      for (const [key, text] of strings) {
        if (!/\{\{\s*count\b/.test(text)) continue;
        const base = key.replace(PLURAL_SUFFIX, '');
        if (base === key) missing.push(`${lng} ${key}: not a plural form (${key}_one, ${key}_other)`);
        for (const form of ['_one', '_other']) if (!strings.has(base + form)) missing.push(`${lng} ${base}${form} is missing`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('the forms differ where the language needs them (one thing is not "1 things")', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ resources: { en: { translation: en }, de: { translation: de } }, lng: 'en', interpolation: { escapeValue: false } });
    expect(i18n.t('mux.pemLoaded', { count: 1 })).toBe('One character of PEM read.');
    expect(i18n.t('mux.pemLoaded', { count: 1200 })).toBe('1,200 characters of PEM read.');
    expect(i18n.t('sipServer.provisioning.removeConfirm', { count: 1, lng: 'de' })).toContain('dieses Telefons');
    expect(i18n.t('sipServer.provisioning.removeConfirm', { count: 3, lng: 'de' })).toContain('von 3 Telefonen');
    expect(i18n.t('problems.logApp.pbxConfigApplied', { count: 1, instance: 'Zentrale', helper: 'x', lng: 'de' })).toContain('eine Zeile');
  });
});
