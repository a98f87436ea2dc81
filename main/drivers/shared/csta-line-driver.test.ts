import { afterEach, describe, expect, it } from 'vitest';
import {
  CstaSessionError,
  type CstaArgs,
  type CstaEvent,
  type CstaResult,
  type CstaServiceName,
  type CstaSession,
  type CstaSwitchRequest,
  type SwitchingFunctionDevice,
} from '../../protocols/csta/model';
import { startPanasonicSim, type PanasonicSim } from '../../sim/panasonic';
import { openLink } from '../panasonic/csta-link';
import { startRefusingProxy, type RefusingProxy } from '../panasonic/testing/refusing-proxy';
import { DriverFailure, type DriverLineEvent } from '../driver';
import { CstaLineDriver, type CstaDialect, type Invoke } from './csta-line-driver';
import { failureOf } from '../testing/failure-of';

type Handler<S extends CstaServiceName> = (args: CstaArgs<S>, session: ModelSwitch) => CstaResult<S> | Promise<CstaResult<S>>;

/**
 * A switch that speaks the model only (no encoding at all): it answers the services it has handlers for, refuses
 * the others with universalFailure serviceNotSupported, and sends what a test makes it send.
 */
class ModelSwitch implements CstaSession {
  readonly peer = 'model-switch';
  open = true;
  readonly invoked: string[] = [];
  private events = new Set<(e: CstaEvent) => void>();
  private requests = new Set<(r: CstaSwitchRequest) => void>();
  private lost = new Set<(e: CstaSessionError) => void>();
  constructor(private readonly handlers: { [S in CstaServiceName]?: Handler<S> }) {}

  async invoke<S extends CstaServiceName>(service: S, args: CstaArgs<S>): Promise<CstaResult<S>> {
    if (!this.open) throw new CstaSessionError('CSTA_NOT_CONNECTED', `not connected to ${this.peer}`, { service });
    this.invoked.push(service);
    const h = this.handlers[service] as Handler<S> | undefined;
    if (!h) throw new CstaSessionError('CSTA_UNIVERSAL_FAILURE', `${service} failed: operation error serviceNotSupported`, { service, failure: { category: 'operation', error: 'serviceNotSupported' } });
    return h(args, this);
  }
  onEvent(l: (e: CstaEvent) => void) {
    this.events.add(l);
    return () => this.events.delete(l);
  }
  onRequest(l: (r: CstaSwitchRequest) => void) {
    this.requests.add(l);
    return () => this.requests.delete(l);
  }
  onLost(l: (e: CstaSessionError) => void) {
    this.lost.add(l);
    return () => this.lost.delete(l);
  }
  async close() {
    this.open = false;
  }
  send(e: CstaEvent) {
    for (const l of this.events) l(e);
  }
  request(r: CstaSwitchRequest) {
    for (const l of this.requests) l(r);
  }
  lose(e: CstaSessionError) {
    this.open = false;
    for (const l of this.lost) l(e);
  }
}

function dialect(session: CstaSession, extra: Partial<CstaDialect> = {}): CstaDialect {
  return { family: 'panasonic', peer: 'model-switch', open: async () => ({ session, reply: 'hello from the model switch' }), kindOf: (d: SwitchingFunctionDevice) => (d.deviceModelName === 'SIP' ? 'sip' : 'unknown'), ...extra };
}

const line = (n: string) => ({ key: `k${n}`, number: n });
const segment = (id: string, last: boolean, numbers: string[]): CstaSwitchRequest => ({
  service: 'switchingFunctionDevices',
  args: { serviceCrossRefID: id, lastSegment: last, deviceList: numbers.map((n) => ({ deviceID: { id: n, name: `Phone ${n}` }, deviceModelName: n.startsWith('2') ? 'SIP' : 'DPT' })) },
});

describe('the CSTA line driver over a session that is only the model', () => {
  it('reads the device list, also segments sent before the answer, with names and the dialect’s kinds', async () => {
    const sw = new ModelSwitch({
      getSwitchingFunctionDevices: (_a, s) => {
        s.request(segment('other', true, ['999'])); // another request's list: not ours
        s.request(segment('07', false, ['100', '101']));
        queueMicrotask(() => s.request(segment('07', true, ['200'])));
        return { serviceCrossRefID: '07' };
      },
    });
    const d = new CstaLineDriver(dialect(sw));
    expect(await d.connect()).toBe('hello from the model switch');
    const r = await d.discover({ readNames: true });
    expect(r).toEqual({
      method: 'switchingFunctionDevices',
      devices: [
        { number: '100', name: 'Phone 100', kind: 'unknown' },
        { number: '101', name: 'Phone 101', kind: 'unknown' },
        { number: '200', name: 'Phone 200', kind: 'sip' },
      ],
      outOfRange: 0,
      warnings: [],
    });
    expect(d.stats().requests).toBe(1);
  });

  it('tries the vendor lists in turn, then probes, and says in a warning what did not work', async () => {
    let escapes = 0;
    const sw = new ModelSwitch({
      snapshotDevice: (a) => {
        if (a.snapshotObject.id === '102') throw new CstaSessionError('CSTA_UNIVERSAL_FAILURE', 'snapshotDevice failed: operation error invalidDeviceID');
        return { calls: [] };
      },
      escape: () => {
        throw ++escapes === 1 ? new CstaSessionError('CSTA_TIMEOUT', 'no answer') : new CstaSessionError('CSTA_REJECTED', 'rejected');
      },
    });
    const silent = {
      method: 'escapeDeviceList' as const,
      label: 'the first vendor list',
      request: (invoke: Invoke) => invoke('escape', { privateData: { format: 'octets', value: '01' } }),
      segment: () => undefined,
    };
    const refused = { ...silent, label: 'the second vendor list' };
    const d = new CstaLineDriver(dialect(sw, { deviceLists: [silent, refused] }));
    await d.connect();
    const r = await d.discover({ readNames: true, probeNumbers: () => ['100', '101', '102', '103'], inRange: (n) => n !== '103' });
    expect(r.method).toBe('snapshotProbe');
    expect(r.devices.map((x) => x.number)).toEqual(['100', '101']);
    expect(r.outOfRange).toBe(1);
    expect(r.warnings.map((w) => w.message)).toEqual([
      'GetSwitchingFunctionDevices did not work (model-switch does not offer getSwitchingFunctionDevices: operation error serviceNotSupported); the first vendor list was asked for instead',
      'the first vendor list did not work (model-switch did not answer escape in time); the second vendor list was asked for instead',
      'the second vendor list did not work (model-switch refused escape: rejected); the extension ranges were probed with SnapshotDevice',
    ]);
  });

  it('turns model events into line events: call states, numbers, causes and features, only for monitored lines', async () => {
    let ref = 0;
    const sw = new ModelSwitch({ monitorStart: () => ({ crossRefIdentifier: `m${++ref}` }), monitorStop: () => ({}) });
    const d = new CstaLineDriver(dialect(sw, { refine: (out, e) => e.name === 'delivered' && (out.alertingDevice = 'refined') }));
    await d.connect();
    const events: DriverLineEvent[] = [];
    d.onEvent((e) => events.push(e));
    await d.monitorStart(line('101'));
    await d.monitorStart(line('101')); // already open: no second monitor
    expect(sw.invoked).toEqual(['monitorStart']);
    const connection = { callId: '0a', device: { id: '101' } };
    sw.send({ category: 'callControl', name: 'delivered', monitorCrossRefId: 'm1', connection, alertingDevice: { id: '101' }, callingDevice: { id: '100' }, calledDevice: { id: '101' }, lastRedirectionDevice: { unavailable: 'notKnown' }, cause: 'newCall' });
    sw.send({ category: 'callControl', name: 'serviceInitiated', monitorCrossRefId: 'm1', initiatedConnection: connection, initiatingDevice: { id: '101' }, localConnectionInfo: 'initiated' });
    sw.send({ category: 'callControl', name: 'held', monitorCrossRefId: 'm1', heldConnection: connection, holdingDevice: { unavailable: 'restricted' }, localConnectionInfo: 'hold', cause: '250' });
    sw.send({ category: 'logicalDeviceFeature', name: 'forwarding', monitorCrossRefId: 'm1', device: { id: '101' }, forwardStatus: true, forwardTo: { id: '0301234' } });
    sw.send({ category: 'logicalDeviceFeature', name: 'doNotDisturb', monitorCrossRefId: 'm1', device: { id: '101' }, doNotDisturbOn: false });
    sw.send({ category: 'deviceMaintenance', name: 'outOfService', monitorCrossRefId: 'm1', device: { id: '101' } });
    sw.send({ category: 'callAssociated', name: 'other', monitorCrossRefId: 'm1' });
    sw.send({ category: 'callControl', name: 'delivered', monitorCrossRefId: 'unknown', connection, alertingDevice: { id: '9' }, callingDevice: { id: '9' }, calledDevice: { id: '9' }, lastRedirectionDevice: { unavailable: 'notKnown' } });
    expect(events).toEqual([
      { line: 'k101', event: 'delivered', callId: '0a', callState: 'alerting', calling: '100', called: '101', cause: 'newCall', alertingDevice: 'refined' },
      { line: 'k101', event: 'serviceInitiated', callId: '0a', callState: 'initiated', calling: '101', called: null, cause: null },
      { line: 'k101', event: 'held', callId: '0a', callState: 'held', calling: null, called: null, cause: '250' },
      { line: 'k101', event: 'forwarding', callId: null, callState: null, calling: null, called: null, cause: null, featureOn: true, forwardTo: '0301234' },
      { line: 'k101', event: 'doNotDisturb', callId: null, callState: null, calling: null, called: null, cause: null, featureOn: false },
      { line: 'k101', event: 'outOfService', callId: null, callState: null, calling: null, called: null, cause: null, featureOn: false },
    ]);
    expect(d.stats().events).toBe(7);
    await d.monitorStop(line('101'));
    expect(sw.invoked).toEqual(['monitorStart', 'monitorStop']);
    sw.send({ category: 'deviceMaintenance', name: 'backInService', monitorCrossRefId: 'm1', device: { id: '101' } });
    expect(events).toHaveLength(6);
  });

  it('reads snapshots in either call-state form, and refusals, silence and a lost session as driver causes', async () => {
    const sw = new ModelSwitch({
      snapshotDevice: () => ({
        calls: [
          { connectionIdentifier: { callId: '01' }, localCallState: { compound: ['hold'] } },
          { connectionIdentifier: { callId: '02' }, localCallState: { simple: 'callReceived' } },
          { connectionIdentifier: { callId: '03' }, localCallState: { unknown: true } },
        ],
      }),
      makeCall: () => {
        throw new CstaSessionError('CSTA_TIMEOUT', 'late');
      },
    });
    const d = new CstaLineDriver(dialect(sw));
    await d.connect();
    expect(await d.snapshot(line('101'))).toEqual([
      { callId: '01', state: 'held' },
      { callId: '02', state: 'alerting' },
      { callId: '03', state: 'connected' },
    ]);
    expect(await failureOf(d.makeCall(line('101'), '102'))).toMatchObject({ code: 'NO_ANSWER', message: 'model-switch did not answer makeCall in time' });
    const refused = await failureOf(d.setDoNotDisturb(line('101'), true));
    // A switch without the service says so: not a refusal of this one request.
    expect(refused.code).toBe('NOT_SUPPORTED');
    expect(refused.message).toBe('model-switch does not offer setDoNotDisturb: operation error serviceNotSupported');
    expect(refused.params).toEqual({ peer: 'model-switch', service: 'setDoNotDisturb', cause: 'operation error serviceNotSupported' });

    const lost: DriverFailure[] = [];
    d.onLost((e) => lost.push(e));
    sw.lose(new CstaSessionError('CSTA_KEEPALIVE_TIMEOUT', 'no keep-alive answer'));
    expect(lost.map((e) => [e.code, e.message])).toEqual([['NO_ANSWER', 'model-switch stopped answering (keep-alive unanswered)']]);
    expect(d.connected).toBe(false);
    expect(await failureOf(d.clearCall(line('101'), '01'))).toMatchObject({ code: 'NOT_CONNECTED', message: 'not connected to model-switch' });
  });
});

describe('the CSTA line driver over BER, without any vendor device list', () => {
  let sim: PanasonicSim | undefined;
  let proxy: RefusingProxy | undefined;
  let driver: CstaLineDriver | undefined;
  afterEach(async () => {
    await driver?.close();
    await proxy?.close();
    await sim?.close();
  });

  it('probes the ranges straight after GetSwitchingFunctionDevices is refused', async () => {
    sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-103' } });
    proxy = await startRefusingProxy(sim.tcpPort, (i) => (i.operation === 'getSwitchingFunctionDevices' ? 'unsupported' : 'pass'));
    const conn = { host: '127.0.0.1', port: proxy.port, tls: false, keepAliveMs: 0 };
    driver = new CstaLineDriver({ family: 'panasonic', peer: `127.0.0.1:${proxy.port}`, open: () => openLink(conn), kindOf: () => 'unknown' });
    await driver.connect();
    const r = await driver.discover({ readNames: false, probeNumbers: () => ['100', '101', '104'] });
    expect(r.method).toBe('snapshotProbe');
    expect(r.devices.map((x) => x.number)).toEqual(['100', '101']);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0].message).toMatch(/^GetSwitchingFunctionDevices did not work \(.*\); the extension ranges were probed with SnapshotDevice$/);
    expect(proxy.seen.escape ?? 0).toBe(0);
  });
});
