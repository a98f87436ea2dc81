import { describe, expect, it } from 'vitest';
import { STATUS_STEP_CODES } from '../shared/api/drivers';
import { DriverErrorCodes } from '../main/drivers';
import { statusStep } from '../main/engine/runtime/status-step';
import { en } from '../renderer/src/i18n/en';
import { de } from '../renderer/src/i18n/de';

describe('connection status in both languages', () => {
  it('every status step has an English sentence for logs and a console text in English and German', () => {
    expect(statusStep('loggingIn', { host: 'pbx', port: 33333 }).text).toBe('logging in to pbx:33333');
    expect(statusStep('open', { open: 25, total: 44, retrying: 0, noLicence: 19 }).text).toBe('25 of 44 lines open, 19 without licence');
    // A step with a count has plural forms (key_one, key_other).
    const has = (steps: Record<string, string>, code: string) => Boolean(steps[code] ?? steps[`${code}_other`]);
    for (const code of STATUS_STEP_CODES.filter((c) => c !== 'open')) {
      expect(has(en.status.steps, code), code).toBe(true);
      expect(has(de.status.steps, code), code).toBe(true);
    }
  });

  it('every failure cause a driver reports is explained in English and German', () => {
    for (const code of Object.values(DriverErrorCodes)) {
      expect(en.causes[code as keyof typeof en.causes], code).toBeTruthy();
      expect(de.causes[code as keyof typeof de.causes], code).not.toBe(en.causes[code as keyof typeof en.causes]);
    }
  });
});
