import { CallModel, CallModelError, type CallEvent, type CallRecord, type FeatureEvent, type ForwardingType, type LocalConnectionState } from './call-model';
import type { DeviceDirectory, SimDevice } from './devices';

/**
 * The simulated switch without its wire: devices, calls, the one CTI association's monitors, CDR and data
 * collection registrations, fault switches and counters. The CSTA server and the HTTP control API both drive it;
 * it tells the association what to send through `Outbound` messages.
 */

/** Switches an admin or a test flips to see how a client copes. */
export interface Faults {
  /** Answer every AARQ with a rejection. */
  refuseLogin: boolean;
  /** Read invokes but never answer them (the link stays up). */
  stopAnswering: boolean;
  /** Delay every answer by this many milliseconds. */
  answerDelayMs: number;
}

export interface Lacking {
  operations: ReadonlySet<string>;
  answer: 'serviceNotSupported' | 'reject';
}

export const NO_FAULTS: Faults = { refuseLogin: false, stopAnswering: false, answerDelayMs: 0 };

export interface Counters {
  connections: number;
  associations: { total: number; active: number; rejected: number };
  /** Active monitors by dialing number (devices without monitors are left out). */
  monitorsByDevice: Record<string, number>;
  /** Invokes received on the CSTA link, by operation name. */
  invokesReceived: Record<string, number>;
  eventsSent: number;
  cdrReportsSent: number;
  badFrames: number;
}

/** What the switch asks the association to send. */
export type Outbound =
  | { kind: 'callEvent'; crossRefID: string; event: CallEvent; device: string; localState: LocalConnectionState }
  | { kind: 'featureEvent'; crossRefID: string; event: FeatureEvent }
  | { kind: 'cdr'; crossRefID: string; records: CallRecord[] }
  | { kind: 'dataCollected'; crossRefID: string; digits: string; device: string };

/** The association's link: the server implements it for the connection that logged in. */
export interface AssociationLink {
  send(out: Outbound): void;
  /** Drops the TCP/TLS connection at once (fault injection). */
  drop(reason: string): void;
  /** Writes bytes that are not a valid APDU (fault injection). */
  sendMalformed(): void;
}

export class PbxError extends Error {
  constructor(
    readonly code: 'invalidDevice' | 'invalidCall' | 'invalidState' | 'invalidCrossRefID' | 'busy' | 'noAssociation',
    message: string,
  ) {
    super(message);
    this.name = 'PbxError';
  }
}

/** Finished calls kept for the control API's CDR list. */
const HISTORY = 1000;
/** How long a call rings before forwarding on no answer moves it on (15 s, the usual PBX default). */
export const NO_ANSWER_MS = 15_000;

export class PanasonicPbx {
  readonly calls: CallModel;
  /** The last 100 DTMF digit strings keyed or generated at devices, oldest first (tests look at them). */
  readonly keyedDigits: Array<{ device: string; digits: string }> = [];
  faults: Faults = { ...NO_FAULTS };
  /**
   * Services this PBX model does not have (an older system or one without the feature licence): how it answers
   * them is a setting, as switches differ (a universalFailure "serviceNotSupported", or a ROSE reject).
   */
  lacking: Lacking = { operations: new Set(), answer: 'serviceNotSupported' };
  private link: AssociationLink | undefined;
  private monitors = new Map<string, string>(); // crossRefID → device
  /** Events each monitor asked not to get (MonitorFilter: a set bit filters the event out). */
  private filters = new Map<string, Set<string>>();
  private monitorsOf = new Map<string, Set<string>>(); // device → crossRefIDs
  private nextRef = 1;
  private cdrRef: string | undefined;
  private dataCollections = new Map<string, string>(); // crossRefID → device
  private readonly history: CallRecord[] = [];
  private readonly invokeCounts = new Map<string, number>();
  private stats = { connections: 0, total: 0, rejected: 0, eventsSent: 0, cdrReportsSent: 0, badFrames: 0 };
  /** Ring timers of devices that forward on no answer, by "callID/device". */
  private readonly ringTimers = new Map<string, NodeJS.Timeout>();
  private readonly noAnswerMs: number;

  constructor(readonly devices: DeviceDirectory, opts: { outsidePrefix?: string; noAnswerMs?: number } = {}) {
    this.calls = new CallModel(devices, { outsidePrefix: opts.outsidePrefix });
    this.noAnswerMs = opts.noAnswerMs ?? NO_ANSWER_MS;
  }

  /** Stops the ring timers (the simulator is shutting down). */
  close(): void {
    for (const t of this.ringTimers.values()) clearTimeout(t);
    this.ringTimers.clear();
  }

  // ---- association ---------------------------------------------------------------------------------------

  get associated(): boolean {
    return this.link !== undefined;
  }

  /** Takes the single CTI association; false when another one holds it (the real PBX allows one at a time). */
  associate(link: AssociationLink): boolean {
    if (this.link) {
      this.stats.rejected++;
      return false;
    }
    this.link = link;
    this.stats.total++;
    return true;
  }

  /** Ends the association: its monitors, CDR and data-collection registrations go with it. */
  release(link: AssociationLink): void {
    if (this.link !== link) return;
    this.link = undefined;
    this.monitors.clear();
    this.filters.clear();
    this.monitorsOf.clear();
    this.dataCollections.clear();
    this.cdrRef = undefined;
  }

  noteRejected(): void {
    this.stats.rejected++;
  }
  noteConnection(): void {
    this.stats.connections++;
  }
  noteBadFrame(): void {
    this.stats.badFrames++;
  }
  noteInvoke(operation: string): void {
    this.invokeCounts.set(operation, (this.invokeCounts.get(operation) ?? 0) + 1);
  }

  counters(): Counters {
    const monitorsByDevice: Record<string, number> = {};
    for (const [device, refs] of this.monitorsOf) if (refs.size > 0) monitorsByDevice[device] = refs.size;
    return {
      connections: this.stats.connections,
      associations: { total: this.stats.total, active: this.link ? 1 : 0, rejected: this.stats.rejected },
      monitorsByDevice,
      invokesReceived: Object.fromEntries(this.invokeCounts),
      eventsSent: this.stats.eventsSent,
      cdrReportsSent: this.stats.cdrReportsSent,
      badFrames: this.stats.badFrames,
    };
  }

  // ---- monitoring ----------------------------------------------------------------------------------------

  /**
   * A monitor for a device; the cross-reference ID is 4 bytes (hex) so multiplexers can rewrite it in place.
   * `filteredOut` names events (delivered, doNotDisturb …) this monitor must not report.
   */
  monitorStart(number: string, filteredOut: readonly string[] = []): string {
    this.requireDevice(number);
    const ref = this.newRef();
    this.monitors.set(ref, number);
    if (filteredOut.length > 0) this.filters.set(ref, new Set(filteredOut));
    let set = this.monitorsOf.get(number);
    if (!set) this.monitorsOf.set(number, (set = new Set()));
    set.add(ref);
    return ref;
  }

  monitorStop(crossRefID: string): void {
    const device = this.monitors.get(crossRefID);
    if (device === undefined) throw new PbxError('invalidCrossRefID', `no monitor with cross-reference ID ${crossRefID}`);
    this.monitors.delete(crossRefID);
    this.filters.delete(crossRefID);
    this.monitorsOf.get(device)?.delete(crossRefID);
  }

  // ---- CDR and data collection ---------------------------------------------------------------------------

  /** Registers the association for CDR reports; only one registration at a time (operations error otherwise). */
  startCdr(): string {
    if (this.cdrRef) throw new PbxError('busy', 'call detail record transmission is already started');
    this.cdrRef = this.newRef();
    return this.cdrRef;
  }

  stopCdr(crossRefID: string): void {
    if (this.cdrRef !== crossRefID) throw new PbxError('invalidCrossRefID', `no CDR transmission with cross-reference ID ${crossRefID}`);
    this.cdrRef = undefined;
  }

  startDataCollection(number: string): string {
    this.requireDevice(number);
    if ([...this.dataCollections.values()].includes(number)) throw new PbxError('busy', `data collection on ${number} is already started`);
    const ref = this.newRef();
    this.dataCollections.set(ref, number);
    return ref;
  }

  stopDataCollection(crossRefID: string): void {
    if (!this.dataCollections.delete(crossRefID)) throw new PbxError('invalidCrossRefID', `no data collection with cross-reference ID ${crossRefID}`);
  }

  /** Digits keyed at a device (DTMF): reported when a data collection watches it; returns whether one did. */
  digits(number: string, digits: string): boolean {
    this.requireDevice(number);
    if (!/^[0-9*#A-D]+$/.test(digits)) throw new PbxError('invalidState', `"${digits}" are not DTMF digits`);
    this.keyedDigits.push({ device: number, digits });
    if (this.keyedDigits.length > 100) this.keyedDigits.shift();
    let reported = false;
    for (const [ref, device] of this.dataCollections) {
      if (device !== number) continue;
      this.link?.send({ kind: 'dataCollected', crossRefID: ref, digits, device });
      reported = true;
    }
    return reported;
  }

  // ---- calls and features (control API and CSTA services) ------------------------------------------------

  placeCall(from: string, to: string, cause: 'makeCall' | 'newCall' | 'callBack' = 'newCall'): { callID: string; events: CallEvent[] } {
    return this.run(() => {
      const r = this.calls.makeCall(from, to, cause);
      return { result: r, events: r.events };
    });
  }

  answerCall(callID: string, device?: string): CallEvent[] {
    return this.runEvents(() => this.calls.answer(callID, device));
  }
  holdCall(callID: string, device: string): CallEvent[] {
    return this.runEvents(() => this.calls.hold(callID, device));
  }
  retrieveCall(callID: string, device: string): CallEvent[] {
    return this.runEvents(() => this.calls.retrieve(callID, device));
  }
  clearCall(callID: string, device?: string): CallEvent[] {
    return this.runEvents(() => this.calls.clear(callID, device));
  }
  divertCall(callID: string, device: string, to: string): CallEvent[] {
    return this.runEvents(() => this.calls.divert(callID, device, to));
  }
  pickupCall(callID: string, device: string, requesting: string): CallEvent[] {
    return this.runEvents(() => this.calls.pickup(callID, device, requesting));
  }
  transferCall(device: string, heldCall: string, activeCall: string): CallEvent[] {
    return this.runEvents(() => this.calls.transfer(device, heldCall, activeCall));
  }
  conferenceCall(device: string, heldCall: string, activeCall: string): CallEvent[] {
    return this.runEvents(() => this.calls.conference(device, heldCall, activeCall));
  }
  offHook(device: string): string {
    return this.run(() => {
      const r = this.calls.offHook(device);
      return { result: r.callID, events: r.events };
    });
  }
  dialDigits(callID: string, device: string, digits: string): CallEvent[] {
    return this.runEvents(() => this.calls.dial(callID, device, digits));
  }
  callBack(callID: string, device: string): string {
    return this.run(() => {
      const r = this.calls.callBack(callID, device);
      return { result: r.target, events: r.events };
    });
  }
  callBackNonCallRelated(from: string, target: string): void {
    this.wrap(() => this.calls.callBackNonCallRelated(from, target));
  }
  intrudeCall(callID: string, device: string): string {
    return this.run(() => {
      const r = this.calls.intrude(callID, device);
      return { result: r.conferencedCall, events: r.events };
    });
  }

  setInService(device: string, on: boolean): void {
    this.publishFeature(this.wrap(() => this.calls.setInService(device, on)));
  }

  setDoNotDisturb(device: string, on: boolean): void {
    this.publishFeature(this.wrap(() => this.calls.setDoNotDisturb(device, on)));
  }
  setForwarding(device: string, type: ForwardingType, on: boolean, to?: string): void {
    this.publishFeature(this.wrap(() => this.calls.setForwarding(device, type, on, to)));
  }

  /** Drops the association's link (fault injection); false when nobody is connected. */
  dropLink(reason = 'fault injection: link dropped'): boolean {
    if (!this.link) return false;
    this.link.drop(reason);
    return true;
  }

  sendMalformedFrame(): boolean {
    if (!this.link) return false;
    this.link.sendMalformed();
    return true;
  }

  /** The latest finished calls, oldest first. */
  callRecords(): CallRecord[] {
    return this.history.map((r) => ({ ...r }));
  }

  device(number: string): SimDevice | undefined {
    return this.devices.get(number);
  }

  // ---- internals -----------------------------------------------------------------------------------------

  private run<T>(op: () => { result: T; events: CallEvent[] }): T {
    const { result, events } = this.wrap(op);
    // A call that ended may free an extension someone asked to be called back from.
    if (events.length) events.push(...this.calls.completeCallBacks());
    this.publishCalls(events);
    this.startRingTimers(events);
    this.flushCdr();
    return result;
  }

  /** A call delivered to a device that forwards on no answer moves on when nobody answers in time. */
  private startRingTimers(events: CallEvent[]): void {
    for (const ev of events) {
      if (ev.name !== 'delivered') continue;
      const device = ev.subjectDevice;
      if (this.calls.noAnswerDestination(device) === undefined) continue;
      const key = `${ev.connection.callID}/${device}`;
      clearTimeout(this.ringTimers.get(key));
      const timer = setTimeout(() => {
        this.ringTimers.delete(key);
        this.runEvents(() => this.calls.noAnswer(ev.connection.callID, device));
      }, this.noAnswerMs);
      timer.unref();
      this.ringTimers.set(key, timer);
    }
  }

  private runEvents(op: () => CallEvent[]): CallEvent[] {
    return this.run(() => {
      const events = op();
      return { result: events, events };
    });
  }

  private wrap<T>(op: () => T): T {
    try {
      return op();
    } catch (e) {
      if (e instanceof CallModelError) throw new PbxError(e.reason, e.message);
      throw e;
    }
  }

  private publishCalls(events: CallEvent[]): void {
    if (!this.link) return;
    for (const event of events) {
      for (const [device, localState] of Object.entries(event.localStates)) {
        for (const crossRefID of this.monitorsOf.get(device) ?? []) {
          if (this.filters.get(crossRefID)?.has(event.name)) continue;
          this.stats.eventsSent++;
          this.link.send({ kind: 'callEvent', crossRefID, event, device, localState });
        }
      }
    }
  }

  private publishFeature(events: FeatureEvent[]): void {
    if (!this.link) return;
    for (const event of events) {
      for (const crossRefID of this.monitorsOf.get(event.device) ?? []) {
        if (this.filters.get(crossRefID)?.has(event.name)) continue;
        this.stats.eventsSent++;
        this.link.send({ kind: 'featureEvent', crossRefID, event });
      }
    }
  }

  /** Moves finished calls into the CDR history and, while a CDR transmission runs, reports them. */
  private flushCdr(): void {
    const fresh = this.calls.records.splice(0);
    if (fresh.length === 0) return;
    this.history.push(...fresh);
    if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
    if (!this.link || !this.cdrRef) return;
    this.stats.cdrReportsSent++;
    this.link.send({ kind: 'cdr', crossRefID: this.cdrRef, records: fresh });
  }

  private newRef(): string {
    return (this.nextRef++ >>> 0).toString(16).padStart(8, '0');
  }

  private requireDevice(number: string): void {
    if (!this.devices.has(number)) throw new PbxError('invalidDevice', `${number} is not an extension of this PBX`);
  }
}
