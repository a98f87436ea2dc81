import { afterEach, describe, expect, it } from 'vitest';
import { startBroadWorksSim, type BroadWorksSim } from './index';
import { XsiChannel, XsiClient, XsiHttpError, XsiTimeout, type XsiEvent } from '../../protocols/xsi/client';
import { text } from '../../protocols/xsi/xml';
import { makeTestCert } from '../../protocols/sip/testing/certs';

let sim: BroadWorksSim | undefined;
const clients: XsiClient[] = [];
const channels: XsiChannel[] = [];
afterEach(async () => {
  for (const c of channels.splice(0)) await c.close();
  for (const c of clients.splice(0)) c.close();
  await sim?.close();
  sim = undefined;
});

const U = (ext: number) => `${ext}@sim.test`;

function client(s: BroadWorksSim, user: string, password: string, extra: { prefix?: string; tls?: boolean; ca?: string } = {}): XsiClient {
  const c = new XsiClient({ host: '127.0.0.1', port: extra.tls ? s.tlsPort! : s.port, tls: !!extra.tls, prefix: extra.prefix ?? '', user, password, ca: extra.ca, answerTimeoutMs: 3000 });
  clients.push(c);
  return c;
}

async function status(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (e) {
    if (e instanceof XsiHttpError) return e.status;
    throw e;
  }
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function openChannel(c: XsiClient, opts = {}): Promise<{ ch: XsiChannel; events: XsiEvent[] }> {
  const ch = new XsiChannel(c, opts);
  channels.push(ch);
  const events: XsiEvent[] = [];
  ch.on('event', (e: XsiEvent) => events.push(e));
  await ch.open();
  return { ch, events };
}

describe('BroadWorks simulator: Xsi-Actions', () => {
  it('asks for Basic auth, and keeps users to themselves while the group admin reaches every user of the group', async () => {
    sim = await startBroadWorksSim({ users: 5 });
    const anon = await fetch(`http://127.0.0.1:${sim.port}/com.broadsoft.xsi-actions/v2.0/user/${U(2000)}/profile`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(await status(client(sim, U(2000), 'wrong').action('GET', `user/${U(2000)}/profile`))).toBe(401);

    const user = client(sim, U(2000), 'secret');
    const profile = await user.action('GET', `user/${U(2000)}/profile`);
    expect(profile.root).toBe('Profile');
    expect(text(profile.body.details, 'extension')).toBe('2000');
    expect(await status(user.action('GET', `user/${U(2001)}/profile`))).toBe(403);

    const admin = client(sim, sim.admin.userId, sim.admin.password);
    expect(text((await admin.action('GET', `user/${U(2004)}/profile`)).body.details, 'number')).toBe('+493055502004');
    expect(await status(admin.action('GET', `user/${U(9999)}/profile`))).toBe(403);
    expect(await status(admin.action('GET', `user/${U(2000)}/nothing-here`))).toBe(404);
  });

  it('serves only under its URL prefix', async () => {
    sim = await startBroadWorksSim({ users: 2, prefix: 'nl.cai' });
    expect(await status(client(sim, U(2000), 'secret').action('GET', `user/${U(2000)}/profile`))).toBe(404);
    expect(await status(client(sim, U(2000), 'secret', { prefix: 'nl.cai' }).action('GET', `user/${U(2000)}/profile`))).toBe(200);
  });

  it('pages the group directory of 5,000 users', async () => {
    sim = await startBroadWorksSim({ users: 5000 });
    const admin = client(sim, sim.admin.userId, sim.admin.password);
    const last = await admin.action('GET', `user/${U(2000)}/directories/Group?start=4991&results=50`);
    expect(text(last.body, 'totalAvailableRecords')).toBe('5000');
    const rows = (last.body.groupDirectory as { directoryDetails: unknown[] }).directoryDetails;
    expect(rows).toHaveLength(10);
    expect(rows[9]).toMatchObject({ userId: U(6999), extension: '6999', number: '+493055506999' });
    expect(await status(admin.action('GET', `user/${U(2000)}/directories/Group?results=0`))).toBe(400);
  });

  it('answers over HTTPS with the same resources', async () => {
    const cert = makeTestCert();
    sim = await startBroadWorksSim({ users: 2, tls: { port: 0, cert: cert.cert, key: cert.key } });
    const c = client(sim, U(2001), 'secret', { tls: true, ca: cert.cert });
    expect((await c.action('GET', `user/${U(2001)}/profile`)).root).toBe('Profile');
  });

  it('refuses malformed bodies, document types and unknown services with 4xx', async () => {
    sim = await startBroadWorksSim({ users: 2 });
    const c = client(sim, U(2000), 'secret');
    expect(await status(c.action('PUT', `user/${U(2000)}/services/DoNotDisturb`, '<DoNotDisturb><active>maybe</active></DoNotDisturb>'))).toBe(400);
    expect(await status(c.action('PUT', `user/${U(2000)}/services/DoNotDisturb`, '<DoNotDisturb><active>true</DoNotDisturb>'))).toBe(400);
    expect(await status(c.action('PUT', `user/${U(2000)}/services/DoNotDisturb`, '<!DOCTYPE x [<!ENTITY a "aaaa">]><DoNotDisturb>&a;</DoNotDisturb>'))).toBe(400);
    expect(await status(c.action('PUT', `user/${U(2000)}/services/CallForwardingAlways`, '<CallForwardingAlways><active>true</active></CallForwardingAlways>'))).toBe(400);
    expect(await status(c.action('GET', `user/${U(2000)}/services/Teleport`))).toBe(404);
    expect(await status(c.action('POST', `user/${U(2000)}/calls/new?address=${encodeURIComponent('<x>')}`))).toBe(400);
  });
});

describe('BroadWorks simulator: Remote Office', () => {
  const RO = (inner: string) => `<RemoteOffice xmlns="http://schema.broadsoft.com/xsi">${inner}</RemoteOffice>`;

  it('reads and sets Remote Office per user within the login\'s scope, reports it as an event and in the control API', async () => {
    sim = await startBroadWorksSim({ users: 3 });
    const c1 = client(sim, U(2001), 'secret');
    const off = await c1.action('GET', `user/${U(2001)}/services/RemoteOffice`);
    expect(off.root).toBe('RemoteOffice');
    expect(text(off.body, 'active')).toBe('false');
    expect(text(off.body, 'remoteOfficeNumber')).toBe('');

    const admin = client(sim, sim.admin.userId, sim.admin.password);
    const { ch, events } = await openChannel(admin);
    await ch.subscribe(`user/${U(2001)}`, 'Remote Office');
    await c1.action('PUT', `user/${U(2001)}/services/RemoteOffice`, RO('<active>true</active><remoteOfficeNumber>+4917012345</remoteOfficeNumber>'));
    await until(() => events.length === 1, 'the Remote Office event');
    expect(events[0]).toMatchObject({ type: 'RemoteOfficeEvent', targetId: U(2001) });
    expect(text(events[0].data, 'remoteOfficeNumber')).toBe('+4917012345');
    const on = await admin.action('GET', `user/${U(2001)}/services/RemoteOffice`);
    expect([text(on.body, 'active'), text(on.body, 'remoteOfficeNumber')]).toEqual(['true', '+4917012345']);
    const seen = (await (await fetch(`${sim.controlUrl}/users/${U(2001)}`)).json()) as { services: { remoteOffice: unknown } };
    expect(seen.services.remoteOffice).toEqual({ active: true, remoteOfficeNumber: '+4917012345' });

    // Off keeps the number unless it is cleared; a user reaches no other user's Remote Office, nor does a wrong login.
    await admin.action('PUT', `user/${U(2001)}/services/RemoteOffice`, RO('<active>false</active>'));
    expect(text((await c1.action('GET', `user/${U(2001)}/services/RemoteOffice`)).body, 'active')).toBe('false');
    expect(await status(c1.action('GET', `user/${U(2002)}/services/RemoteOffice`))).toBe(403);
    expect(await status(c1.action('PUT', `user/${U(2002)}/services/RemoteOffice`, RO('<active>false</active>')))).toBe(403);
    expect(await status(client(sim, U(2001), 'wrong').action('GET', `user/${U(2001)}/services/RemoteOffice`))).toBe(401);
  });

  it('refuses a Remote Office without a number, a number that is none, a bad flag and another document with 400', async () => {
    sim = await startBroadWorksSim({ users: 1 });
    const c = client(sim, U(2000), 'secret');
    const put = (body: string) => status(c.action('PUT', `user/${U(2000)}/services/RemoteOffice`, body));
    expect(await put(RO('<active>true</active>'))).toBe(400);
    expect(await put(RO('<active>true</active><remoteOfficeNumber xmlns:xs="http://www.w3.org/2001/XMLSchema-instance" xs:nil="true"/>'))).toBe(400);
    expect(await put(RO('<active>true</active><remoteOfficeNumber>call me</remoteOfficeNumber>'))).toBe(400);
    expect(await put(RO('<active>yes</active><remoteOfficeNumber>123</remoteOfficeNumber>'))).toBe(400);
    expect(await put('<DoNotDisturb><active>true</active></DoNotDisturb>')).toBe(400);
    expect(await put(RO('<active>true</active><remoteOfficeNumber>123</remoteOfficeNumber>'))).toBe(200);
    expect(await status(c.action('DELETE', `user/${U(2000)}/services/RemoteOffice`))).toBe(404);
  });

  it('refuses Remote Office to a user the control API has not assigned it to, until it is assigned again', async () => {
    sim = await startBroadWorksSim({ users: 1 });
    const c = client(sim, U(2000), 'secret');
    const assign = (service: string, body: unknown) => fetch(`${sim!.controlUrl}/users/${U(2000)}/services/${service}`, { method: 'POST', body: JSON.stringify(body) });
    expect((await assign('remoteOffice', { assigned: 'no' })).status).toBe(400);
    expect((await assign('teleport', { assigned: false })).status).toBe(404);
    expect((await assign('remoteOffice', { assigned: false })).status).toBe(200);
    expect(await status(c.action('GET', `user/${U(2000)}/services/RemoteOffice`))).toBe(400);
    expect(await status(c.action('PUT', `user/${U(2000)}/services/RemoteOffice`, RO('<active>false</active>')))).toBe(400);
    expect(await status(c.action('GET', `user/${U(2000)}/services/DoNotDisturb`))).toBe(200);
    expect(((await (await fetch(`${sim.controlUrl}/users/${U(2000)}`)).json()) as { unassigned: string[] }).unassigned).toEqual(['remoteOffice']);
    expect((await assign('remoteOffice', { assigned: true })).status).toBe(200);
    expect(await status(c.action('GET', `user/${U(2000)}/services/RemoteOffice`))).toBe(200);
  });
});

describe('BroadWorks simulator: calls and Xsi-Events', () => {
  it('streams Advanced Call events of dial, answer, hold, retrieve, blind transfer and release, each acknowledged', async () => {
    sim = await startBroadWorksSim({ users: 5 });
    const admin = client(sim, sim.admin.userId, sim.admin.password);
    const { ch, events } = await openChannel(admin);
    await ch.subscribe('serviceprovider/sp-sim/group/grp-sim', 'Advanced Call');
    const seen = () => events.map((e) => `${e.targetId.slice(0, 4)}:${e.type}:${text(e.data.call, 'state')}`);

    const a = client(sim, U(2000), 'secret');
    const started = await a.action('POST', `user/${U(2000)}/calls/new?address=2001`);
    expect(started.status).toBe(201);
    const callA = text(started.body, 'callId');
    await until(() => events.length === 2, 'originated and received');
    expect(seen()).toEqual(['2000:CallOriginatedEvent:Alerting', '2001:CallReceivedEvent:Alerting']);
    const callB = text(events[1].data.call, 'callId');
    expect(text(events[1].data.call, 'personality')).toBe('Terminator');

    await admin.action('PUT', `user/${U(2001)}/calls/${callB}/Talk`);
    await a.action('PUT', `user/${U(2000)}/calls/${callA}/Hold`);
    await a.action('PUT', `user/${U(2000)}/calls/${callA}/Talk`);
    await a.action('PUT', `user/${U(2000)}/calls/${callA}/BlindTransfer?address=2002`);
    await until(() => events.length === 9, 'the transfer');
    expect(seen().slice(2)).toEqual([
      '2001:CallAnsweredEvent:Active',
      '2000:CallAnsweredEvent:Active',
      '2000:CallHeldEvent:Held',
      '2000:CallRetrievedEvent:Active',
      '2000:CallReleasedEvent:Released',
      '2001:CallTransferredEvent:Alerting',
      '2002:CallReceivedEvent:Alerting',
    ]);
    const callC = text(events[8].data.call, 'callId');
    await admin.action('DELETE', `user/${U(2002)}/calls/${callC}`);
    await until(() => events.length === 11, 'both ends released');
    expect(seen().slice(9).sort()).toEqual(['2001:CallReleasedEvent:Released', '2002:CallReleasedEvent:Released']);
    await until(() => sim!.xsi.counters.eventResponses === 11, 'every event acknowledged');
  });

  it('follows do not disturb and forwarding always, and reports the service changes as events', async () => {
    sim = await startBroadWorksSim({ users: 6 });
    const c3 = client(sim, U(2003), 'secret');
    const { ch, events } = await openChannel(c3);
    await ch.subscribe(`user/${U(2003)}`, 'Do Not Disturb');
    await c3.action('PUT', `user/${U(2003)}/services/DoNotDisturb`, '<DoNotDisturb xmlns="http://schema.broadsoft.com/xsi"><active>true</active></DoNotDisturb>');
    await until(() => events.length === 1, 'the DND event');
    expect(events[0]).toMatchObject({ type: 'DoNotDisturbEvent', targetId: U(2003) });
    expect(text(events[0].data, 'active')).toBe('true');
    expect(text((await c3.action('GET', `user/${U(2003)}/services/DoNotDisturb`)).body, 'active')).toBe('true');

    const a = client(sim, U(2000), 'secret');
    await a.action('POST', `user/${U(2000)}/calls/new?address=2003`);
    expect((await a.action('GET', `user/${U(2000)}/calls`)).body.call).toBeUndefined();

    const c4 = client(sim, U(2004), 'secret');
    await c4.action('PUT', `user/${U(2004)}/services/CallForwardingAlways`, '<CallForwardingAlways><active>true</active><forwardToPhoneNumber>2005</forwardToPhoneNumber></CallForwardingAlways>');
    await a.action('POST', `user/${U(2000)}/calls/new?address=2004`);
    const at5 = (await (await fetch(`${sim.controlUrl}/users/${U(2005)}`)).json()) as { calls: unknown[] };
    expect(at5.calls).toMatchObject([{ state: 'Alerting', personality: 'Terminator' }]);
  });

  it('terminates a channel whose events are not acknowledged in time', async () => {
    sim = await startBroadWorksSim({ users: 2, eventResponseTimeoutMs: 300 });
    const body = '<Channel xmlns="http://schema.broadsoft.com/xsi"><channelSetId>raw</channelSetId><expires>100</expires></Channel>';
    const auth = `Basic ${Buffer.from(`${sim.admin.userId}:${sim.admin.password}`).toString('base64')}`;
    const res = await fetch(`http://127.0.0.1:${sim.port}/com.broadsoft.async/com.broadsoft.xsi-events/v2.0/channel`, { method: 'POST', body, headers: { Authorization: auth } });
    expect(res.status).toBe(200);
    const sub = await fetch(`http://127.0.0.1:${sim.port}/com.broadsoft.xsi-events/v2.0/user/${U(2000)}`, {
      method: 'POST',
      headers: { Authorization: auth },
      body: '<Subscription xmlns="http://schema.broadsoft.com/xsi"><event>Advanced Call</event><channelSetId>raw</channelSetId></Subscription>',
    });
    expect(sub.status).toBe(200);
    await fetch(`${sim.controlUrl}/calls`, { method: 'POST', body: JSON.stringify({ from: '0301234567', to: '2000' }) });
    const streamed = await res.text();
    expect(streamed).toContain('CallReceivedEvent');
    expect(streamed).toMatch(/ChannelTerminatedEvent[\s\S]*not acknowledged/);
    expect(sim.xsi.status().channels).toBe(0);
  });

  it('keeps a channel and its subscription alive past their lifetime by refreshing them', async () => {
    sim = await startBroadWorksSim({ users: 2 });
    const { ch, events } = await openChannel(client(sim, sim.admin.userId, sim.admin.password), { expiresSeconds: 1 });
    await ch.subscribe(`user/${U(2001)}`, 'Advanced Call');
    let closed = '';
    ch.on('closed', (r: string) => (closed = r));
    await new Promise((r) => setTimeout(r, 2500));
    expect(closed).toBe('');
    expect(sim.xsi.status()).toMatchObject({ channels: 1, subscriptions: 1 });
    await fetch(`${sim.controlUrl}/calls`, { method: 'POST', body: JSON.stringify({ from: '0301234', to: '2001' }) });
    await until(() => events.length === 1, 'the call event');
    expect(events[0].type).toBe('CallReceivedEvent');
  });

  it('takes a new password from the control API; the old one is refused from then on', async () => {
    sim = await startBroadWorksSim({ users: 2 });
    const c = client(sim, U(2001), 'secret');
    expect(await status(c.action('GET', `user/${U(2001)}/profile`))).toBe(200);
    const r = await fetch(`${sim.controlUrl}/users/${U(2001)}/password`, { method: 'POST', body: JSON.stringify({ password: 'n3w' }) });
    expect(r.status).toBe(200);
    expect(await status(c.action('GET', `user/${U(2001)}/profile`))).toBe(401);
    expect(await status(client(sim, U(2001), 'n3w').action('GET', `user/${U(2001)}/profile`))).toBe(200);
    expect((await fetch(`${sim.controlUrl}/users/nobody/password`, { method: 'POST', body: '{"password":"x"}' })).status).toBe(404);
    expect((await fetch(`${sim.controlUrl}/faults`, { method: 'POST', body: '{"actionStatus":200}' })).status).toBe(400);
  });

  it('faults: a bad value changes nothing; a delay holds answers back, silence leaves them unanswered', async () => {
    sim = await startBroadWorksSim({ users: 2 });
    const faults = (body: string) => fetch(`${sim!.controlUrl}/faults`, { method: 'POST', body });
    for (const bad of ['{"answerDelayMs":-1}', '{"answerDelayMs":1.5}', '{"silent":"yes"}', '{"actionStatus":503,"silent":1}', '{"delay":5}']) expect((await faults(bad)).status, bad).toBe(400);
    expect(sim.xsi.faults).toEqual({ actionStatus: 0, answerDelayMs: 0, silent: false });
    const c = client(sim, U(2001), 'secret');
    expect(await (await faults('{"answerDelayMs":300}')).json()).toEqual({ actionStatus: 0, answerDelayMs: 300, silent: false });
    const started = Date.now();
    expect(await status(c.action('GET', `user/${U(2001)}/profile`))).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await faults('{"answerDelayMs":0,"silent":true}');
    const quiet = new XsiClient({ host: '127.0.0.1', port: sim.port, tls: false, prefix: '', user: U(2001), password: 'secret', answerTimeoutMs: 300 });
    await expect(quiet.action('GET', `user/${U(2001)}/profile`)).rejects.toBeInstanceOf(XsiTimeout);
    quiet.close();
    await faults('{"silent":false}');
    expect(await status(c.action('GET', `user/${U(2001)}/profile`))).toBe(200);
  });
});
