import { coded, type Coded } from '../../../shared/problems';
// The part of a CSTA driver that is the same for every switch, over any CstaSession (BER or XML): discovery by
// GetSwitchingFunctionDevices, a vendor's device lists or a SnapshotDevice probe, monitors keyed by the line's
// identity, events turned into line states, snapshots and call control. A family adds its dialect: how to open
// the session, its own device lists, what device kinds its model names mean, and what else it reads in events.
import {
  connection,
  connectionOf,
  CstaSessionError,
  describeFailure,
  partyId,
  type CallControlEvent,
  type CstaArgs,
  type CstaEvent,
  type CstaResult,
  type CstaServiceName,
  type CstaSession,
  type CstaSwitchRequest,
  type ForwardingType,
  type LocalConnectionState,
  type PartyRef,
  type SnapshotCallState,
  type SwitchingFunctionDevice,
} from '../../protocols/csta/model';
import type { CallState, DeviceKind, DiscoveredDevice, DiscoveryMethod } from '../../../shared/api/drivers';
import type { Family } from '../../../shared/model/line';
import {
  DriverErrorCodes as E,
  DriverFailure,
  type DiscoverOptions,
  type DiscoveryResult,
  type Driver,
  type DriverLineEvent,
  type CallControlRequest,
  type CallControlResult,
  type ForwardingKey,
  type ForwardingSetting,
  type LineFeatures,
  type LineRef,
  type SnapshotCall,
} from '../driver';

/** Sends a request on the driver's session (counted, and failures turned into DriverFailures). */
export type Invoke = <S extends CstaServiceName>(service: S, args: CstaArgs<S>) => Promise<CstaResult<S>>;

/** A device list of the vendor's own, asked for when GetSwitchingFunctionDevices does not work. */
export interface VendorDeviceList {
  method: DiscoveryMethod;
  /** How warnings name it ("the Panasonic device list"). */
  label: string;
  /** Asks for the list through `invoke`; the switch then sends it in segments. */
  request(invoke: Invoke): Promise<unknown>;
  /** The devices of one segment, or undefined when the request is not a segment of this list. */
  segment(request: CstaSwitchRequest): { devices: DiscoveredDevice[]; last: boolean } | undefined;
}

/** What a family adds to the generic CSTA driver. */
export interface CstaDialect {
  readonly family: Family;
  /** "host:port" for messages before there is a session. */
  readonly peer: string;
  /** Opens the session (connection and login); throws DriverFailure with the cause. `reply` is for "test connection". */
  open(): Promise<{ session: CstaSession; reply: string }>;
  /** The kind of a device from a device-list entry (model name …). */
  kindOf(device: SwitchingFunctionDevice): DeviceKind;
  /** The vendor's device lists, tried in order before probing. */
  deviceLists?: VendorDeviceList[];
  /** Reads what the vendor puts into a call event beyond the standard (the line event is about `line`). */
  refine?(out: DriverLineEvent, event: CallControlEvent, line: LineRef): void;
}

export interface CstaLineDriverOptions {
  /** How long a device list may pause between segments; default 10000 ms. */
  answerTimeoutMs?: number;
  /** Snapshot probes in flight at once while probing the ranges (default 16). */
  probeConcurrency?: number;
}

const LOCAL_STATE: Record<string, CallState> = {
  null: 'cleared',
  initiated: 'initiated',
  alerting: 'alerting',
  connected: 'connected',
  hold: 'held',
  queued: 'queued',
  fail: 'failed',
} satisfies Record<LocalConnectionState, CallState>;

/** The line's state after an event that does not say (no localConnectionInfo). */
const STATE_BY_EVENT: Record<string, CallState> = {
  serviceInitiated: 'initiated',
  originated: 'initiated',
  networkReached: 'initiated',
  delivered: 'alerting',
  established: 'connected',
  held: 'held',
  retrieved: 'connected',
  failed: 'failed',
  connectionCleared: 'cleared',
  callCleared: 'cleared',
};

export class CstaLineDriver implements Driver {
  readonly family: Family;
  private session: CstaSession | undefined;
  private reply = '';
  private readonly monitorRefs = new Map<string, string>(); // line key → cross-ref
  private readonly monitorLines = new Map<string, LineRef>(); // cross-ref → line
  private eventListener: (e: DriverLineEvent) => void = () => {};
  private lostListener: (e: DriverFailure) => void = () => {};
  private requests = 0;
  private events = 0;

  constructor(
    private readonly dialect: CstaDialect,
    private readonly driverOptions: CstaLineDriverOptions = {},
  ) {
    this.family = dialect.family;
  }

  get connected(): boolean {
    return !!this.session?.open;
  }

  async connect(): Promise<string> {
    if (this.session?.open) return this.reply;
    const { session, reply } = await this.dialect.open();
    this.session = session;
    this.reply = reply;
    this.forgetMonitors();
    session.onEvent((e) => this.onCstaEvent(e));
    session.onLost((e) => {
      this.forgetMonitors();
      this.lostListener(lostFailure(e, session.peer));
    });
    return reply;
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    this.forgetMonitors();
    await session?.close();
  }

  onLost(listener: (error: DriverFailure) => void): void {
    this.lostListener = listener;
  }

  onEvent(listener: (event: DriverLineEvent) => void): void {
    this.eventListener = listener;
  }

  stats(): { requests: number; events: number } {
    return { requests: this.requests, events: this.events };
  }

  private forgetMonitors(): void {
    this.monitorRefs.clear();
    this.monitorLines.clear();
  }

  /** Sends a request on the session; the switch's refusal becomes REQUEST_REJECTED, and so on. */
  private async invoke<S extends CstaServiceName>(service: S, args: CstaArgs<S>, session = this.requireSession()): Promise<CstaResult<S>> {
    this.requests++;
    try {
      return await session.invoke(service, args);
    } catch (e) {
      throw requestFailure(e, service, session.peer);
    }
  }

  // ---- discovery --------------------------------------------------------------------------------------------

  async discover(o: DiscoverOptions): Promise<DiscoveryResult> {
    const warnings: Coded[] = [];
    let raw: DiscoveredDevice[] | undefined;
    let method: DiscoveryMethod = 'switchingFunctionDevices';
    let failed = 'GetSwitchingFunctionDevices';
    const fellBack = (e: unknown, next: string): void => {
      if (!(e instanceof DriverFailure) || !fallbackWorthy(e)) throw e;
      const probing = next.startsWith('the extension ranges');
      warnings.push({ ...coded(probing ? 'warnings.fallbackProbe' : 'warnings.fallbackEscape', { detail: e.message }), message: `${failed} did not work (${e.message}); ${next}` });
    };
    try {
      raw = await this.readSwitchingFunctionDevices(o);
    } catch (e) {
      fellBack(e, this.dialect.deviceLists?.length ? `${this.dialect.deviceLists[0].label} was asked for instead` : 'the extension ranges were probed with SnapshotDevice');
    }
    const lists = this.dialect.deviceLists ?? [];
    for (let i = 0; !raw && i < lists.length; i++) {
      method = lists[i].method;
      failed = lists[i].label;
      try {
        raw = await this.readVendorDeviceList(o, lists[i]);
      } catch (e) {
        fellBack(e, i + 1 < lists.length ? `${lists[i + 1].label} was asked for instead` : 'the extension ranges were probed with SnapshotDevice');
      }
    }
    if (!raw) {
      method = 'snapshotProbe';
      if (!o.probeNumbers) throw new DriverFailure(E.rejected, `${this.dialect.peer} answered neither device-list request, and no extension ranges are set to probe`);
      raw = await this.probe(o);
    }
    const devices: DiscoveredDevice[] = [];
    let outOfRange = 0;
    const seen = new Set<string>();
    for (const d of raw) {
      if (seen.has(d.number)) continue;
      seen.add(d.number);
      if (o.inRange && !o.inRange(d.number)) {
        outOfRange++;
        continue;
      }
      devices.push(o.readNames ? d : { ...d, name: '' });
    }
    return { method, devices, outOfRange, warnings };
  }

  private readSwitchingFunctionDevices(o: DiscoverOptions): Promise<DiscoveredDevice[]> {
    const out: DiscoveredDevice[] = [];
    return this.collectSegments(o, 'switchingFunctionDevices', async (take) => {
      const { serviceCrossRefID } = await this.invoke('getSwitchingFunctionDevices', {});
      return (r) => {
        if (r.service !== 'switchingFunctionDevices' || r.args.serviceCrossRefID !== serviceCrossRefID) return;
        for (const entry of r.args.deviceList) {
          const d = this.fromDeviceListEntry(entry);
          if (d) out.push(d);
        }
        take(out.length, r.args.lastSegment);
      };
    }).then(() => out);
  }

  private readVendorDeviceList(o: DiscoverOptions, list: VendorDeviceList): Promise<DiscoveredDevice[]> {
    const out: DiscoveredDevice[] = [];
    return this.collectSegments(o, list.method, async (take) => {
      await list.request((service, args) => this.invoke(service, args));
      return (r) => {
        const seg = list.segment(r);
        if (!seg) return;
        out.push(...seg.devices);
        take(out.length, seg.last);
      };
    }).then(() => out);
  }

  /**
   * Starts a device-list request and gathers the segments the switch sends afterwards, until the last one.
   * Segments that arrive before the request's answer are kept and replayed, since the reader needs the answer.
   */
  private collectSegments(
    o: DiscoverOptions,
    method: DiscoveryMethod,
    start: (take: (found: number, last: boolean) => void) => Promise<(r: CstaSwitchRequest) => void>,
  ): Promise<void> {
    const timeoutMs = this.driverOptions.answerTimeoutMs ?? 10_000;
    const session = this.requireSession();
    return new Promise<void>((resolve, reject) => {
      const early: CstaSwitchRequest[] = [];
      let reader: ((r: CstaSwitchRequest) => void) | undefined;
      let timer: NodeJS.Timeout | undefined;
      let done = false;
      const unsubscribe = session.onRequest((r) => {
        if (reader) reader(r);
        else early.push(r);
      });
      const finish = (e?: DriverFailure) => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        unsubscribe();
        o.signal?.removeEventListener('abort', onAbort);
        if (e) reject(e);
        else resolve();
      };
      const arm = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => finish(new DriverFailure(E.noAnswer, `${session.peer} stopped sending the device list (no segment within ${timeoutMs} ms)`)), timeoutMs);
      };
      const onAbort = () => finish(new DriverFailure(E.cancelled, 'line discovery was cancelled'));
      if (o.signal?.aborted) return onAbort();
      o.signal?.addEventListener('abort', onAbort);
      const take = (found: number, last: boolean) => {
        o.onProgress?.({ phase: 'reading', method, found, probed: 0, total: 0 });
        if (last) finish();
        else arm();
      };
      start(take).then(
        (read) => {
          if (done) return;
          reader = read;
          arm();
          for (const r of early.splice(0)) read(r);
        },
        (e: unknown) => finish(e instanceof DriverFailure ? e : new DriverFailure(E.protocol, String(e))),
      );
    });
  }

  private async probe(o: DiscoverOptions): Promise<DiscoveredDevice[]> {
    const numbers = [...(o.probeNumbers?.() ?? [])];
    const found: DiscoveredDevice[] = [];
    let next = 0;
    let probed = 0;
    const session = this.requireSession();
    const worker = async () => {
      while (next < numbers.length) {
        if (o.signal?.aborted) throw new DriverFailure(E.cancelled, 'line discovery was cancelled');
        const n = numbers[next++];
        try {
          await raceAbort(this.invoke('snapshotDevice', { snapshotObject: { id: n } }, session), o.signal);
          found.push({ number: n, name: '', kind: 'unknown' });
        } catch (e) {
          if (!(e instanceof DriverFailure) || e.code !== E.rejected) throw e;
        }
        probed++;
        if (probed % 50 === 0 || probed === numbers.length) o.onProgress?.({ phase: 'probing', method: 'snapshotProbe', found: found.length, probed, total: numbers.length });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.driverOptions.probeConcurrency ?? 16, Math.max(1, numbers.length)) }, worker));
    // Keep the configured order, not the order answers came back in.
    const order = new Map(numbers.map((n, i) => [n, i]));
    return found.sort((a, b) => order.get(a.number)! - order.get(b.number)!);
  }

  private fromDeviceListEntry(e: SwitchingFunctionDevice): DiscoveredDevice | undefined {
    const format = e.deviceID.format ?? 'dialingNumber';
    if ((format !== 'dialingNumber' && format !== 'implicitPrivate') || !e.deviceID.id) return undefined;
    return { number: e.deviceID.id, name: e.deviceID.name ?? '', kind: this.dialect.kindOf(e) };
  }

  // ---- lines ------------------------------------------------------------------------------------------------

  async monitorStart(line: LineRef): Promise<void> {
    if (this.monitorRefs.has(line.key)) return;
    const r = await this.invoke('monitorStart', { monitorObject: { device: { id: line.number } }, monitorType: 'device' });
    this.monitorRefs.set(line.key, r.crossRefIdentifier);
    this.monitorLines.set(r.crossRefIdentifier, line);
  }

  async monitorStop(line: LineRef): Promise<void> {
    const ref = this.monitorRefs.get(line.key);
    if (ref === undefined) return;
    this.monitorRefs.delete(line.key);
    this.monitorLines.delete(ref);
    if (this.session?.open) await this.invoke('monitorStop', { crossRefIdentifier: ref }, this.session);
  }

  async snapshot(line: LineRef): Promise<SnapshotCall[]> {
    const r = await this.invoke('snapshotDevice', { snapshotObject: { id: line.number } });
    return r.calls.map((c) => ({ callId: c.connectionIdentifier.callId ?? '', state: snapshotState(c.localCallState) }));
  }

  async makeCall(line: LineRef, number: string): Promise<{ callId: string }> {
    const r = await this.invoke('makeCall', { callingDevice: { id: line.number }, calledDirectoryNumber: { id: number } });
    return { callId: r.callingDevice.callId ?? '' };
  }

  async clearCall(line: LineRef, callId: string): Promise<void> {
    await this.invoke('clearConnection', { connectionToBeCleared: { callId, device: { id: line.number } } });
  }

  async setForwarding(line: LineRef, on: boolean, to?: string, which: ForwardingKey = IMMEDIATE): Promise<void> {
    await this.invoke('setForwarding', { device: { id: line.number }, forwardingType: forwardingType(which), activateForward: on, ...(to ? { forwardDN: { id: to } } : {}) });
  }

  async readFeatures(line: LineRef): Promise<LineFeatures> {
    const [dnd, fwd] = await Promise.all([this.invoke('getDoNotDisturb', { device: { id: line.number } }), this.invoke('getForwarding', { device: { id: line.number } })]);
    const forwarding: ForwardingSetting[] = [];
    for (const f of fwd.forwardingList) {
      const key = forwardingKey(f.forwardingType ?? 'forwardImmediate');
      if (key) forwarding.push({ ...key, on: f.forwardStatus, to: f.forwardDN?.id ?? null });
    }
    return { doNotDisturb: dnd.doNotDisturbOn, forwarding };
  }

  /** The manual's TAPI operations as ECMA-269 services on the line's connections (call ID plus the line's device). */
  async callControl(line: LineRef, r: CallControlRequest): Promise<CallControlResult> {
    const own = (callId: string) => connection(callId, line.number);
    switch (r.op) {
      case 'answer':
        await this.invoke('answerCall', { callToBeAnswered: own(r.callId) });
        return { callId: r.callId };
      case 'hold':
        await this.invoke('holdCall', { callToBeHeld: own(r.callId) });
        return { callId: r.callId };
      case 'retrieve':
        await this.invoke('retrieveCall', { callToBeRetrieved: own(r.callId) });
        return { callId: r.callId };
      case 'redirect':
        await this.invoke('deflectCall', { callToBeDiverted: own(r.callId), newDestination: { id: r.to } });
        return { callId: null };
      case 'blindTransfer':
        await this.invoke('singleStepTransferCall', { activeCall: own(r.callId), transferredTo: { id: r.to } });
        return { callId: null };
      case 'consult': {
        const c = await this.invoke('consultationCall', { existingCall: own(r.callId), consultedDevice: { id: r.to } });
        return { callId: c.initiatedCall.callId ?? null };
      }
      case 'alternate':
        await this.invoke('alternateCall', { heldCall: own(r.heldCallId), activeCall: own(r.activeCallId) });
        return { callId: r.heldCallId };
      case 'transfer':
        await this.invoke('transferCall', { heldCall: own(r.heldCallId), activeCall: own(r.activeCallId) });
        return { callId: null };
      case 'conference': {
        const c = await this.invoke('conferenceCall', { heldCall: own(r.heldCallId), activeCall: own(r.activeCallId) });
        return { callId: c.conferenceCall.callId ?? r.heldCallId };
      }
      case 'removeParty':
        await this.invoke('clearConnection', { connectionToBeCleared: connection(r.callId, r.party) });
        return { callId: r.callId };
      case 'pickup': {
        const callId = r.callId ?? (await this.ringingCallAt(r.from));
        const c = await this.invoke('directedPickupCall', { callToBePickedUp: connection(callId, r.from), requestingDevice: { id: line.number } });
        return { callId: c.pickedCall?.callId ?? callId };
      }
      case 'dial':
        await this.invoke('dialDigits', { diallingConnection: own(r.callId), diallingSequence: { id: r.to } });
        return { callId: r.callId };
      case 'digits':
        await this.invoke('generateDigits', { connectionToSendDigits: own(r.callId), charactersToSend: r.digits });
        return { callId: r.callId };
      case 'callBack':
        await this.invoke('callBack', { callbackConnection: own(r.callId) });
        return { callId: null };
      case 'callBackTo':
        await this.invoke('callBackNonCallRelated', { originatingDevice: { id: line.number }, targetDevice: { id: r.to } });
        return { callId: null };
      case 'intrude': {
        const c = await this.invoke('intrudeCall', { intrude: own(r.callId) });
        return { callId: c.conferencedCall?.callId ?? null };
      }
    }
  }

  /** The call ringing at `device`, for a pickup that names only the device (as a phone's pickup key does). */
  private async ringingCallAt(device: string): Promise<string> {
    const r = await this.invoke('snapshotDevice', { snapshotObject: { id: device } });
    const ringing = r.calls.find((c) => snapshotState(c.localCallState) === 'alerting');
    if (!ringing?.connectionIdentifier.callId) throw new DriverFailure(E.rejected, `no call is ringing at ${device}`, undefined, { peer: this.dialect.peer, service: 'directedPickupCall', device });
    return ringing.connectionIdentifier.callId;
  }

  async setDoNotDisturb(line: LineRef, on: boolean): Promise<void> {
    await this.invoke('setDoNotDisturb', { device: { id: line.number }, doNotDisturbOn: on });
  }

  // ---- from the switch --------------------------------------------------------------------------------------

  private onCstaEvent(e: CstaEvent): void {
    const ref = this.monitorLines.get(e.monitorCrossRefId);
    if (ref === undefined) return;
    const line = ref.key;
    this.events++;
    const feature = { line, event: e.name, callId: null, callState: null, calling: null, called: null, cause: null };
    switch (e.name) {
      case 'doNotDisturb':
        return this.eventListener({ ...feature, featureOn: e.doNotDisturbOn });
      case 'forwarding': {
        const which = e.forwardingType === undefined ? undefined : forwardingKey(e.forwardingType);
        return this.eventListener({ ...feature, featureOn: e.forwardStatus, forwardTo: e.forwardTo?.id ?? null, ...(which ? { forwarding: which } : {}) });
      }
      case 'outOfService':
      case 'backInService':
        return this.eventListener({ ...feature, featureOn: e.name === 'backInService' });
      case 'other':
        return;
    }
    if (e.category !== 'callControl') return;
    const parties = e as Partial<Record<'callingDevice' | 'initiatingDevice' | 'calledDevice', PartyRef>>;
    const out: DriverLineEvent = {
      line,
      event: e.name,
      callId: connectionOf(e).callId ?? null,
      callState: e.localConnectionInfo !== undefined ? (LOCAL_STATE[e.localConnectionInfo] ?? null) : (STATE_BY_EVENT[e.name] ?? null),
      calling: partyId(parties.callingDevice ?? parties.initiatingDevice) ?? null,
      called: partyId(parties.calledDevice) ?? null,
      cause: e.cause ?? null,
    };
    if ((e.name === 'transferred' || e.name === 'conferenced') && e.secondaryOldCall?.callId) out.mergedCallId = e.secondaryOldCall.callId;
    if (e.name === 'conferenced') {
      const devices = e.conferenceConnections.map((c) => partyId(c.endpoint) ?? c.newConnection?.device?.id);
      out.parties = [...new Set(devices.filter((d): d is string => !!d && d !== ref.number))].sort();
    }
    const dropped = e.name === 'connectionCleared' ? e.droppedConnection.device?.id : undefined;
    if (dropped && dropped !== ref.number) out.leftParty = dropped;
    this.dialect.refine?.(out, e, ref);
    this.eventListener(out);
  }

  private requireSession(): CstaSession {
    if (!this.session?.open) throw new DriverFailure(E.notConnected, `not connected to ${this.dialect.peer}`);
    return this.session;
  }
}

const IMMEDIATE: ForwardingKey = { kind: 'immediate', callers: 'all' };
const FORWARDING_TYPE: Record<ForwardingKey['kind'], Record<ForwardingKey['callers'], ForwardingType>> = {
  immediate: { all: 'forwardImmediate', internal: 'forwardImmInt', external: 'forwardImmExt' },
  busy: { all: 'forwardBusy', internal: 'forwardBusyInt', external: 'forwardBusyExt' },
  noAnswer: { all: 'forwardNoAns', internal: 'forwardNoAnsInt', external: 'forwardNoAnsExt' },
};

function forwardingType(k: ForwardingKey): ForwardingType {
  return FORWARDING_TYPE[k.kind][k.callers];
}

/** The key of an ECMA-269 forwarding type; undefined for the do-not-disturb forwardings and unknown ones. */
function forwardingKey(type: string): ForwardingKey | undefined {
  for (const [kind, byCallers] of Object.entries(FORWARDING_TYPE))
    for (const [callers, t] of Object.entries(byCallers)) if (t === type) return { kind, callers } as ForwardingKey;
  return undefined;
}

/** Settles with the request, or rejects as soon as the discovery is cancelled. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DriverFailure(E.cancelled, 'line discovery was cancelled'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Rejections and silence mean "this switch does not offer it"; a lost link or a cancel stop the discovery. */
function fallbackWorthy(e: DriverFailure): boolean {
  return e.code === E.rejected || e.code === E.notSupported || e.code === E.noAnswer;
}

function snapshotState(s: SnapshotCallState): CallState {
  if ('compound' in s) return s.compound.length ? (LOCAL_STATE[s.compound[0]] ?? 'connected') : 'connected';
  if (!('simple' in s)) return 'connected';
  const simple = s.simple;
  if (simple.includes('Delivered') || simple.includes('Received')) return 'alerting';
  if (simple.includes('Held') || simple.includes('OnHold')) return 'held';
  if (simple.includes('Failed') || simple.includes('Blocked')) return 'failed';
  if (simple.includes('Originated') || simple.includes('Pending')) return 'initiated';
  return 'connected';
}

/** A failed request as the cause the driver reports, naming the switch and the service (also in `params`). */
export function requestFailure(e: unknown, service: string, peer: string): DriverFailure {
  if (e instanceof DriverFailure) return e;
  const params = { peer, service };
  if (!(e instanceof CstaSessionError)) return new DriverFailure(E.protocol, `${service} on ${peer}: ${String(e)}`, undefined, params);
  // A switch without the service says so by a serviceNotSupported failure or by rejecting the unknown operation.
  const lacking = (e.details.failure?.category === 'operation' && e.details.failure.error === 'serviceNotSupported') || (e.code === 'CSTA_REJECTED' && e.details.cause === 'unrecognizedOperation');
  if (lacking) {
    const cause = e.details.failure ? describeFailure(e.details.failure) : 'unrecognizedOperation';
    return new DriverFailure(E.notSupported, `${peer} does not offer ${service}: ${cause}`, undefined, { ...params, cause });
  }
  switch (e.code) {
    case 'CSTA_UNIVERSAL_FAILURE':
    case 'CSTA_ERROR':
    case 'CSTA_REJECTED':
      return new DriverFailure(E.rejected, `${peer} refused ${service}: ${e.message}`, undefined, e.details.failure ? { ...params, cause: describeFailure(e.details.failure) } : params);
    case 'CSTA_TIMEOUT':
      return new DriverFailure(E.noAnswer, `${peer} did not answer ${service} in time`, undefined, params);
    case 'CSTA_NOT_CONNECTED':
      return new DriverFailure(E.notConnected, `not connected to ${peer}`, undefined, params);
    case 'CSTA_CANCELLED':
      return new DriverFailure(E.cancelled, `${service} on ${peer} was cancelled`, undefined, params);
    case 'CSTA_UNSUPPORTED':
      return new DriverFailure(E.protocol, `${service} on ${peer}: ${e.message}`, undefined, params);
    default:
      return new DriverFailure(E.linkLost, `the link to ${peer} ended before ${service} was answered (${e.message})`, undefined, { ...params, cause: e.code });
  }
}

/** Why a session ended, as the cause the driver reports. */
export function lostFailure(e: CstaSessionError, peer: string): DriverFailure {
  const params = { peer, cause: e.code };
  if (e.code === 'CSTA_KEEPALIVE_TIMEOUT') return new DriverFailure(E.noAnswer, `${peer} stopped answering (keep-alive unanswered)`, undefined, params);
  if (e.code === 'CSTA_PROTOCOL') return new DriverFailure(E.protocol, `${peer} sent data that is not CSTA; the link was closed (${e.message})`, undefined, params);
  return new DriverFailure(E.linkLost, `the link to ${peer} was lost (${e.message})`, undefined, params);
}
