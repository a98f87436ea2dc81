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
    for (const code of STATUS_STEP_CODES.filter((c) => c !== 'open')) {
      expect(en.status.steps[code as keyof typeof en.status.steps], code).toBeTruthy();
      expect(de.status.steps[code as keyof typeof de.status.steps], code).toBeTruthy();
    }
  });

  it('every failure cause a driver reports is explained in English and German', () => {
    for (const code of Object.values(DriverErrorCodes)) {
      expect(en.causes[code as keyof typeof en.causes], code).toBeTruthy();
      expect(de.causes[code as keyof typeof de.causes], code).not.toBe(en.causes[code as keyof typeof en.causes]);
    }
  });
});
