import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import i18next from 'i18next';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../main/api';
import { createServices, type Services } from '../main/app/services';
import { startWebServer } from '../main/web/server';
import { rawHttp } from '../main/web/testing';
import { de } from '../renderer/src/i18n/de';
import { en } from '../renderer/src/i18n/en';
import { codedProblem, problemText } from '../renderer/src/i18n/problems';
import { logEntryText } from '../renderer/src/i18n/log-text';
import { coded, type Coded } from '../shared/problems';
import type { LogEntry } from '../shared/api/app';

// The console's own log entries (web server, API, demo, licences, runtime) read in German by their codes, as the
// log page shows them (useLogText), and the English detail main wrote for the log file never shows.
const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ resources: { en: { translation: en }, de: { translation: de } }, lng: 'de', fallbackLng: 'en', interpolation: { escapeValue: false } });
});
const inGerman = (c: Coded) => problemText((k, o) => i18n.t(k, { ...o, lng: 'de' }), (k) => i18n.exists(k, { lng: 'de', fallbackLng: [] }), codedProblem(c));
const entryInGerman = (e: LogEntry) => logEntryText((k, o) => i18n.t(k, { ...o, lng: 'de' }), (k) => i18n.exists(k, { lng: 'de', fallbackLng: [] }), e);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function services(logLevel?: 'debug'): Services {
  const dir = mkdtempSync(join(tmpdir(), 'lk-logapp-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>console</title>');
  return createServices({ dataDir: dir, transport: 'websocket', logLevel });
}

/** Every entry is coded and reads in German without its English sentence or detail. */
function expectGerman(entries: LogEntry[]) {
  for (const e of entries) {
    expect(e.code, `uncoded entry from ${e.source}: ${e.message}`).toMatch(/^(logApp|log)\./);
    const german = entryInGerman(e);
    expect(german, e.code).not.toBe(e.message);
    expect(german).not.toMatch(/\{\{|\$t\(/);
    const detail = e.params?.detail;
    if (typeof detail === 'string' && detail.length > 3) expect(german, e.code).not.toContain(detail);
  }
}

describe('German texts of the console\'s own log entries', () => {
  it('no German text words main\'s English detail, and English and German have the same entries', () => {
    const german = de.problems.logApp as Record<string, string>;
    for (const [key, text] of Object.entries(german)) expect(text, key).not.toContain('{{detail');
    expect(Object.keys(german).sort()).toEqual(Object.keys(en.problems.logApp).sort());
  });

  it('count, nested words (levels, families, service names, phone states, trial warnings) and nested problems read in German', () => {
    expect(inGerman(coded('logApp.suppressed', { count: 1, burst: 20, seconds: 10 }))).toBe('1 weiteres solches Problem wurde nicht protokolliert (höchstens 20 alle 10 s).');
    expect(inGerman(coded('logApp.suppressed', { count: 3, burst: 20, seconds: 10 }))).toBe('3 weitere solche Probleme wurden nicht protokolliert (höchstens 20 alle 10 s).');
    expect(inGerman(coded('logApp.logSettings', { level: 'warn', days: 30 }))).toBe('Log-Stufe Warnung, Dateien werden 30 Tage aufbewahrt.');
    expect(inGerman(coded('logApp.serviceStarted', { service: 'mux' }))).toBe('Dienst CSTA-Multiplexer gestartet.');
    expect(inGerman(coded('logApp.phoneStateAs', { mac: '0004f2000001', type: 'D785', address: '10.0.0.5', status: 'controllable', identity: '201' }))).toBe('Telefon 0004f2000001 an 10.0.0.5: Steuerbar als 201.');
    expect(inGerman(coded('logApp.simulator', { family: 'sip-phones', detail: 'REGISTER refused' }))).toBe('Der Simulator SIP-Telefone hat eine eigene Meldung geschrieben; sie steht (auf Englisch) in der Logdatei.');
    expect(inGerman(coded('logApp.trialWarning', { warning: 'TRIAL_ANCHOR_MISSING', date: '1.3.2026' }))).toContain('(Beginn 1.3.2026)');
    const location = coded('logApp.locationUnused', { instance: 'Zentrale', problem: coded('location.notLocation', { value: '4989' }), detail: 'location "4989" is not of the form country(area)number, e.g. 49(89)1234' });
    expect(inGerman(location)).toMatch(/^„Zentrale“: Der Standort wird im Betrieb nicht verwendet: .*4989/);
    expect(inGerman(location)).not.toContain('is not of the form');
    expect(inGerman(coded('logApp.licencesFound', { instance: 'Zentrale', count: 1, first: '201' }))).toBe('„Zentrale“: Eine Leitung hat eine freie Lizenz erhalten (201).');
  });
});

describe('entries written on real paths are coded', () => {
  it('the web server refusing bad requests and messages, and an API call failing, log coded entries', async () => {
    const s = services();
    const server = await startWebServer({ dispatch: createApi(s), bus: s.bus, staticDir: join(s.options.dataDir, 'renderer'), log: s.logger.child('web') });
    try {
      expect(await rawHttp(server.port, 'GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
      expect(await rawHttp(server.port, 'NOT A REQUEST\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${encodeURIComponent(server.token)}`);
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      // Pushed events (log.entry among them) come on the same socket: the answer is the message with the call's id.
      const reply = new Promise<{ ok: boolean }>((resolve) =>
        ws.on('message', (d) => {
          const m = JSON.parse(String(d)) as { id?: number; reply?: { ok: boolean } };
          if (m.id === 1) resolve(m.reply!);
        }),
      );
      ws.send(JSON.stringify({ id: 1, method: 'instances.get', input: { id: 'no-such-instance' } }));
      expect((await reply).ok).toBe(false);
      const closed = new Promise((resolve) => ws.once('close', resolve));
      ws.send('not json');
      await closed;
    } finally {
      await server.close();
      await s.dispose();
    }
    const entries = s.logger.recent(500);
    const codes = entries.map((e) => e.code);
    expect(codes).toEqual(expect.arrayContaining(['logApp.requestRefused', 'logApp.malformedRequest', 'logApp.callFailed', 'logApp.unreadableMessage']));
    const refused = entries.find((e) => e.code === 'logApp.requestRefused')!;
    expect(refused.message).toMatch(/^"GET" "\/%zz" from 127\.0\.0\.1:\d+: the path has a malformed percent-encoding; answered 400$/);
    expect(entryInGerman(refused)).toMatch(/^Der Webserver hat die Anfrage "GET" "\/%zz" von 127\.0\.0\.1:\d+ abgewiesen \(Antwort 400\)\.$/);
    expect(entryInGerman(entries.find((e) => e.code === 'logApp.callFailed')!)).toBe(`Der Aufruf instances.get ist gescheitert: ${de.problems.apiErrors.NOT_FOUND}`);
    expectGerman(entries);
  });

  it('a console that keeps calling a failing method fills the log with at most a burst of entries', async () => {
    const s = services();
    const dispatch = createApi(s);
    // The renderer polls: a deleted instance's status is asked for every second until the page changes.
    for (let i = 0; i < 100; i++) expect((await dispatch('instances.get', { id: 'gone' })).ok).toBe(false);
    const failed = s.logger.recent(500).filter((e) => e.code === 'logApp.callFailed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThanOrEqual(20);
  });

  it('the demo logs its start and stop coded, and a simulator\'s own report as a debug entry naming it', async () => {
    const s = services('debug');
    try {
      const info = await s.demo.start();
      // A malformed request to the simulator's control API: the simulator reports it in English.
      expect(await rawHttp(Number(new URL(info.controlUrl).port), 'NOT A REQUEST\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
      await s.demo.stop();
    } finally {
      await s.dispose();
    }
    const entries = s.logger.recent(500);
    const demo = entries.filter((e) => e.source === 'demo');
    expect(demo.map((e) => e.code)).toEqual(expect.arrayContaining(['logApp.demoListening', 'logApp.simulator', 'logApp.demoStopped']));
    const report = demo.find((e) => e.code === 'logApp.simulator')!;
    expect(report.level).toBe('debug');
    expect(report.params).toMatchObject({ family: 'panasonic', detail: expect.stringMatching(/^malformed HTTP request from 127\.0\.0\.1:\d+: HPE_\w+; answered 400$/) });
    expect(entryInGerman(report)).toBe('Der Simulator Panasonic hat eine eigene Meldung geschrieben; sie steht (auf Englisch) in der Logdatei.');
    expectGerman(entries);
  });
});
