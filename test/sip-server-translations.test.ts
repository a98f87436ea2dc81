import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { coded, PROBLEM_CODES } from '../shared/problems';
import { de } from '../renderer/src/i18n/de';
import { en } from '../renderer/src/i18n/en';
import { problemText } from '../renderer/src/i18n/problems';
import { sipServerErrorsEn } from '../renderer/src/i18n/sip-server';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ resources: { en: { translation: en }, de: { translation: de } }, lng: 'de', fallbackLng: 'en', interpolation: { escapeValue: false } });
});

describe('the SIP phone server area speaks English and German', () => {
  it('every coded problem of the server, its console layer and provisioning has its own text in both languages, with its facts', () => {
    const codes = PROBLEM_CODES.filter((c) => c.startsWith('uacsta'));
    expect(codes.length).toBeGreaterThanOrEqual(20);
    for (const code of codes) {
      const c = coded(code, { port: 5060, bind: '127.0.0.1', host: '127.0.0.1', interface: 'phones', address: '10.0.0.9:80', cause: 'ECONNREFUSED', detail: 'HTTP 500', settings: 'phone', missing: 'phonePassword', mac: '000413000001', subject: 'CN=x', validFrom: '2026', validTo: '2027', computerName: 'pc', directory: '/var/log/x', total: 25 });
      for (const lng of ['en', 'de']) {
        expect(i18n.exists(`problems.${code}`, { lng, fallbackLng: [] }), `${code} ${lng}`).toBe(true);
        const text = problemText((k, o) => i18n.t(k, { ...o, lng }), (k) => i18n.exists(k), c);
        expect(text).not.toMatch(/\{\{/);
        if (code.endsWith('portInUse')) expect(text).toContain('5060');
      }
      expect(i18n.t(`problems.${code}`, { lng: 'de' })).not.toBe(i18n.t(`problems.${code}`, { lng: 'en' }));
    }
  });

  it('every refusal code of the API has advice in both languages', () => {
    for (const code of Object.keys(sipServerErrorsEn)) {
      for (const lng of ['en', 'de']) expect(i18n.exists(`errors.${code}`, { lng, fallbackLng: [] }), `${code} ${lng}`).toBe(true);
      expect(i18n.t(`errors.${code}`, { lng: 'de' })).not.toBe(i18n.t(`errors.${code}`, { lng: 'en' }));
    }
  });

  it('the setup guides are filled in with the server\'s address, port and password in both languages', () => {
    for (const lng of ['en', 'de']) {
      const steps = i18n.t('sipServer.guides.snom', { lng, returnObjects: true, address: 'pbx.example', port: 5070, transport: 'TCP', password: 'pw' }) as unknown as string[];
      expect(steps.join(' ')).toContain('pbx.example:5070;transport=TCP');
      expect(steps.join(' ')).toContain('pw');
    }
  });
});
