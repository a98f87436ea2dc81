import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrialWarningCode } from '../shared/api/licences';
import { de } from '../renderer/src/i18n/de';
import { en } from '../renderer/src/i18n/en';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ resources: { en: { translation: en }, de: { translation: de } }, lng: 'en', interpolation: { escapeValue: false } });
});

// Every code the trial check can send has a sentence in both languages (a record satisfies the union type).
const codes: Record<TrialWarningCode, true> = { TRIAL_RECORD_TAMPERED: true, TRIAL_ANCHOR_MISSING: true, TRIAL_RECORD_RECOVERED: true };

describe('trial warnings read as sentences', () => {
  it.each(Object.keys(codes))('%s in English and German, with the start date', (code) => {
    for (const lng of ['en', 'de']) {
      expect(i18n.exists(`licences.warnings.${code}`, { lng, fallbackLng: [] })).toBe(true);
      expect(i18n.t(`licences.warnings.${code}`, { date: '1.3.2026', lng })).toContain('1.3.2026');
    }
  });
});
