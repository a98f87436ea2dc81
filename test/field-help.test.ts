import { describe, expect, it } from 'vitest';
import { FAMILY_SPECS } from '../shared/families';
import { en } from '../renderer/src/i18n/en';
import { de } from '../renderer/src/i18n/de';

type Help = Record<string, Record<string, string>>;
const helpFor = (help: Help, family: string, key: string) => help[family]?.[key] ?? help.common?.[key];

describe('every setting the form shows has a short help text', () => {
  for (const [family, spec] of Object.entries(FAMILY_SPECS)) {
    it(`${family}: connection, advanced settings and passwords, in English and German`, () => {
      const keys = [...spec.form.connection, ...spec.form.advanced].map((f) => f.key).concat(spec.secrets);
      for (const key of keys) {
        expect(helpFor(en.help as Help, family, key), `en ${family}.${key}`).toBeTruthy();
        expect(helpFor(de.help as Help, family, key), `de ${family}.${key}`).toBeTruthy();
      }
    });
  }
  it('the location settings, in English and German', () => {
    for (const key of ['ranges', 'useLocation', 'location', 'display', 'accessCode', 'nationalPrefix', 'internationalPrefix']) {
      expect(en.help.location[key as keyof typeof en.help.location]).toBeTruthy();
      expect(de.help.location[key as keyof typeof de.help.location]).toBeTruthy();
    }
  });
});
