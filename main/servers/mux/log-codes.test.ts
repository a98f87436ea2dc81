// The multiplexer's log entries are coded, so the console words them in German: driven through real situations
// (logins, refusals, a dropped application, the PBX going away) against the Panasonic simulator, every entry is
// read back through the real Logger and rendered with the renderer's German catalogue.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import i18next from 'i18next';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Logger } from '../../log/logger';
import type { LogEntry } from '../../../shared/api/app';
import { PROBLEM_CODES } from '../../../shared/problems';
import { startPanasonicSim, type PanasonicSim } from '../../sim/panasonic';
import { startMultiplexer, type MultiplexerHandle, type MuxOptions } from '.';
import { CstaTestClient } from '../../protocols/csta-ber/testing/client';
import { encodeFrame } from '../../protocols/csta-ber';
import { de } from '../../../renderer/src/i18n/de';
import { en } from '../../../renderer/src/i18n/en';
import { codedProblem, problemText } from '../../../renderer/src/i18n/problems';

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ resources: { en: { translation: en }, de: { translation: de } }, lng: 'de', fallbackLng: 'en', interpolation: { escapeValue: false } });
});

/** What the console shows for an entry (useLogText without React): its code in the chosen language. */
function shown(e: LogEntry, lng: 'de' | 'en'): string {
  expect(e.code, `uncoded entry: ${e.message}`).toBeTruthy();
  return problemText((k, o) => i18n.t(k, { ...o, lng }), (k) => i18n.exists(k, { lng, fallbackLng: [] }), codedProblem({ code: e.code!, params: e.params, message: e.message }));
}

// English words of the file texts that must never reach the German console
const ENGLISH = /\b(application|refused|disconnected|logged|login|link|the|left|failure|wrong|password|malformed|keep-alive not|closed|connection|up)\b/i;

function expectGerman(e: LogEntry): string {
  const german = shown(e, 'de');
  expect(german, e.message).not.toBe(e.message);
  expect(german).not.toContain(e.message);
  expect(german, `English in "${german}"`).not.toMatch(ENGLISH);
  expect(german, 'a placeholder was not filled').not.toMatch(/\{\{|\}\}/);
  return german;
}

let dir: string;
let sim: PanasonicSim | undefined;
let mux: MultiplexerHandle | undefined;
const clients: CstaTestClient[] = [];
let entries: LogEntry[] = [];
let logger: Logger;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mux-log-codes-'));
  logger = new Logger({ directory: dir, level: 'debug' });
  logger.onEntry((e) => void entries.push(e));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await mux?.close();
  await sim?.close();
  mux = sim = undefined;
  entries = [];
});

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const byCode = (code: string) => entries.filter((e) => e.code === code);

async function startMux(extra: Partial<MuxOptions> = {}): Promise<MultiplexerHandle> {
  sim = await startPanasonicSim({ port: 0 });
  mux = await startMultiplexer({ pbx: { host: '127.0.0.1', port: sim.tcpPort }, bind: '127.0.0.1', tcpPort: 0, reconnectMs: 50, maxReconnectMs: 100, logger: logger.child('mux'), ...extra });
  await until(() => byCode('logMux.pbxUp').length === 1, 'PBX link up');
  return mux;
}

describe('multiplexer log entries are coded and read in German', () => {
  it('names applications by address and user through login, refusals and leaving; nothing stays English', async () => {
    const login = { user: 'ops', password: 'right' };
    await startMux({ requireLogin: true, login, loginGuard: { backoffMs: 0, lockoutFailures: 1, lockoutMs: 60_000 } });
    const ok = await CstaTestClient.login({ port: mux!.tcpPort, login });
    clients.push(ok);
    await until(() => byCode('logMux.loggedInUser').length === 1, 'the login entry');
    const wrong = await CstaTestClient.open({ port: mux!.tcpPort, login: { user: 'ops', password: 'nope' } });
    clients.push(wrong.client);
    const none = await CstaTestClient.open({ port: mux!.tcpPort });
    clients.push(none.client);
    await until(() => byCode('logMux.refusedWrongLogin').length === 1 && byCode('logMux.refusedNoLogin').length === 1, 'the refusals');
    ok.close();
    await until(() => byCode('logMux.clientLeft').length === 1, 'the leave entry');

    for (const e of entries) {
      expect(e.source).toBe('mux');
      expect(PROBLEM_CODES).toContain(e.code);
      expectGerman(e);
      // an application is named by its address, never by the multiplexer's internal number
      expect(Object.keys(e.params ?? {})).not.toContain('id');
    }
    const [loggedIn] = byCode('logMux.loggedInUser');
    const address = String(loggedIn.params!.client);
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(shown(loggedIn, 'de')).toBe(`Anwendung ${address} hat sich als „ops“ angemeldet (TCP).`);
    expect(shown(byCode('logMux.refusedWrongLogin')[0], 'de')).toMatch(/^Anwendung 127\.0\.0\.1:\d+ wurde abgewiesen: falscher Benutzername oder falsches Kennwort für „ops“ \(Fehlversuch 1 von 127\.0\.0\.1\)\.$/);
    expect(shown(byCode('logMux.lockedOut')[0], 'de')).toMatch(/^Anmeldungen von 127\.0\.0\.1 sind nach 1 Fehlversuch bis \d{4}-\d\d-\d\dT[\d:.]+Z gesperrt\.$/);
    expect(shown(byCode('logMux.refusedNoLogin')[0], 'de')).toMatch(/wurde abgewiesen: Über TCP ist eine Anmeldung nötig\.$/);
    expect(shown(byCode('logMux.clientLeft')[0], 'de')).toBe(`Anwendung ${address} hat die Verbindung beendet.`);
    expect(shown(byCode('logMux.listening')[0], 'de')).toBe(`Empfangsbereit auf 127.0.0.1: TCP-Port ${mux!.tcpPort}; Anlage 127.0.0.1:${sim!.tcpPort}.`);
    // the file keeps the English with the same facts
    expect(loggedIn.message).toBe(`application ${address} (TCP, user "ops") logged in`);
    const file = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    expect(file).toContain(`[mux] application ${address} (TCP, user "ops") logged in`);
  });

  it('a dropped application and a lost PBX link read in German, with the cause in German', async () => {
    await startMux({ applicationKeepAliveMs: 100, applicationKeepAliveTimeoutMs: 150 });
    const silent = await CstaTestClient.login({ port: mux!.tcpPort, autoAck: false });
    clients.push(silent);
    await silent.waitClosed(3000);
    await until(() => byCode('logMux.clientLeftBecause').length === 1, 'the dropped application');
    const dropped = byCode('logMux.clientKeepAlive')[0];
    expect(expectGerman(dropped)).toMatch(/^Anwendung 127\.0\.0\.1:\d+ wurde getrennt: Sie hat das Keep-alive nicht innerhalb von 150 ms beantwortet\.$/);
    expect(expectGerman(byCode('logMux.clientLeftBecause')[0])).toMatch(/ist nicht mehr verbunden: Sie hat das Keep-alive nicht beantwortet\.$/);

    // a malformed frame: the application is dropped, its bytes' fault stays in the file's English only
    const bad = await CstaTestClient.login({ port: mux!.tcpPort });
    clients.push(bad);
    bad.sendRaw(encodeFrame(Uint8Array.of(0xa1, 0x03, 0x02, 0x01)));
    await until(() => byCode('logMux.clientMalformed').length === 1, 'the malformed frame');
    expect(expectGerman(byCode('logMux.clientMalformed')[0])).toMatch(/wurde getrennt: Sie hat einen fehlerhaften Rahmen gesendet\.$/);

    // the PBX goes away: the link is lost, and each reconnect attempt is refused
    const pbxPort = sim!.tcpPort;
    await sim!.close();
    sim = undefined;
    await until(() => byCode('logMux.pbxDown').some((e) => (e.params!.reason as { code: string }).code === 'logMux.pbxSocketError'), 'a refused reconnect');
    const downs = byCode('logMux.pbxDown');
    for (const e of downs) expectGerman(e);
    const refused = downs.find((e) => (e.params!.reason as { code: string }).code === 'logMux.pbxSocketError')!;
    expect(refused.message).toMatch(new RegExp(`^PBX link down: PBX link 127\\.0\\.0\\.1:${pbxPort}: connect ECONNREFUSED`));
    expect(shown(refused, 'de')).toBe(`Die Verbindung zur Anlage ist unterbrochen: die Verbindung wurde abgewiesen (Anlage 127.0.0.1:${pbxPort}).`);
    expect(shown(refused, 'en')).toBe(`Link to the PBX lost: the connection was refused (PBX 127.0.0.1:${pbxPort}).`);
    for (const e of entries) expectGerman(e);
    // the status page shows the same reason, coded as well
    const pbx = mux!.status().pbx!;
    expect(pbx.lastProblem?.code).toMatch(/^logMux\.pbx/);
    expect(pbx.lastError).toBe(pbx.lastProblem!.message);
    const german = problemText((k, o) => i18n.t(k, { ...o, lng: 'de' }), (k) => i18n.exists(k, { lng: 'de', fallbackLng: [] }), pbx.lastProblem!);
    expect(german).toContain(`Anlage 127.0.0.1:${pbxPort}`);
    expect(german).not.toMatch(ENGLISH);
  });
});
