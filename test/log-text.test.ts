import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { de } from '../renderer/src/i18n/de';
import { en } from '../renderer/src/i18n/en';
import { logEntryText } from '../renderer/src/i18n/log-text';
import { coded } from '../shared/problems';
import type { LogEntry } from '../shared/api/app';

// How the console's log list words an entry (LogList, the uaCSTA Diagnostics page): the same function they use.
const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ resources: { en: { translation: en }, de: { translation: de } }, lng: 'de', fallbackLng: false, interpolation: { escapeValue: false } });
});
const german = (e: LogEntry) => logEntryText((k, o) => i18n.t(k, { ...o, lng: 'de' }), (k) => i18n.exists(k, { lng: 'de' }), e);
const entry = (c: ReturnType<typeof coded>): LogEntry => ({ time: '2026-01-01T00:00:00.000Z', level: 'warn', source: 'uacsta', message: c.message, code: c.code, params: c.params });

describe('log entries in the console language', () => {
  it('a driver failure reads as the sentence on what to check', () => {
    const e = entry(coded('log.linkLost', { instance: 'PBX', failure: 'CONNECT_REFUSED', detail: 'connect ECONNREFUSED 10.0.0.1:33333' }));
    expect(german(e)).toBe(`„PBX“: Die Verbindung ist abgebrochen. ${de.causes.CONNECT_REFUSED}`);
  });

  it('a protocol or socket cause reads as its cause sentence, an unknown code by name', () => {
    expect(german(entry(coded('logServers.sipUnreadable', { peer: '10.0.0.9:5060', failure: 'SIP_BAD_HEADER', detail: 'malformed header "x"' })))).toBe('Unlesbares SIP von 10.0.0.9:5060: die Gegenseite sandte einen fehlerhaften SIP-Header');
    expect(german(entry(coded('logServers.cstaLinkLost', { address: '10.0.0.2:33333', failure: 'ECONNRESET', detail: 'read ECONNRESET' })))).toBe('Die CSTA-Verbindung zu 10.0.0.2:33333 ist abgebrochen: die Gegenseite hat die Verbindung abrupt getrennt');
    expect(german(entry(coded('logServers.cstaLinkFailed', { address: '10.0.0.2:33333', failure: 'CSTA_LOGIN_TIMEOUT', detail: 'no AARE' })))).toContain('CSTA_LOGIN_TIMEOUT');
  });

  it('a failed API call names the cause in words where the code has one (causes, the API\'s own codes), else the code', () => {
    const call = (code: string) => entry(coded('logApp.callFailed', { method: 'lines.discover', error: code, errorCode: code, detail: 'connect ETIMEDOUT 10.0.0.1:33333' }));
    expect(german(call('PBX_BUSY'))).toBe(`Der Aufruf lines.discover ist gescheitert: ${de.causes.PBX_BUSY}`);
    expect(german(call('ECONNRESET'))).toBe('Der Aufruf lines.discover ist gescheitert: die Gegenseite hat die Verbindung abrupt getrennt');
    expect(german(call('NOT_FOUND'))).toBe(`Der Aufruf lines.discover ist gescheitert: ${de.problems.apiErrors.NOT_FOUND}`);
    expect(german(call('SOME_NEW_CODE'))).toBe('Der Aufruf lines.discover ist gescheitert: SOME_NEW_CODE');
  });

  it('an entry main wrote only in English stays English', () => {
    expect(german({ time: '2026-01-01T00:00:00.000Z', level: 'info', source: 'web', message: 'listening on 127.0.0.1:8080' })).toBe('listening on 127.0.0.1:8080');
  });
});
