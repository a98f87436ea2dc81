import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkNumberWithin, RulesWorkError } from '../main/engine/rules';
import { de } from '../renderer/src/i18n/de';
import { en } from '../renderer/src/i18n/en';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ resources: { en: { translation: en }, de: { translation: de } }, lng: 'en', interpolation: { escapeValue: false } });
});

describe('a rule check refused for its size reads as a sentence with its figures', () => {
  it('in English and German, for the whole call and for one rule', async () => {
    const tooBig = (await checkNumberWithin([{ search: '(0+)+1$', replace: '' }], '0'.repeat(100), {}, { maxWork: 50, maxStep: 1e9, slice: 10 }).catch((e) => e)) as RulesWorkError;
    const oneStep = (await checkNumberWithin([{ search: '(0+)+1$', replace: '' }], '0'.repeat(100), {}, { maxWork: 1e9, maxStep: 50, slice: 10 }).catch((e) => e)) as RulesWorkError;
    for (const e of [tooBig, oneStep]) {
      for (const lng of ['en', 'de']) {
        expect(i18n.exists(`errors.${e.code}`, { lng, fallbackLng: [] }), `${e.code} ${lng}`).toBe(true);
        const text = i18n.t(`errors.${e.code}`, { ...e.params, lng });
        expect(text).toContain(String(e.params.limit));
        expect(text).not.toContain('{{');
      }
    }
    expect(i18n.t(`errors.${oneStep.code}`, { ...oneStep.params, lng: 'de' })).toMatch(/^Regel 1 /);
  });
});
