import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPanasonicSim, type PanasonicSim } from '../../sim/panasonic';
import { decodeApdu, eventCrossRefOf, encodeFrame, encodeInvoke, frameOf, OPCODE } from '../../protocols/csta-ber';
import { startMultiplexer, MuxStartError, type MultiplexerHandle, type MuxOptions } from '.';
import { crossRefOf, monitorArg, CstaTestClient } from '../../protocols/csta-ber/testing/client';
import { startFakePbx } from './testing/pbx';
import { hotelEscapeApdu } from './testing/hotel';

function selfSigned(): { cert: Buffer; key: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'lk-mux-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  return { cert: readFileSync(cert), key: readFileSync(key) };
}

async function until(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const LOGIN = { user: 'alice', password: 'sécret' };
let tls: { cert: Buffer; key: Buffer };
let sim: PanasonicSim;
let mux: MultiplexerHandle;
const clients: CstaTestClient[] = [];

async function startMux(extra: Partial<MuxOptions> = {}): Promise<MultiplexerHandle> {
  mux = await startMultiplexer({
    pbx: { host: '127.0.0.1', port: sim.tcpPort },
    bind: '127.0.0.1',
    tcpPort: 0,
    tls: { port: 0, cert: tls.cert, key: tls.key },
    login: LOGIN,
    reconnectMs: 50,
    maxReconnectMs: 200,
    ...extra,
  });
  await until(() => mux.status().pbx?.state === 'connected', 5000, 'PBX link');
  return mux;
}

async function app(opts: { tls?: boolean; autoAck?: boolean } = {}): Promise<CstaTestClient> {
  const c = await CstaTestClient.login({ port: opts.tls ? mux.tlsPort! : mux.tcpPort, tls: opts.tls, login: opts.tls ? LOGIN : undefined, autoAck: opts.autoAck });
  clients.push(c);
  return c;
}

beforeAll(() => {
  tls = selfSigned();
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await mux?.close();
  await sim?.close();
});

describe('sharing the PBX link', () => {
  it('starts one monitor on the PBX for many applications over TCP and TLS, each with its own cross-reference ID', async () => {
    sim = await startPanasonicSim({ port: 0 });
    await startMux();
    const apps = [await app(), await app(), await app({ tls: true }), await app({ tls: true })];
    const refs = [];
    for (const a of apps) refs.push(crossRefOf(await a.invoke('monitorStart', monitorArg('100'))));
    expect(new Set(refs).size).toBe(4);
    expect(sim.counters().invokesReceived.monitorStart).toBe(1);
    expect(sim.counters().monitorsByDevice).toEqual({ '100': 1 });
    expect(sim.counters().associations.active).toBe(1);
    expect(mux.status().applications).toHaveLength(4);
    expect(mux.status().applications.every((a) => a.monitors.includes('100'))).toBe(true);
  });

  it('fans out every event of a call to each monitoring application with its own ID, and only to them', async () => {
    sim = await startPanasonicSim({ port: 0 });
    await startMux();
    const [a, b, c] = [await app(), await app({ tls: true }), await app()];
    const ra = crossRefOf(await a.invoke('monitorStart', monitorArg('100')));
    const rb = crossRefOf(await b.invoke('monitorStart', monitorArg('100')));
    crossRefOf(await c.invoke('monitorStart', monitorArg('150')));
    const callID = sim.placeCall('100', '101');
    sim.answerCall(callID);
    sim.clearCall(callID);
    const sent = sim.counters().eventsSent;
    expect(sent).toBeGreaterThanOrEqual(4);
    await a.waitEvents(sent);
    await b.waitEvents(sent);
    expect(a.events.map(eventCrossRefOf)).toEqual(Array(sent).fill(ra));
    expect(b.events.map(eventCrossRefOf)).toEqual(Array(sent).fill(rb));
    // the events are the PBX's bytes apart from the cross-reference ID
    const da = a.events.map((e) => decodeApdu(e));
    const db = b.events.map((e) => decodeApdu(e));
    const strip = (x: unknown) => JSON.stringify(x).replaceAll(ra, 'X').replaceAll(rb, 'X');
    expect(strip(da)).toBe(strip(db));
    expect(c.events).toHaveLength(0);
  });

  it('returns each answer to the application that asked, under its own invoke ID', async () => {
    sim = await startPanasonicSim({ port: 0 });
    await startMux();
    const [a, b] = [await app(), await app()];
    const [ansA, ansB] = await Promise.all([
      a.invoke('snapshotDevice', { snapshotObject: { deviceIdentifier: { dialingNumber: '100' } } } as never),
      b.invoke('snapshotDevice', { snapshotObject: { deviceIdentifier: { dialingNumber: '999' } } } as never),
    ]);
    expect(ansA.kind).toBe('returnResult');
    expect(ansB.kind).toBe('returnError');
    expect(sim.counters().invokesReceived.snapshotDevice).toBe(2);
    // a refused MonitorStart comes back with the PBX's reason and leaves no monitor behind
    const [m1, m2] = await Promise.all([a.invoke('monitorStart', monitorArg('999')), b.invoke('monitorStart', monitorArg('999'))]);
    expect(m1).toMatchObject({ kind: 'returnError', error: { operation: 'invalidDeviceID' } });
    expect(m2).toMatchObject({ kind: 'returnError', error: { operation: 'invalidDeviceID' } });
    expect(sim.counters().invokesReceived.monitorStart).toBe(1);
    expect(mux.status().pbxMonitors).toBe(0);
  });

  it('stops the PBX monitor only after the last application stops or disconnects', async () => {
    sim = await startPanasonicSim({ port: 0 });
    await startMux();
    const [a, b, c] = [await app(), await app(), await app()];
    const ra = crossRefOf(await a.invoke('monitorStart', monitorArg('100')));
    crossRefOf(await b.invoke('monitorStart', monitorArg('100')));
    const rc = crossRefOf(await c.invoke('monitorStart', monitorArg('100')));
    expect((await a.invoke('monitorStop', { crossRefIdentifier: ra })).kind).toBe('returnResult');
    const wrong = await b.invoke('monitorStop', { crossRefIdentifier: rc });
    expect(wrong.kind).toBe('returnError');
    b.close();
    await until(() => mux.status().applications.length === 2);
    expect(sim.counters().invokesReceived.monitorStop ?? 0).toBe(0);
    expect((await c.invoke('monitorStop', { crossRefIdentifier: rc })).kind).toBe('returnResult');
    expect(sim.counters().invokesReceived.monitorStop).toBe(1);
    expect(sim.counters().monitorsByDevice).toEqual({});

    crossRefOf(await a.invoke('monitorStart', monitorArg('101')));
    a.close();
    await until(() => sim.counters().invokesReceived.monitorStop === 2, 5000, 'MonitorStop after disconnect');
    expect(sim.counters().monitorsByDevice).toEqual({});
  });
});

describe('CDR and data collection', () => {
  it('lets one application start CDR transmission and refuses others with operations error generic', async () => {
    sim = await startPanasonicSim({ port: 0 });
    await startMux();
    const [a, b] = [await app(), await app()];
    expect((await a.invoke('startCDRTransmission', { transferMode: 'transferAtEndOfCall' })).kind).toBe('returnResult');
    const refused = await b.invoke('startCDRTransmission', { transferMode: 'transferAtEndOfCall' });
    expect(refused).toMatchObject({ kind: 'returnError', error: { operation: 'generic' } });
    expect(sim.counters().invokesReceived.startCDRTransmission).toBe(1);
    const callID = sim.placeCall('100', '101');
    sim.answerCall(callID);
    sim.clearCall(callID);
    await a.waitFor((x) => x[0] === 0xa1 && decodeApdu(x).kind === 'invoke' && (decodeApdu(x) as { operation?: string }).operation === 'cDRReport');
    expect(b.apdus.some((x) => x[0] === 0xa1 && (decodeApdu(x) as { operation?: string }).operation === 'cDRReport')).toBe(false);
    await until(() => mux.status().counters!.cdrReportsDelivered === 1, 5000, 'CDR acknowledgement');
    expect(mux.status().applications.find((x) => x.cdr)?.id).toBeDefined();
  });

  it('answers the PBX negatively, stops CDR and disconnects an application that does not acknowledge a report', async () => {
    sim = await startPanasonicSim({ port: 0 });
    await startMux({ cdrAckTimeoutMs: 200 });
    const lazy = await app({ autoAck: false });
    const other = await app();
    expect((await lazy.invoke('startCDRTransmission', { transferMode: 'transferAtEndOfCall' })).kind).toBe('returnResult');
    const callID = sim.placeCall('100', '101');
    sim.clearCall(callID);
    await lazy.waitClosed();
    await until(() => sim.counters().invokesReceived.stopCDRTransmission === 1, 5000, 'StopCDRTransmission');
    expect(mux.status().counters!.cdrReportsRefused).toBe(1);
    expect(mux.status().applications.map((x) => x.id)).toHaveLength(1);
    // the registration is free again
    expect((await other.invoke('startCDRTransmission', { transferMode: 'transferAtEndOfCall' })).kind).toBe('returnResult');
  });

  it('gives data collection to one application at a time and routes the collected digits to it', async () => {
    sim = await startPanasonicSim({ port: 0 });
    await startMux();
    const [a, b] = [await app(), await app()];
    const dev = { device: { deviceIdentifier: { dialingNumber: '100' } } } as never;
    const started = await a.invoke('startDataCollection', { object: dev });
    expect(started.kind).toBe('returnResult');
    expect(await b.invoke('startDataCollection', { object: dev })).toMatchObject({ kind: 'returnError', error: { operation: 'generic' } });
    expect(sim.pbx.digits('100', '123')).toBe(true);
    await a.waitFor((x) => x[0] === 0xa1 && (decodeApdu(x) as { operation?: string }).operation === 'dataCollected');
    expect(b.apdus.some((x) => x[0] === 0xa1 && (decodeApdu(x) as { operation?: string }).operation === 'dataCollected')).toBe(false);
    const ref = (started as { result: { dcollCrossRefID: string } }).result.dcollCrossRefID;
    expect((await a.invoke('stopDataCollection', { dcollCrossRefID: ref })).kind).toBe('returnResult');
    expect((await b.invoke('startDataCollection', { object: dev })).kind).toBe('returnResult');
    expect(await a.invoke('startDataCollection', { object: dev })).toMatchObject({ kind: 'returnError', error: { operation: 'generic' } });
    b.close();
    await until(() => sim.counters().invokesReceived.stopDataCollection === 2, 5000, 'StopDataCollection on disconnect');
    expect((await a.invoke('startDataCollection', { object: dev })).kind).toBe('returnResult');
  });
});

describe('CDR and data collection across PBX trouble', () => {
  const dev = { device: { deviceIdentifier: { dialingNumber: '100' } } } as never;
  const invokeOf = (op: string) => (x: Uint8Array) => x[0] === 0xa1 && (decodeApdu(x) as { operation?: string }).operation === op;

  it('registers CDR and data collection again after the PBX link drops; reports reach the holders under the IDs they were given', async () => {
    sim = await startPanasonicSim({ port: 0 });
    await startMux();
    const [cdr, dc] = [await app(), await app()];
    const cdrRef = ((await cdr.invoke('startCDRTransmission', { transferMode: 'transferAtEndOfCall' })) as { result: { cdrCrossRefID: string } }).result.cdrCrossRefID;
    const dcRef = ((await dc.invoke('startDataCollection', { object: dev })) as { result: { dcollCrossRefID: string } }).result.dcollCrossRefID;
    sim.setFault({ dropLink: true });
    await until(() => mux.status().counters!.registrationsRestored === 2, 5000, 'registrations restored');
    expect(sim.counters().invokesReceived).toMatchObject({ startCDRTransmission: 2, startDataCollection: 2 });
    expect(mux.status().applications.map((x) => [x.cdr, x.dataCollection])).toEqual([[true, false], [false, true]]);

    const callID = sim.placeCall('100', '101');
    sim.answerCall(callID);
    sim.clearCall(callID);
    const report = decodeApdu(await cdr.waitFor(invokeOf('cDRReport'))) as { argument: { cdrCrossRefID: string } };
    expect(report.argument.cdrCrossRefID).toBe(cdrRef);
    expect(sim.pbx.digits('100', '42#')).toBe(true);
    const digits = decodeApdu(await dc.waitFor(invokeOf('dataCollected'))) as { argument: { dcollCrossRefID: string } };
    expect(digits.argument.dcollCrossRefID).toBe(dcRef);
    // stops with the IDs the holders know reach the PBX's new registrations
    expect((await dc.invoke('stopDataCollection', { dcollCrossRefID: dcRef })).kind).toBe('returnResult');
    expect((await cdr.invoke('stopCDRTransmission', { cdrCrossRefID: cdrRef } as never)).kind).toBe('returnResult');
    expect(sim.pbx.digits('100', '1')).toBe(false);
  });

  it('answers the PBX negatively for collected digits the holder does not take', async () => {
    sim = await startPanasonicSim({ port: 0 });
    await startMux({ cdrAckTimeoutMs: 200 });
    const lazy = await app({ autoAck: false });
    expect((await lazy.invoke('startDataCollection', { object: dev })).kind).toBe('returnResult');
    expect(sim.pbx.digits('100', '7')).toBe(true);
    await lazy.waitFor(invokeOf('dataCollected'));
    await until(() => mux.status().counters!.dataCollectedRefused === 1, 5000, 'the refusal to the PBX');
    // the holder keeps data collection: the next digits reach it again
    expect(mux.status().applications[0].dataCollection).toBe(true);
  });

  it('answers a DataCollected nobody holds data collection for negatively to the PBX, stops that registration there and passes it to no application', async () => {
    const stops: string[] = [];
    const pbx = await startFakePbx({
      answer: (apdu, v) => {
        if (v.opcode === OPCODE.stopDataCollection) stops.push((decodeApdu(apdu) as { argument: { dcollCrossRefID: string } }).argument.dcollCrossRefID);
        return undefined;
      },
    });
    sim = { close: () => pbx.close() } as PanasonicSim;
    mux = await startMultiplexer({ pbx: { host: '127.0.0.1', port: pbx.port }, bind: '127.0.0.1', tcpPort: 0 });
    await until(() => mux.status().pbx?.state === 'connected');
    // an application is there, but holds nothing
    const bystander = await app();
    await pbx.send(frameOf(encodeInvoke('dataCollected', 77, { dcollCrossRefID: '0000abcd', digitsData: { digitsDetected: '123' } })));
    await until(() => pbx.answers.length > 0, 5000, 'the answer to the PBX');
    expect(pbx.answers.map((x) => decodeApdu(x))).toMatchObject([{ kind: 'returnError', invokeId: 77, error: { operation: 'generic' } }]);
    await until(() => stops.length > 0, 5000, 'StopDataCollection for the registration nobody holds');
    expect(stops).toEqual(['0000abcd']);
    expect(mux.status().counters!.dataCollectedRefused).toBe(1);
    expect(mux.status().applications.map((x) => x.dataCollection)).toEqual([false]);
    // the bystander got nothing of it and is served as before
    expect((await bystander.invoke('monitorStart', monitorArg('100'))).kind).toBe('returnResult');
    expect(bystander.apdus.some(invokeOf('dataCollected'))).toBe(false);
  });

  it('does not keep CDR or data collection for a Start the PBX never answered, and undoes a late registration', async () => {
    sim = await startPanasonicSim({ port: 0 });
    // a fine tick, so the 300 ms request timeout is noticed before the PBX's late answer
    await startMux({ requestTimeoutMs: 300, applicationKeepAliveMs: 100 });
    const [first, second] = [await app(), await app()];
    // the PBX answers 450 ms late: after the request timed out, before the multiplexer forgets the request
    sim.setFault({ answerDelayMs: 450 });
    expect(await first.invoke('startCDRTransmission', { transferMode: 'transferAtEndOfCall' })).toMatchObject({ kind: 'returnError', error: { performanceManagement: 'performanceLimitExceeded' } });
    expect(mux.status().applications.some((x) => x.cdr)).toBe(false);
    await until(() => sim.counters().invokesReceived.stopCDRTransmission === 1, 5000, 'the late CDR registration undone');
    // the PBX answers in order: let it answer that stop before the next request
    await new Promise((r) => setTimeout(r, 600));
    expect(await first.invoke('startDataCollection', { object: dev })).toMatchObject({ kind: 'returnError', error: { performanceManagement: 'performanceLimitExceeded' } });
    expect(mux.status().applications.some((x) => x.dataCollection)).toBe(false);
    await until(() => sim.counters().invokesReceived.stopDataCollection === 1, 5000, 'the late data-collection registration undone');
    await new Promise((r) => setTimeout(r, 600));
    sim.setFault({ answerDelayMs: 0 });
    expect((await second.invoke('startCDRTransmission', { transferMode: 'transferAtEndOfCall' })).kind).toBe('returnResult');
    expect((await second.invoke('startDataCollection', { object: dev })).kind).toBe('returnResult');
  });
});

describe('event bytes', () => {
  it('passes each event byte for byte, Panasonic private data included, with only the cross-reference ID changed', async () => {
    const pbx = await startFakePbx();
    sim = { close: () => pbx.close() } as PanasonicSim;
    mux = await startMultiplexer({ pbx: { host: '127.0.0.1', port: pbx.port }, bind: '127.0.0.1', tcpPort: 0 });
    await until(() => mux.status().pbx?.state === 'connected');
    const a = await app();
    const ref = crossRefOf(await a.invoke('monitorStart', monitorArg('100')));
    const frame = pbx.eventFrame(pbx.refs[0]);
    await pbx.send(frame);
    await a.waitEvents(1);
    const expected = Buffer.from(pbx.eventFrame(ref).subarray(2));
    expect(Buffer.from(a.events[0]).equals(expected)).toBe(true);
    expect(Buffer.from(a.events[0]).toString('hex')).toContain('a40ba009a407a105a0030a0105');
  });
});

describe('hotel application', () => {
  it('lets one application use the Panasonic hotel escape and refuses a second one', async () => {
    const pbx = await startFakePbx();
    sim = { close: () => pbx.close() } as PanasonicSim;
    mux = await startMultiplexer({ pbx: { host: '127.0.0.1', port: pbx.port }, bind: '127.0.0.1', tcpPort: 0 });
    await until(() => mux.status().pbx?.state === 'connected');
    const [hotel, other] = [await app(), await app()];
    const hotelEscape = (id: number) => encodeFrame(hotelEscapeApdu(id));
    hotel.sendRaw(hotelEscape(50));
    const ok = decodeApdu(await hotel.waitFor((x) => x[0] === 0xa2 && x[4] === 50));
    expect(ok).toMatchObject({ kind: 'returnResult', invokeId: 50 });
    other.sendRaw(hotelEscape(51));
    const refused = decodeApdu(await other.waitFor((x) => x[0] === 0xa3));
    expect(refused).toMatchObject({ kind: 'returnError', invokeId: 51, error: { operation: 'generic' } });
    expect(pbx.invokes.get(51)).toBe(1);
    await until(() => mux.status().applications.some((a) => a.hotel));
  });
});

describe('logins and limits', () => {
  it('requires the login on TLS and checks it, in UTF-8', async () => {
    sim = await startPanasonicSim({ port: 0 });
    // no wait after the wrong login (hardening.test.ts covers the backoff)
    await startMux({ loginGuard: { backoffMs: 0 } });
    const none = await CstaTestClient.open({ port: mux.tlsPort!, tls: true });
    clients.push(none.client);
    expect(none.aare).toMatchObject({ kind: 'aare', result: 1, resultSourceDiagnostic: { acseServiceUser: 14 } });
    const wrong = await CstaTestClient.open({ port: mux.tlsPort!, tls: true, login: { user: 'alice', password: 'secret' } });
    clients.push(wrong.client);
    expect(wrong.aare).toMatchObject({ kind: 'aare', result: 1, resultSourceDiagnostic: { acseServiceUser: 13 } });
    await app({ tls: true });
    expect(mux.status().applications[0].user).toBe('alice');
    expect(mux.status().counters!.loginsRejected).toBe(2);
  });

  it('accepts TCP applications without login unless the login is required, and warns while it is not', async () => {
    sim = await startPanasonicSim({ port: 0 });
    await startMux();
    await app();
    expect(mux.status().warnings).toContain('LOGIN_NOT_REQUIRED_ON_TCP');
    await mux.close();
    await startMux({ requireLogin: true, login: undefined });
    const refused = await CstaTestClient.open({ port: mux.tcpPort });
    clients.push(refused.client);
    expect(refused.aare).toMatchObject({ kind: 'aare', result: 1 });
    const ok = await CstaTestClient.open({ port: mux.tcpPort, login: { user: 'admin', password: 'admin' } });
    clients.push(ok.client);
    expect(ok.aare).toMatchObject({ kind: 'aare', result: 0 });
    expect(mux.status().warnings).toEqual(['DEFAULT_CREDENTIALS']);
  });

  it('refuses the application over the limit with a clear rejection and serves the others', async () => {
    sim = await startPanasonicSim({ port: 0 });
    await startMux({ maxApplications: 3 });
    await app();
    await app();
    await app({ tls: true });
    const fourth = await CstaTestClient.open({ port: mux.tcpPort });
    clients.push(fourth.client);
    expect(fourth.aare).toMatchObject({ kind: 'aare', result: 2 });
    await fourth.client.waitClosed();
    expect(mux.status().counters!.limitRefusals).toBe(1);
    expect(mux.status().applications).toHaveLength(3);
  });

  it('serves 1,000 applications monitoring one device and refuses the 1,001st', async () => {
    sim = await startPanasonicSim({ port: 0 });
    await startMux({ login: undefined });
    const many: CstaTestClient[] = [];
    for (let i = 0; i < 1000; i += 50) {
      many.push(...(await Promise.all(Array.from({ length: 50 }, () => CstaTestClient.login({ port: mux.tcpPort })))));
    }
    clients.push(...many);
    for (let i = 0; i < many.length; i += 100) await Promise.all(many.slice(i, i + 100).map((c) => c.invoke('monitorStart', monitorArg('100'))));
    const extra = await CstaTestClient.open({ port: mux.tcpPort });
    clients.push(extra.client);
    expect(extra.aare).toMatchObject({ kind: 'aare', result: 2 });
    expect(sim.counters().invokesReceived.monitorStart).toBe(1);
    sim.placeCall('100', '101');
    const sent = sim.counters().eventsSent;
    await until(() => many.every((c) => c.events.length === sent), 10000, 'events at all 1,000 applications');
  }, 30000);
});

describe('misbehaving applications', () => {
  it('disconnects an application that stops reading once its buffer is full; the others get every event', async () => {
    // a fast stand-in PBX: the simulator builds each event with asn1js and could not fill a socket quickly
    const pbx = await startFakePbx();
    sim = { close: () => pbx.close() } as PanasonicSim;
    mux = await startMultiplexer({ pbx: { host: '127.0.0.1', port: pbx.port }, bind: '127.0.0.1', tcpPort: 0, maxBufferedBytes: 256 * 1024 });
    await until(() => mux.status().pbx?.state === 'connected');
    const [stalled, fine] = [await app(), await app()];
    crossRefOf(await stalled.invoke('monitorStart', monitorArg('100')));
    crossRefOf(await fine.invoke('monitorStart', monitorArg('100')));
    expect(pbx.invokes.get(71)).toBe(1);
    stalled.socket.pause();
    const batch = Buffer.concat(Array(500).fill(pbx.eventFrame(pbx.refs[0])));
    let sent = 0;
    for (let i = 0; i < 2000 && mux.status().counters!.slowDisconnects === 0; i++) {
      await pbx.send(batch);
      sent += 500;
      await new Promise((r) => setImmediate(r));
    }
    await until(() => mux.status().counters!.slowDisconnects > 0, 5000, 'slow disconnect');
    expect(mux.status().counters!.slowDisconnects).toBe(1);
    stalled.socket.resume();
    await stalled.waitClosed(20000);
    await fine.waitEvents(sent, 20000);
    expect(fine.closed).toBe(false);
    expect(mux.status().applications).toHaveLength(1);
  });

  it('disconnects only the sender of a malformed frame and passes nothing of it to the PBX', async () => {
    sim = await startPanasonicSim({ port: 0 });
    await startMux();
    const [bad, good] = [await app(), await app()];
    const before = JSON.stringify(sim.counters().invokesReceived);
    // an invoke whose argument claims more bytes than it has
    bad.sendRaw(encodeFrame(Uint8Array.of(0xa1, 0x0a, 0x02, 0x01, 0x07, 0x02, 0x01, 0x47, 0x30, 0x7f, 0x80, 0x01)));
    await bad.waitClosed();
    expect(JSON.stringify(sim.counters().invokesReceived)).toBe(before);
    expect(sim.counters().badFrames).toBe(0);
    expect(mux.status().counters!.malformedDisconnects).toBe(1);
    expect(crossRefOf(await good.invoke('monitorStart', monitorArg('100')))).toBeTruthy();
  });
});

describe('PBX link', () => {
  it('reconnects after the PBX drops the link and restores every monitor, events keep their IDs', async () => {
    sim = await startPanasonicSim({ port: 0 });
    await startMux();
    const [a, b] = [await app(), await app({ tls: true })];
    const ra = crossRefOf(await a.invoke('monitorStart', monitorArg('100')));
    crossRefOf(await b.invoke('monitorStart', monitorArg('101')));
    sim.setFault({ dropLink: true });
    await until(() => mux.status().counters!.upstreamConnects === 2, 5000, 'reconnect');
    await until(() => mux.status().counters!.monitorsRestored === 2, 5000, 'monitors restored');
    expect(sim.counters().monitorsByDevice).toEqual({ '100': 1, '101': 1 });
    expect(sim.counters().associations.total).toBe(2);
    sim.placeCall('100', '101');
    await a.waitEvents(1);
    expect(eventCrossRefOf(a.events[0])).toBe(ra);
    await b.waitEvents(1);
  });

  it('tells applications through SystemStatus when the PBX link goes down', async () => {
    sim = await startPanasonicSim({ port: 0 });
    await startMux({ reconnectMs: 5000, maxReconnectMs: 5000 });
    const a = await app();
    sim.setFault({ dropLink: true });
    const disabled = await a.waitFor((x) => {
      const d = x[0] === 0xa1 ? decodeApdu(x) : undefined;
      return d?.kind === 'invoke' && d.operation === 'systemStatus' && (d.argument as { systemStatus: string }).systemStatus === 'disabled';
    });
    expect(disabled).toBeDefined();
    expect(await a.invoke('monitorStart', monitorArg('100'))).toMatchObject({ kind: 'returnError' });
  });
});

describe('starting', () => {
  let blocker: Server;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  });
  afterAll(() => new Promise<void>((r) => blocker.close(() => r())));

  it('fails with a clear reason when the TCP port is taken', async () => {
    const port = (blocker.address() as { port: number }).port;
    const err = await startMultiplexer({ pbx: { host: '127.0.0.1', port: 1 }, bind: '127.0.0.1', tcpPort: port }).catch((e) => e);
    expect(err).toBeInstanceOf(MuxStartError);
    expect(err.code).toBe('MUX_PORT_IN_USE');
    expect(err.message).toContain(`127.0.0.1:${port}`);
  });

  it('fails with a clear reason when the TLS certificate is invalid', async () => {
    const other = selfSigned();
    const err = await startMultiplexer({ pbx: { host: '127.0.0.1', port: 1 }, bind: '127.0.0.1', tcpPort: 0, tls: { port: 0, cert: tls.cert, key: other.key } }).catch((e) => e);
    expect(err).toBeInstanceOf(MuxStartError);
    expect(err.code).toBe('MUX_CERTIFICATE_INVALID');
    const garbage = await startMultiplexer({ pbx: { host: '127.0.0.1', port: 1 }, bind: '127.0.0.1', tcpPort: 0, tls: { port: 0, cert: Buffer.from('nope'), key: tls.key } }).catch((e) => e);
    expect(garbage.code).toBe('MUX_CERTIFICATE_INVALID');
  });
});
