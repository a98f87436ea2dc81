// The Panasonic driver: CSTA Phase III to a KX-TDA/TDE/NCP/NS PBX, directly or through a CSTA multiplexer.
import {
  callIdOf,
  connectionId,
  dialingNumber,
  eventOf,
  partyText,
  type CSTAEventReportArgument,
  type ConnectionID,
  type DeviceID,
  type DeviceListEntry,
  type InvokeApdu,
  type LocalConnectionState,
  type PartyDeviceID,
  type SwitchingFunctionDevicesArgument,
} from '../../protocols/csta-ber';
import type { CallState, DeviceKind, DiscoveredDevice } from '../../../shared/api/drivers';
import { DriverErrorCodes as E, DriverFailure, type DiscoverOptions, type DiscoveryResult, type Driver, type DriverConnection, type DriverLineEvent, type LineRef, type SnapshotCall } from '../driver';
import { CstaLink } from './csta-link';
import { deviceListRequest, readDeviceListSegment } from './kme';

export interface PanasonicDriverOptions extends DriverConnection {
  keepAliveMs?: number;
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
};

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

/** Device model names the PBX reports, mapped to the kinds the SIP filter and the UI know. */
function kindOf(model: string | undefined): DeviceKind {
  const m = (model ?? '').toLowerCase();
  if (m.includes('sip')) return 'sip';
  if (m.includes('dect') || m.includes('ps')) return 'dect';
  if (m.includes('analog') || m.includes('slt')) return 'analogue';
  if (m.includes('propr') || m.includes('dpt') || m.includes('ipt') || m.includes('apt')) return 'proprietary';
  return 'unknown';
}

export class PanasonicDriver implements Driver {
  readonly family = 'panasonic' as const;
  private link: CstaLink | undefined;
  private readonly monitorRefs = new Map<string, string>(); // line key → cross-ref
  private readonly monitorLines = new Map<string, LineRef>(); // cross-ref → line
  private eventListener: (e: DriverLineEvent) => void = () => {};
  private lostListener: (e: DriverFailure) => void = () => {};
  /** Device-list segments the PBX invokes while a discovery waits for them. */
  private segmentSink: ((i: InvokeApdu) => void) | undefined;
  private events = 0;

  constructor(readonly options: PanasonicDriverOptions) {}

  get connected(): boolean {
    return !!this.link?.open;
  }

  async connect(): Promise<string> {
    if (this.link?.open) return this.link.reply;
    const link = await CstaLink.open(this.options);
    this.link = link;
    this.monitorRefs.clear();
    this.monitorLines.clear();
    link.onInvoke((i) => this.onInvoke(i));
    link.onLost((e) => {
      this.monitorRefs.clear();
      this.monitorLines.clear();
      this.lostListener(e);
    });
    return link.reply;
  }

  async close(): Promise<void> {
    const link = this.link;
    this.link = undefined;
    this.monitorRefs.clear();
    this.monitorLines.clear();
    await link?.close();
  }

  onLost(listener: (error: DriverFailure) => void): void {
    this.lostListener = listener;
  }

  onEvent(listener: (event: DriverLineEvent) => void): void {
    this.eventListener = listener;
  }

  stats(): { requests: number; events: number } {
    return { requests: this.link?.requests ?? 0, events: this.events };
  }

  // ---- discovery --------------------------------------------------------------------------------------------

  async discover(o: DiscoverOptions): Promise<DiscoveryResult> {
    const warnings: string[] = [];
    let raw: DiscoveredDevice[] | undefined;
    let method: DiscoveryResult['method'] = 'switchingFunctionDevices';
    try {
      raw = await this.readSwitchingFunctionDevices(o);
    } catch (e) {
      if (!(e instanceof DriverFailure) || !fallbackWorthy(e)) throw e;
      warnings.push(`GetSwitchingFunctionDevices did not work (${e.message}); the Panasonic device list was asked for instead`);
    }
    if (!raw) {
      method = 'escapeDeviceList';
      try {
        raw = await this.readEscapeDeviceList(o);
      } catch (e) {
        if (!(e instanceof DriverFailure) || !fallbackWorthy(e)) throw e;
        warnings.push(`the Panasonic device list did not work (${e.message}); the extension ranges were probed with SnapshotDevice`);
      }
    }
    if (!raw) {
      method = 'snapshotProbe';
      if (!o.probeNumbers) throw new DriverFailure(E.rejected, `${this.where()} answered neither device-list request, and no extension ranges are set to probe`);
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

  private async readSwitchingFunctionDevices(o: DiscoverOptions): Promise<DiscoveredDevice[]> {
    const out: DiscoveredDevice[] = [];
    return this.collectSegments(o, 'switchingFunctionDevices', async (take) => {
      const { serviceCrossRefID } = await this.requireLink().invoke('getSwitchingFunctionDevices', {});
      return (i) => {
        if (i.operation !== 'switchingFunctionDevices') return false;
        const arg = i.argument as SwitchingFunctionDevicesArgument;
        if (arg.serviceCrossRefID !== serviceCrossRefID) return false;
        for (const entry of arg.deviceList) {
          const d = fromDeviceListEntry(entry);
          if (d) out.push(d);
        }
        take(out.length, arg.lastSegment);
        return true;
      };
    }).then(() => out);
  }

  private async readEscapeDeviceList(o: DiscoverOptions): Promise<DiscoveredDevice[]> {
    const out: DiscoveredDevice[] = [];
    return this.collectSegments(o, 'escapeDeviceList', async (take) => {
      await this.requireLink().invoke('escape', deviceListRequest(5));
      return (i) => {
        if (i.operation !== 'escape') return false;
        const seg = readDeviceListSegment(i.argument as never);
        if (!seg) return false;
        // The KME list carries device numbers and dialing numbers only: no names, no kinds.
        for (const d of seg.devices) out.push({ number: d.number, name: '', kind: 'unknown' });
        take(out.length, seg.lastSegment);
        return true;
      };
    }).then(() => out);
  }

  /**
   * Starts a device-list request and gathers the segments the PBX invokes afterwards, until the last one. Segments
   * that arrive before the request's answer are kept and replayed, since the matcher needs the answer's ID.
   */
  private collectSegments(
    o: DiscoverOptions,
    method: DiscoveryResult['method'],
    start: (take: (found: number, last: boolean) => void) => Promise<(i: InvokeApdu) => boolean>,
  ): Promise<void> {
    const timeoutMs = this.options.answerTimeoutMs ?? 10_000;
    return new Promise<void>((resolve, reject) => {
      const early: InvokeApdu[] = [];
      let matcher: ((i: InvokeApdu) => boolean) | undefined;
      let timer: NodeJS.Timeout | undefined;
      let done = false;
      const finish = (e?: DriverFailure) => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        this.segmentSink = undefined;
        o.signal?.removeEventListener('abort', onAbort);
        if (e) reject(e);
        else resolve();
      };
      const arm = () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => finish(new DriverFailure(E.noAnswer, `${this.where()} stopped sending the device list (no segment within ${timeoutMs} ms)`)), timeoutMs);
      };
      const onAbort = () => finish(new DriverFailure(E.cancelled, 'line discovery was cancelled'));
      if (o.signal?.aborted) return onAbort();
      o.signal?.addEventListener('abort', onAbort);
      const take = (found: number, last: boolean) => {
        o.onProgress?.({ phase: 'reading', method, found, probed: 0, total: 0 });
        if (last) finish();
        else arm();
      };
      this.segmentSink = (i) => {
        if (matcher) matcher(i);
        else early.push(i);
      };
      start(take).then(
        (m) => {
          if (done) return;
          matcher = m;
          arm();
          for (const i of early.splice(0)) m(i);
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
    const link = this.requireLink();
    const worker = async () => {
      while (next < numbers.length) {
        if (o.signal?.aborted) throw new DriverFailure(E.cancelled, 'line discovery was cancelled');
        const n = numbers[next++];
        try {
          await raceAbort(link.invoke('snapshotDevice', { snapshotObject: dialingNumber(n) }), o.signal);
          found.push({ number: n, name: '', kind: 'unknown' });
        } catch (e) {
          if (!(e instanceof DriverFailure) || e.code !== E.rejected) throw e;
        }
        probed++;
        if (probed % 50 === 0 || probed === numbers.length) o.onProgress?.({ phase: 'probing', method: 'snapshotProbe', found: found.length, probed, total: numbers.length });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.probeConcurrency ?? 16, Math.max(1, numbers.length)) }, worker));
    // Keep the configured order, not the order answers came back in.
    const order = new Map(numbers.map((n, i) => [n, i]));
    return found.sort((a, b) => order.get(a.number)! - order.get(b.number)!);
  }

  // ---- lines ------------------------------------------------------------------------------------------------

  async monitorStart(line: LineRef): Promise<void> {
    if (this.monitorRefs.has(line.key)) return;
    const r = await this.requireLink().invoke('monitorStart', { monitorObject: { deviceObject: dialingNumber(line.number) }, monitorType: 'device' });
    this.monitorRefs.set(line.key, r.crossRefIdentifier);
    this.monitorLines.set(r.crossRefIdentifier, line);
  }

  async monitorStop(line: LineRef): Promise<void> {
    const ref = this.monitorRefs.get(line.key);
    if (ref === undefined) return;
    this.monitorRefs.delete(line.key);
    this.monitorLines.delete(ref);
    if (this.link?.open) await this.link.invoke('monitorStop', { crossRefIdentifier: ref });
  }

  async snapshot(line: LineRef): Promise<SnapshotCall[]> {
    const r = await this.requireLink().invoke('snapshotDevice', { snapshotObject: dialingNumber(line.number) });
    const data = r.crossRefIDorSnapshotData as { snapshotData?: Array<{ connectionIdentifier: ConnectionID; localCallState: unknown }> };
    return (data.snapshotData ?? []).map((info) => ({ callId: callIdOf(info.connectionIdentifier) ?? '', state: snapshotState(info.localCallState) }));
  }

  async makeCall(line: LineRef, number: string): Promise<{ callId: string }> {
    const r = await this.requireLink().invoke('makeCall', { callingDevice: dialingNumber(line.number), calledDirectoryNumber: dialingNumber(number) });
    return { callId: callIdOf(r.callingDevice) ?? '' };
  }

  async clearCall(line: LineRef, callId: string): Promise<void> {
    await this.requireLink().invoke('clearConnection', { connectionToBeCleared: connectionId(callId, dialingNumber(line.number)) });
  }

  async setForwarding(line: LineRef, on: boolean, to?: string): Promise<void> {
    await this.requireLink().invoke('setForwarding', { device: dialingNumber(line.number), forwardingType: 'forwardImmediate', activateForward: on, ...(to ? { forwardDN: dialingNumber(to) } : {}) });
  }

  async setDoNotDisturb(line: LineRef, on: boolean): Promise<void> {
    await this.requireLink().invoke('setDoNotDisturb', { device: dialingNumber(line.number), doNotDisturbOn: on });
  }

  // ---- from the PBX -----------------------------------------------------------------------------------------

  private onInvoke(i: InvokeApdu): void {
    if (i.operation === 'cSTAEventReport') return this.onEventReport(i.argument as CSTAEventReportArgument);
    if (i.operation === 'switchingFunctionDevices' || i.operation === 'escape') this.segmentSink?.(i);
  }

  private onEventReport(arg: CSTAEventReportArgument): void {
    const view = eventOf(arg);
    const ref = this.monitorLines.get(view.crossRefIdentifier);
    if (ref === undefined) return;
    const line = ref.key;
    this.events++;
    const ev = view.event as Record<string, unknown>;
    if (view.category === 'logicalDeviceFeatureEvents') {
      if (view.name === 'doNotDisturb') return this.eventListener({ line, event: 'doNotDisturb', callId: null, callState: null, calling: null, called: null, cause: null, featureOn: ev.doNotDisturbOn as boolean });
      if (view.name === 'forwarding') {
        const to = ev.forwardTo as DeviceID | undefined;
        return this.eventListener({ line, event: 'forwarding', callId: null, callState: null, calling: null, called: null, cause: null, featureOn: ev.forwardStatus as boolean, forwardTo: to ? partyText({ deviceIdentifier: to }) ?? null : null });
      }
      return;
    }
    if (view.category === 'deviceMaintenanceEvents' && (view.name === 'outOfService' || view.name === 'backInService')) {
      return this.eventListener({ line, event: view.name, callId: null, callState: null, calling: null, called: null, cause: null, featureOn: view.name === 'backInService' });
    }
    if (view.category !== 'callControlEvents' || view.name === 'other') return;
    const connection = firstConnection(ev);
    const local = ev.localConnectionInfo as LocalConnectionState | undefined;
    const callState = local !== undefined ? (LOCAL_STATE[String(local)] ?? null) : (STATE_BY_EVENT[view.name] ?? null);
    const subject = partyText(ev.alertingDevice as PartyDeviceID | undefined);
    const out: DriverLineEvent = {
      line,
      event: view.name,
      callId: connection ? (callIdOf(connection) ?? null) : null,
      callState,
      calling: partyText((ev.callingDevice ?? ev.initiatingDevice) as PartyDeviceID | undefined) ?? null,
      called: partyText(ev.calledDevice as PartyDeviceID | undefined) ?? null,
      cause: ev.cause === undefined ? null : String(ev.cause),
    };
    if (view.name === 'delivered' && subject && subject !== ref.number) out.alertingDevice = subject;
    this.eventListener(out);
  }

  private requireLink(): CstaLink {
    if (!this.link?.open) throw new DriverFailure(E.notConnected, `not connected to ${this.where()}`);
    return this.link;
  }

  private where(): string {
    return `${this.options.host}:${this.options.port}`;
  }
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

/** Rejections and silence mean "this PBX does not offer it"; a lost link or a cancel stop the discovery. */
function fallbackWorthy(e: DriverFailure): boolean {
  return e.code === E.rejected || e.code === E.noAnswer;
}

function fromDeviceListEntry(e: DeviceListEntry): DiscoveredDevice | undefined {
  const id = e.deviceID.deviceIdentifier as Record<string, unknown>;
  const number = typeof id.dialingNumber === 'string' ? id.dialingNumber : typeof id.implicitPrivate === 'string' ? id.implicitPrivate : undefined;
  if (!number) return undefined;
  return { number, name: e.deviceID.privateName ?? '', kind: kindOf(e.deviceModelName) };
}

function firstConnection(ev: Record<string, unknown>): ConnectionID | undefined {
  for (const k of ['connection', 'establishedConnection', 'droppedConnection', 'originatedConnection', 'initiatedConnection', 'heldConnection', 'retrievedConnection', 'failedConnection', 'outboundConnection', 'primaryOldCall']) {
    if (ev[k]) return ev[k] as ConnectionID;
  }
  return undefined;
}

function snapshotState(s: unknown): CallState {
  const v = s as { compoundCallState?: LocalConnectionState[]; simpleCallState?: string | number };
  if (v.compoundCallState?.length) return LOCAL_STATE[String(v.compoundCallState[0])] ?? 'connected';
  const simple = String(v.simpleCallState ?? '');
  if (simple.includes('Delivered') || simple.includes('Received')) return 'alerting';
  if (simple.includes('Held') || simple.includes('OnHold')) return 'held';
  if (simple.includes('Failed') || simple.includes('Blocked')) return 'failed';
  if (simple.includes('Originated') || simple.includes('Pending')) return 'initiated';
  return 'connected';
}
