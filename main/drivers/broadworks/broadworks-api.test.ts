// The BroadWorks family through the API against the simulator: create, test connection, discover, start, events,
// call control — as the console and the CLI use it; and event loss recovery against the simulator's faults.
import { afterEach, describe, expect, it } from 'vitest';
import { startBroadWorksSim, type BroadWorksSim } from '../../sim/broadworks';
import { call, startApi, until, type ApiHarness } from '../testing/api-harness';
import { makeTestCert } from '../../protocols/sip/testing/certs';
import { startDnsServer } from '../../protocols/xsi/testing/dns-server';
import { freePort } from '../shared/free-port';
import { bwInstance } from './testing/api-instance';

let harness: ApiHarness | undefined;
let sim: BroadWorksSim | undefined;
afterEach(async () => {
  await harness?.dispose();
  await sim?.close();
  harness = undefined;
  sim = undefined;
});

function start(defaults?: { keepAliveMs?: number; answerTimeoutMs?: number }) {
  harness = startApi(undefined, defaults);
  return harness;
}

describe('BroadWorks through the API', () => {
  it('server mode: test connection, discover the group, open the lines, live call events and call control', async () => {
    sim = await startBroadWorksSim({ users: 12, prefix: 'nl.cai' });
    const { api, events } = start();
    const { id } = await call(api, 'instances.create', { family: 'broadworks', name: 'Cloud' });
    await call(api, 'instances.update', { id, patch: { connection: { mode: 'server', host: '127.0.0.1', connectionType: 'http', port: sim.port, user: sim.admin.userId, groupUser: '2000@sim.test' } } });
    await call(api, 'instances.setSecret', { id, field: 'password', value: sim.admin.password });

    const noPrefix = await call(api, 'instances.testConnection', { instanceId: id });
    expect(noPrefix).toMatchObject({ ok: false, error: { code: 'PREFIX_NOT_FOUND' } });
    // The form's unsaved values are what is tested (the console sends its whole connection section).
    const unsaved = await call(api, 'instances.testConnection', { instanceId: id, connection: { host: '127.0.0.1', port: sim.port }, values: { mode: 'server', urlPrefix: 'nl.cai', connectionType: 'http' } });
    expect(unsaved).toMatchObject({ ok: true });
    expect(await (api as any)('instances.testConnection', { instanceId: id, values: { connectionType: 'ftp' } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await call(api, 'instances.update', { id, patch: { connection: { urlPrefix: 'nl.cai' } } });
    const tested = await call(api, 'instances.testConnection', { instanceId: id });
    expect(tested).toMatchObject({ ok: true, port: sim.port, warnings: [] });
    expect(tested.reply).toContain('group administrator admin@sim.test');

    const preview = await call(api, 'lines.discover', { instanceId: id, requestId: 'r1' });
    expect(preview.method).toBe('userDirectory');
    expect(preview.added).toHaveLength(12);
    expect(preview.added[0]).toEqual({ number: '+493055502000', name: '+493055502000 / Anna Schmidt', userId: '2000@sim.test' });
    await call(api, 'lines.applyDiscovery', { instanceId: id, requestId: 'r1' });

    await call(api, 'driver.start', { instanceId: id });
    await until(async () => (await call(api, 'driver.status', { instanceId: id })).lines.open === 12, 'all lines open');
    expect((await call(api, 'driver.status', { instanceId: id })).connection.target).toEqual({ host: '127.0.0.1', port: sim.port, via: 'configured' });
    const placed = await fetch(`${sim.controlUrl}/calls`, { method: 'POST', body: JSON.stringify({ from: '0301234567', to: '2005' }) });
    expect(placed.status).toBe(200);
    await until(() => events.some((e) => e.event === 'delivered'), 'the incoming call');
    expect(events.find((e) => e.event === 'delivered')).toMatchObject({ instanceId: id, line: '2005@sim.test', number: '+493055502005', callState: 'alerting', numbers: { calling: '0301234567' } });
    const status = await call(api, 'line.status', { instanceId: id, line: '2005@sim.test' });
    expect(status.calls).toMatchObject([{ state: 'alerting', direction: 'incoming', remoteRaw: '0301234567' }]);

    const made = await call(api, 'line.makeCall', { instanceId: id, line: '2001@sim.test', number: '2002' });
    await until(() => events.some((e) => e.event === 'delivered' && e.line === '2002@sim.test'), 'the call at 2002');
    expect(events.find((e) => e.line === '2001@sim.test' && e.event === 'originated')).toMatchObject({ callId: made.callId, callState: 'initiated' });
    await call(api, 'line.clearCall', { instanceId: id, line: '2001@sim.test', callId: made.callId });
    await until(() => events.some((e) => e.event === 'connectionCleared' && e.line === '2002@sim.test'), 'the far end cleared');

    await call(api, 'line.setDoNotDisturb', { instanceId: id, line: '2003@sim.test', on: true });
    expect(sim.group.user('2003@sim.test')!.services.doNotDisturb.active).toBe(true);
    await call(api, 'line.setForwarding', { instanceId: id, line: '2004@sim.test', on: true, to: '2006' });
    expect(sim.group.user('2004@sim.test')!.services.callForwardingAlways).toMatchObject({ active: true, forwardToPhoneNumber: '2006' });

    // The platform ends the channel: the runtime reconnects and opens the lines again.
    sim.xsi.terminateChannels();
    await until(async () => (await call(api, 'driver.status', { instanceId: id })).connection.state === 'lost' || sim!.xsi.status().channels === 1, 'the link noticed');
    await until(async () => sim!.xsi.status().channels === 1 && (await call(api, 'driver.status', { instanceId: id })).lines.open === 12, 'the lines open again');
    // Server mode subscribes once per event package for the whole group.
    expect(sim.xsi.status().subscriptions).toBe(3);
  });

  it('workstation mode shows the own line; over the CTI socket the line gets its events, lines are read over HTTP', async () => {
    sim = await startBroadWorksSim({ users: 3, ctiPort: 0, ctiFraming: 'length' });
    const { api, events } = start();
    const { id } = await call(api, 'instances.create', { family: 'broadworks', name: 'Desk' });
    await call(api, 'instances.update', { id, patch: { connection: { mode: 'workstation', host: '127.0.0.1', connectionType: 'http', port: sim.port, user: '2002@sim.test' } } });
    await call(api, 'instances.setSecret', { id, field: 'password', value: 'secret' });
    const preview = await call(api, 'lines.discover', { instanceId: id, requestId: 'w1' });
    expect(preview.added).toEqual([{ number: '+493055502002', name: '+493055502002 / Clara Schmidt', userId: '2002@sim.test' }]);
    await call(api, 'lines.applyDiscovery', { instanceId: id, requestId: 'w1' });

    await call(api, 'instances.update', { id, patch: { connection: { connectionType: 'cti', port: sim.ctiPort }, advanced: { xsiHttpPort: sim.port } } });
    const tested = await call(api, 'instances.testConnection', { instanceId: id });
    expect(tested).toMatchObject({ ok: true, warnings: [] });
    expect(tested.reply).toContain(`CTI at cti://127.0.0.1:${sim.ctiPort} (4-byte length prefix, detected)`);
    await call(api, 'driver.start', { instanceId: id });
    await until(async () => (await call(api, 'driver.status', { instanceId: id })).lines.open === 1, 'the line open');
    const cti = sim.xsi.counters.ctiRequests;
    await fetch(`${sim.controlUrl}/calls`, { method: 'POST', body: JSON.stringify({ from: '0301234567', to: '2002' }) });
    await until(() => events.some((e) => e.event === 'delivered'), 'the incoming call');
    const ringing = events.find((e) => e.event === 'delivered')!;
    await call(api, 'line.callControl', { instanceId: id, line: '2002@sim.test', request: { op: 'answer', callId: ringing.callId } });
    await until(() => events.some((e) => e.event === 'established'), 'answered');
    // The event response and the answer went over the socket.
    expect(sim.xsi.counters.ctiRequests).toBeGreaterThanOrEqual(cti + 2);
  });

  it('HTTPS with a certificate no CA vouches for: test connection names its fingerprint; accepted, the instance connects and a call shows live over the HTTPS channel', async () => {
    const cert = makeTestCert();
    sim = await startBroadWorksSim({ users: 2, tls: { port: 0, cert: cert.cert, key: cert.key } });
    const { api, events } = start();
    const id = await bwInstance(api, 'Secure', { mode: 'workstation', host: '127.0.0.1', connectionType: 'https', port: sim.tlsPort, user: '2001@sim.test' }, 'secret');
    const refused = await call(api, 'instances.testConnection', { instanceId: id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'TLS_FAILED' } });
    expect(refused.fingerprint.replace(/:/g, '').toLowerCase()).toBe(cert.fingerprint256);
    await call(api, 'instances.acceptCertificate', { instanceId: id, fingerprint: refused.fingerprint });
    const tested = await call(api, 'instances.testConnection', { instanceId: id });
    expect(tested).toMatchObject({ ok: true });
    expect(tested.reply).toContain(`Xsi at https://127.0.0.1:${sim.tlsPort}`);
    await call(api, 'lines.discover', { instanceId: id, requestId: 's1' });
    await call(api, 'lines.applyDiscovery', { instanceId: id, requestId: 's1' });
    await call(api, 'driver.start', { instanceId: id });
    await until(async () => (await call(api, 'driver.status', { instanceId: id })).lines.open === 1, 'the line open over the pinned certificate');
    // The instance knows only the HTTPS port: these events come over the TLS channel opened at start.
    const opened = sim.xsi.counters.channelsOpened;
    await fetch(`${sim.controlUrl}/calls`, { method: 'POST', body: JSON.stringify({ from: '0307654321', to: '2001' }) });
    await until(() => events.some((e) => e.event === 'delivered'), 'the incoming call over HTTPS');
    expect(events.find((e) => e.event === 'delivered')).toMatchObject({ instanceId: id, line: '2001@sim.test', callState: 'alerting', numbers: { calling: '0307654321' } });
    const ringing = events.find((e) => e.event === 'delivered')!;
    await call(api, 'line.callControl', { instanceId: id, line: '2001@sim.test', request: { op: 'answer', callId: ringing.callId } });
    await until(() => events.some((e) => e.event === 'established' && e.callId === ringing.callId), 'answered, seen over HTTPS');
    expect(sim.xsi.counters.eventResponses).toBeGreaterThanOrEqual(2);
    expect(sim.xsi.counters.channelsOpened).toBe(opened);
  });

  it('found through SRV: test connection and the status name the target in use and its record', async () => {
    sim = await startBroadWorksSim({ users: 2 });
    const down = await freePort();
    const dns = await startDnsServer({
      srv: {
        '_ecsta._tcp.bw.provider.test': [{ target: 'xsp1.provider.test', port: down, priority: 10, weight: 1 }, { target: 'xsp2.provider.test', port: sim.port, priority: 20, weight: 1 }],
        '_ecsta._tcp.gone.provider.test': [{ target: 'xsp1.provider.test', port: down, priority: 10, weight: 1 }],
      },
      a: { 'xsp1.provider.test': '127.0.0.1', 'xsp2.provider.test': '127.0.0.1' },
    });
    process.env.LINEKEEPER_DNS_SERVER = dns.address;
    try {
      const { api } = start();
      const id = await bwInstance(api, 'Found', { mode: 'workstation', host: 'bw.provider.test', connectionType: 'http', port: 1, user: '2001@sim.test' }, 'secret');
      const target = { host: 'xsp2.provider.test', port: sim.port, via: 'srv', record: '_ecsta._tcp.bw.provider.test' };
      const tested = await call(api, 'instances.testConnection', { instanceId: id });
      expect(tested).toMatchObject({ ok: true, host: 'bw.provider.test', port: 1, target });
      expect((await call(api, 'driver.status', { instanceId: id })).connection.target).toBeNull();
      // What failed, with the facts the console words: a name nowhere, and a record whose every target failed.
      expect(await call(api, 'instances.testConnection', { instanceId: id, connection: { host: 'xsp.nowhere.invalid' } })).toMatchObject({ ok: false, target: null, error: { code: 'NAME_NOT_RESOLVED', params: { host: 'xsp.nowhere.invalid' } } });
      expect(await call(api, 'instances.testConnection', { instanceId: id, connection: { host: 'gone.provider.test' } })).toMatchObject({ ok: false, error: { code: 'CONNECT_REFUSED', params: { srv: '_ecsta._tcp.gone.provider.test', tried: `xsp1.provider.test:${down}`, host: '127.0.0.1', port: down } } });
      await call(api, 'driver.start', { instanceId: id });
      await until(async () => (await call(api, 'driver.status', { instanceId: id })).connection.state === 'connected', 'connected through SRV');
      expect((await call(api, 'driver.status', { instanceId: id })).connection.target).toEqual(target);
      // After a reconnect the status names the target again.
      sim.xsi.terminateChannels();
      await until(async () => sim!.xsi.counters.channelsOpened >= 3 && (await call(api, 'driver.status', { instanceId: id })).connection.state === 'connected', 'reconnected');
      expect((await call(api, 'driver.status', { instanceId: id })).connection.target).toEqual(target);
      await call(api, 'driver.stop', { instanceId: id });
      expect((await call(api, 'driver.status', { instanceId: id })).connection.target).toBeNull();
    } finally {
      delete process.env.LINEKEEPER_DNS_SERVER;
      await dns.close();
    }
  });

  it('a password changed on the platform stops the retries with "password needed" until the new one is set', async () => {
    sim = await startBroadWorksSim({ users: 3 });
    const { api } = start({ keepAliveMs: 100 });
    const id = await bwInstance(api, 'Desk', { mode: 'workstation', host: '127.0.0.1', connectionType: 'http', port: sim.port, user: '2001@sim.test' }, 'secret', true);
    await call(api, 'driver.start', { instanceId: id });
    const status = () => call(api, 'driver.status', { instanceId: id });
    await until(async () => (await status()).lines.open === 1, 'the line open');

    await fetch(`${sim.controlUrl}/users/2001@sim.test/password`, { method: 'POST', body: JSON.stringify({ password: 'changed-in-portal' }) });
    await until(async () => (await status()).connection.stepCode === 'passwordNeeded', 'password needed');
    const needed = (await status()).connection;
    expect(needed).toMatchObject({ state: 'lost', lastError: { code: 'PASSWORD_NEEDED' }, nextAttemptAt: null });
    // No more logins with the old password.
    const requests = sim.xsi.counters.requests;
    await new Promise((r) => setTimeout(r, 600));
    expect(sim.xsi.counters.requests).toBe(requests);

    // A wrong new password is refused once and asked for again, not retried.
    await call(api, 'instances.setSecret', { id, field: 'password', value: 'mistyped' });
    await until(async () => sim!.xsi.counters.requests > requests && (await status()).connection.stepCode === 'passwordNeeded', 'asked again');
    const tried = sim.xsi.counters.requests;
    await new Promise((r) => setTimeout(r, 600));
    expect(sim.xsi.counters.requests).toBe(tried);

    await call(api, 'instances.setSecret', { id, field: 'password', value: 'changed-in-portal' });
    await until(async () => (await status()).lines.open === 1 && (await status()).connection.state === 'connected', 'the line open again');
    expect((await call(api, 'instances.get', { id })).connection).toMatchObject({ user: '2001@sim.test', port: sim.port });
  });
});

// Event loss recovery against the simulator's faults: the event stream or the CTI socket cut without a word,
// subscriptions terminated by the platform, a platform that stops answering.
const post = (path: string, body?: unknown) => fetch(`${sim!.controlUrl}${path}`, { method: 'POST', body: body === undefined ? undefined : JSON.stringify(body) });

/** A running server-mode instance with the group's lines open, over HTTP or the CTI socket. */
async function running(type: 'http' | 'cti', o: { keepAliveMs?: number; answerTimeoutMs?: number } = {}) {
  sim = await startBroadWorksSim({ users: 4, ctiPort: 0 });
  const { api, events } = start(o);
  const id = await bwInstance(api, `Recovery ${type}`, { mode: 'server', host: '127.0.0.1', connectionType: 'http', port: sim.port, user: sim.admin.userId, groupUser: '2000@sim.test' }, sim.admin.password, true);
  if (type === 'cti') await call(api, 'instances.update', { id, patch: { connection: { connectionType: 'cti', port: sim.ctiPort }, advanced: { xsiHttpPort: sim.port } } });
  await call(api, 'driver.start', { instanceId: id });
  const status = () => call(api, 'driver.status', { instanceId: id });
  await until(async () => (await status()).lines.open === 4, 'all lines open');
  /** An outside call to `ext`, seen as a `delivered` line event. */
  const ring = async (ext: number, from: string) => {
    const { callId } = (await (await post('/calls', { from, to: String(ext) })).json()) as { callId: string };
    await until(() => events.some((e) => e.event === 'delivered' && e.numbers.calling === from), `the call from ${from}`, 20_000);
    return callId;
  };
  return { api, id, events, status, ring };
}

describe('BroadWorks settings while running', () => {
  it('a changed line name format counts for the next discovery, on the channel the instance has', async () => {
    const { api, id } = await running('http');
    const opened = sim!.xsi.status().counters.channelsOpened;
    await call(api, 'instances.update', { id, patch: { advanced: { lineNameFormat: 'name' } } });
    // The save's own notice runs unawaited; this one is awaited, so the runtime has taken the setting after it.
    await harness!.services.drivers.instanceChanged(id, 'updated');
    const preview = await call(api, 'lines.discover', { instanceId: id, requestId: 'n1' });
    expect(preview.renamed).toHaveLength(4);
    expect(preview.renamed[0]).toMatchObject({ from: expect.stringMatching(/^\+\d+ \/ \S/), to: expect.not.stringContaining('/') });
    expect(sim!.xsi.status()).toMatchObject({ channels: 1, counters: { channelsOpened: opened } });
  });
});

describe('BroadWorks event loss recovery', () => {
  for (const type of ['http', 'cti'] as const) {
    it(`over ${type.toUpperCase()}: the event transport cut without a word is re-opened and events flow again`, async () => {
      const { status, ring } = await running(type);
      await ring(2001, '0301000001');
      const opened = sim!.xsi.counters.channelsOpened;
      expect(await (await post('/faults/cut-channels')).json()).toEqual({ cut: 1 });
      await until(async () => sim!.xsi.counters.channelsOpened > opened && (await status()).connection.state === 'connected' && (await status()).lines.open === 4, 'reconnected', 20_000);
      await ring(2002, '0301000002');
    });
  }

  it('a SubscriptionTerminatedEvent is answered by subscribing again on the same channel; events keep coming', async () => {
    const { status, ring } = await running('http');
    const opened = sim!.xsi.counters.channelsOpened;
    // Server mode: three group-wide subscriptions.
    expect(await (await post('/faults/terminate-subscriptions')).json()).toEqual({ terminated: 3 });
    await until(() => sim!.xsi.status().subscriptions === 3, 'subscribed again');
    expect(sim!.xsi.counters.channelsOpened).toBe(opened);
    expect((await status()).connection.state).toBe('connected');
    await ring(2003, '0301000003');
  });

  it('workstation mode: the user\'s own subscriptions are made again too', async () => {
    sim = await startBroadWorksSim({ users: 2 });
    const { api, events } = start();
    const id = await bwInstance(api, 'Desk', { mode: 'workstation', host: '127.0.0.1', connectionType: 'http', port: sim.port, user: '2001@sim.test' }, 'secret', true);
    await call(api, 'driver.start', { instanceId: id });
    await until(async () => (await call(api, 'driver.status', { instanceId: id })).lines.open === 1, 'the line open');
    expect(sim.xsi.terminateSubscriptions()).toBe(3);
    await until(() => sim!.xsi.status().subscriptions === 3, 'subscribed again');
    await post('/calls', { from: '0302000001', to: '2001' });
    await until(() => events.some((e) => e.event === 'delivered' && e.line === '2001@sim.test'), 'the call after the new subscriptions');
    // Stopping the line removes the subscriptions made again, not only the first ones.
    await call(api, 'driver.stop', { instanceId: id });
    await until(() => sim!.xsi.status().subscriptions === 0, 'unsubscribed');
  });

  for (const type of ['http', 'cti'] as const) {
    it(`over ${type.toUpperCase()}: a platform that stops answering loses the link; a call begun meanwhile shows after recovery`, async () => {
      const { api, id, events, status, ring } = await running(type, { keepAliveMs: 200, answerTimeoutMs: 600 });
      await ring(2000, '0303000000');
      expect(await (await post('/faults', { silent: true })).json()).toMatchObject({ silent: true });
      await until(async () => (await status()).connection.state !== 'connected', 'the unanswered heartbeat noticed', 20_000);
      expect((await status()).connection.lastError?.code).toMatch(/^(LINK_LOST|NO_ANSWER)$/);
      // While the platform is silent, a call begins: no channel carries its events.
      const { callId } = (await (await post('/calls', { from: '0303000001', to: '2001' })).json()) as { callId: string };
      expect(events.some((e) => e.numbers.calling === '0303000001')).toBe(false);
      // A slow platform is still one that answers: the link comes back through the delay.
      await post('/faults', { silent: false, answerDelayMs: 100 });
      await until(async () => (await status()).connection.state === 'connected' && (await status()).lines.open === 4, 'reconnected', 30_000);
      await until(() => events.some((e) => e.event === 'snapshotFound' && e.line === '2001@sim.test'), 'the call found after recovery', 20_000);
      const line = await call(api, 'line.status', { instanceId: id, line: '2001@sim.test' });
      expect(line.calls).toMatchObject([{ state: 'alerting', direction: 'unknown' }]);
      expect(line.calls[0].callId).toBe(callId);
      await post('/faults', { answerDelayMs: 0 });
      await ring(2002, '0303000002');
    });
  }
});
