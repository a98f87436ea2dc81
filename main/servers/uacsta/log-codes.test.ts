// What the uaCSTA server logs reaches the console coded, so a German console shows German: the real server on
// 127.0.0.1 with simulated phones, a CTI client and a peer sending malformed SIP, its entries through the app's
// logger, each worded with the renderer's German catalogue exactly as the console's log list does.
import i18next from 'i18next';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../shared/api/app';
import type { Coded } from '../../../shared/problems';
import { de } from '../../../renderer/src/i18n/de';
import { en } from '../../../renderer/src/i18n/en';
import { logEntryText } from '../../../renderer/src/i18n/log-text';
import { Logger } from '../../log/logger';
import { openCstaDialog } from '../../protocols/csta-xml';
import { SipEndpoint } from '../../protocols/sip';
import { SimSipPhone, VENDOR_PROFILES } from '../../sim/sip-phones/phone';
import { UacstaServer, type UacstaSettings } from './server';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

// German only: a key missing in de.ts must not fall back to the English text.
const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.init({ resources: { en: { translation: en }, de: { translation: de } }, lng: 'de', fallbackLng: false, interpolation: { escapeValue: false } });
});
const inGerman = (e: LogEntry) => logEntryText((k, o) => i18n.t(k, { ...o, lng: 'de' }), (k) => i18n.exists(k, { lng: 'de' }), e);

const until = async (f: () => boolean, what: string, ms = 5000) => {
  for (let t = 0; t < ms && !f(); t += 10) await new Promise((r) => setTimeout(r, 10));
  expect(f(), what).toBe(true);
};

const settings: UacstaSettings = {
  phones: { host: '127.0.0.1', tcpPort: 0 },
  clients: { host: '127.0.0.1', tcpPort: 0 },
  phonePassword: 'phones',
  clientLogins: [{ user: 'cti', password: 'c' }],
  autoActivate: true,
  expirySeconds: 300,
  keepAliveSeconds: 60,
  notifyVendors: [],
};

/** Every text fact of an entry (English details, addresses, nested causes' English) to look for in the German. */
function englishFacts(params: LogEntry['params'] = {}): string[] {
  return Object.values(params).flatMap((v) => (typeof v === 'object' ? [v.message, ...englishFacts((v as Coded).params)] : []));
}

describe('uaCSTA server log entries', () => {
  it('are coded and read in German without English: start, phone registers, client connects, refusals, malformed SIP and CSTA XML, dialog lost, client leaves, phone signs off, stop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uacsta-log-codes-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const logger = new Logger({ directory: dir, level: 'debug' });
    const entries: LogEntry[] = [];
    logger.onEntry((e) => entries.push(e));
    const s = new UacstaServer({ settings, computerName: 'localhost', logger: logger.child('uacsta') });
    cleanup.push(() => s.close());
    await s.start();
    const port = (itf: 'phones' | 'clients') => s.status().listening.find((l) => l.interface === itf)!.port;
    const seen = (code: string) => entries.some((e) => e.code === code);

    const mac = `${VENDOR_PROFILES.snom.oui}000001`;
    const phone = await SimSipPhone.start({ mac, password: 'phones', server: { host: '127.0.0.1', port: port('phones') }, vendor: 'snom', identities: ['201'] });
    cleanup.push(() => phone.close());
    expect((await phone.register()).status).toBe(200);
    await until(() => seen('logServers.phoneControllable'), 'phone controllable');

    const ep = await SipEndpoint.start({ user: 'cti', credentials: { user: 'cti', password: 'c' } });
    cleanup.push(() => ep.close());
    const client = await openCstaDialog(ep, { uri: `sip:uacsta@127.0.0.1:${port('clients')};transport=tcp` });
    await until(() => seen('logServers.clientConnected'), 'client connected');
    await client.invoke('monitorStart', { monitorObject: { device: { id: '201' } } });
    // SnapshotCall: snom phones have none, so the server refuses it for the phone
    await expect(client.invoke('snapshotCall', { snapshotObject: { callId: '1', device: { id: '201' } } })).rejects.toMatchObject({ details: { failure: { error: 'serviceNotSupported' } } });
    // a CTI client's unreadable CSTA XML is answered 400 and logged
    await expect(client.carrier.send('<MonitorStart><monitorObject>')).rejects.toMatchObject({ code: 'CSTA_REJECTED' });

    // a peer on the phone port speaking a SIP version that does not exist, over a raw socket
    const raw = connect(port('phones'), '127.0.0.1');
    cleanup.push(() => raw.destroy());
    const answer = new Promise<string>((resolve) => raw.once('data', (d) => resolve(d.toString())));
    raw.write('OPTIONS sip:uacsta@127.0.0.1 SIP/3.0\r\nVia: SIP/3.0/TCP 127.0.0.1:1;branch=z9hG4bK1\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nContent-Length: 0\r\n\r\n');
    expect(await answer).toMatch(/^SIP\/2\.0 505/);

    await phone.dropDialogs();
    await until(() => seen('uacsta.dialogLost'), 'dialog lost');
    await client.close();
    await until(() => seen('logServers.clientLeft'), 'client left');
    await phone.register(0);
    await until(() => seen('logServers.phoneUnregistered'), 'phone signed off');
    await s.stop();

    const codes = entries.map((e) => e.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'logServers.serverStartedWithClients',
        'logServers.phoneRegistered',
        'logServers.phoneControllable',
        'logServers.clientConnected',
        'logServers.serviceRefused',
        'logServers.cstaXmlUnreadable',
        'logServers.sipUnreadable',
        'uacsta.dialogLost',
        'logServers.clientLeft',
        'logServers.phoneUnregistered',
        'logServers.serverStopped',
      ]),
    );
    for (const e of entries) {
      expect(e.code, `not coded: ${e.message}`).toBeDefined();
      expect(i18n.exists(`problems.${e.code}`, { lng: 'de' }), `no German for ${e.code}`).toBe(true);
      const german = inGerman(e);
      expect(german, e.code).not.toBe(e.message);
      expect(german, e.code).not.toContain(e.message);
      expect(german, `${e.code}: a placeholder was not filled`).not.toMatch(/\{\{|\}\}/);
      expect(german, `${e.code}: English in "${german}"`).not.toMatch(/\b(the|failed|refused|connected|registered|left|phone|server started|stopped|unreadable)\b/i);
      for (const fact of [...(typeof e.params?.detail === 'string' ? [e.params.detail] : []), ...englishFacts(e.params)]) expect(german, `${e.code} shows "${fact}"`).not.toContain(fact);
    }

    // the protocol cause in words of the admin's language, the facts kept, the English in the log file as before
    const sip = entries.find((e) => e.code === 'logServers.sipUnreadable')!;
    expect(sip.params).toMatchObject({ failure: 'SIP_BAD_VERSION', peer: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
    expect(inGerman(sip)).toBe(`Unlesbares SIP von ${sip.params!.peer}: die Gegenseite spricht eine andere SIP-Version als 2.0`);
    expect(inGerman(entries.find((e) => e.code === 'logServers.cstaXmlUnreadable')!)).toMatch(/^Unlesbares CSTA-XML von sip:cti@127\.0\.0\.1.*: die Gegenseite sandte unlesbares CSTA-XML$/);
    expect(inGerman(entries.find((e) => e.code === 'uacsta.dialogLost')!)).toBe(`Der CSTA-Dialog zu Telefon ${mac} wurde beendet (die CSTA-Sitzung ist beendet). Er wird wieder geöffnet, solange das Telefon angemeldet ist.`);
    expect(inGerman(entries.find((e) => e.code === 'logServers.phoneRegistered')!)).toMatch(new RegExp(`^Telefon ${mac} hat sich von 127\\.0\\.0\\.1:\\d+ angemeldet \\(snom`));
    const file = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    expect(file).toMatch(/uaCSTA server started: phones TCP 127\.0\.0\.1:\d+, clients TCP 127\.0\.0\.1:\d+/);
    expect(file).toContain(`refused snapshotCall for phone ${mac}: snom phones do not support snapshotCall`);
    expect(file).toMatch(/WARN  \[uacsta\] .*SIP version/);
    expect(file).toContain(`phone ${mac}: registration removed (unregistered)`);
  }, 30_000);

  it('in the diagnostics log files keep their English with the details, and reach the Diagnostics page coded', { timeout: 15_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'uacsta-diag-codes-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const s = new UacstaServer({ settings: { ...settings, clients: undefined, diagnostics: { level: 'info', maxFileBytes: 1_000_000, deleteDaily: false, directory: dir, logMacs: [] } }, computerName: 'localhost' });
    cleanup.push(() => s.close());
    await s.start();
    const port = s.status().listening[0].port;
    const raw = connect(port, '127.0.0.1');
    cleanup.push(() => raw.destroy());
    const answer = new Promise<string>((resolve) => raw.once('data', (d) => resolve(d.toString())));
    raw.write('OPTIONS sip:uacsta@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bK2\r\nCall-ID: y\r\nCSeq: 1 OPTIONS\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nthis line has no colon\r\nContent-Length: 0\r\n\r\n');
    expect(await answer).toMatch(/^SIP\/2\.0 400/);
    await until(() => s.recentLog(50).some((e) => e.code === 'logServers.sipUnreadable'), 'malformed header logged');

    const entries = s.recentLog(50);
    expect(entries.map((e) => e.code)).toEqual(['logServers.serverStarted', 'logServers.sipUnreadable']);
    const bad = entries[1];
    expect(bad.params).toMatchObject({ failure: 'SIP_BAD_HEADER' });
    // the file line is today's: the parser's sentence, then its facts
    expect(bad.message).toMatch(/\(from 127\.0\.0\.1:\d+\) \{.*"host":"127\.0\.0\.1"/);
    expect(inGerman(bad)).toBe(`Unlesbares SIP von ${bad.params!.peer}: die Gegenseite sandte einen fehlerhaften SIP-Header`);
    expect(readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('')).toContain(bad.message);
  });
});
