/** The switch's extensions as the call model sees them: which numbers are its own, and Super-Twin partners. */
export interface CallDirectory {
  has(number: string): boolean;
  get(number: string): { twin?: string; kind?: string } | undefined;
}

/**
 * The simulated switch's calls as a pure state machine: every operation changes the state and returns the
 * abstract CSTA events (ECMA-269 names and fields) it causes, each with the devices that see it and their local
 * connection state. The CSTA server turns those into EventReports for the monitors; nothing here touches a socket.
 */

/** ECMA-269 LocalConnectionState. */
export type LocalConnectionState = 'null' | 'initiated' | 'alerting' | 'connected' | 'hold' | 'queued' | 'fail';

/** The ECMA-269 EventCause values this model uses (numbers from ECMA-285 event-cause.asn1). */
export const EVENT_CAUSES = {
  busy: 3,
  callBack: 4,
  callCancelled: 5,
  callForwardImmediate: 6,
  callForwardBusy: 7,
  callForwardNoAnswer: 8,
  callForward: 9,
  callPickup: 11,
  conference: 63,
  consultation: 37,
  destNotObtainable: 13,
  destOutOfOrder: 65,
  doNotDisturb: 14,
  intrude: 68,
  makeCall: 44,
  networkSignal: 46,
  newCall: 22,
  normal: 78,
  normalClearing: 48,
  redirected: 28,
  transfer: 32,
} as const;
export type EventCause = keyof typeof EVENT_CAUSES;

/** A connection = one device's part in one call (CSTA ConnectionID, `both` form as Panasonic sends it). */
export interface ConnRef {
  callID: string;
  deviceID: string;
}

export type CallEventName =
  | 'serviceInitiated'
  | 'originated'
  | 'delivered'
  | 'established'
  | 'held'
  | 'retrieved'
  | 'connectionCleared'
  | 'transferred'
  | 'conferenced'
  | 'diverted'
  | 'networkReached'
  | 'failed';

/**
 * One call-control event. `connection` is the event's main connection (initiatedConnection, droppedConnection,
 * primaryOldCall …); `subjectDevice` the device that acted (alertingDevice, answeringDevice, holdingDevice,
 * releasingDevice, transferringDevice, conferencingDevice, divertingDevice, failingDevice, networkInterfaceUsed).
 */
export interface CallEvent {
  name: CallEventName;
  connection: ConnRef;
  subjectDevice: string;
  callingDevice?: string;
  calledDevice?: string;
  lastRedirectionDevice?: string;
  /** Diverted: newDestination; Transferred: transferredToDevice; Conferenced: addedParty. */
  otherDevice?: string;
  /** Transferred/Conferenced: the consultation call's connection at the acting device. */
  secondaryOldCall?: ConnRef;
  /** Transferred/Conferenced: the connections of the resulting call. */
  connections?: ConnRef[];
  cause: EventCause;
  /** Who sees the event (monitored devices), with each one's connection state in the call after the event. */
  localStates: Record<string, LocalConnectionState>;
}

/** For all callers, and (the manual's UNCONDINTERNAL, BUSYEXTERNAL …) for internal or external callers only. */
export const FORWARDING_TYPES = [
  'forwardImmediate', 'forwardBusy', 'forwardNoAns', 'forwardImmInt', 'forwardImmExt', 'forwardBusyInt', 'forwardBusyExt', 'forwardNoAnsInt', 'forwardNoAnsExt',
] as const;
export type ForwardingType = (typeof FORWARDING_TYPES)[number];
const FORWARDING_BY_CALLER = {
  immediate: { all: 'forwardImmediate', internal: 'forwardImmInt', external: 'forwardImmExt' },
  busy: { all: 'forwardBusy', internal: 'forwardBusyInt', external: 'forwardBusyExt' },
  noAnswer: { all: 'forwardNoAns', internal: 'forwardNoAnsInt', external: 'forwardNoAnsExt' },
} as const satisfies Record<string, Record<'all' | 'internal' | 'external', ForwardingType>>;

export interface ForwardEntry {
  type: ForwardingType;
  on: boolean;
  to?: string;
}

export type FeatureEvent =
  | { name: 'outOfService'; device: string }
  | { name: 'backInService'; device: string }
  | { name: 'doNotDisturb'; device: string; on: boolean }
  | { name: 'forwarding'; device: string; type: ForwardingType; on: boolean; to?: string };

/** One finished call, as the PBX's SMDR/CDR would report it. */
export interface CallRecord {
  callID: string;
  callingDevice: string;
  calledDevice: string;
  /** The device that answered, if any. */
  answeredBy?: string;
  startTime: string;
  answerTime?: string;
  endTime: string;
  durationSeconds: number;
  /** Outside call (over a trunk). */
  external: boolean;
  /** Panasonic CDR condition: tr = transferred, fw = forwarded, na = not answered; '' otherwise. */
  condition: '' | 'tr' | 'fw' | 'na';
}

interface Connection {
  device: string;
  state: LocalConnectionState;
}

interface Call {
  id: string;
  connections: Map<string, Connection>;
  callingDevice: string;
  calledDevice: string;
  lastRedirection?: string;
  external: boolean;
  startedAt: number;
  answeredAt?: number;
  answeredBy?: string;
  condition: CallRecord['condition'];
}

export interface CallSnapshot {
  callID: string;
  callingDevice: string;
  calledDevice: string;
  external: boolean;
  connections: Array<{ device: string; state: LocalConnectionState }>;
}

/** A refused operation: the CSTA server maps it to a universalFailure, the control API to HTTP 409/404. */
export class CallModelError extends Error {
  constructor(
    readonly reason: 'invalidDevice' | 'invalidCall' | 'invalidState',
    message: string,
  ) {
    super(message);
    this.name = 'CallModelError';
  }
}

export interface CallModelOptions {
  /** Dialed numbers starting with this go out over a trunk (default "0"). */
  outsidePrefix?: string;
  /** The network interface (trunk) device reported in NetworkReached (default "T1"). */
  trunk?: string;
  now?: () => number;
}

/** What a caller can dial or present: digits, * and #, an optional leading +. */
const DIALABLE = /^\+?[0-9*#]{1,32}$/;

export class CallModel {
  private calls = new Map<string, Call>();
  private nextCallId = 1;
  private dnd = new Set<string>();
  private outOfService = new Set<string>();
  private forwarding = new Map<string, ForwardEntry[]>();
  /** Call completion requests in the order made: `from` is called back once `target` is free. */
  private callBacks: Array<{ from: string; target: string }> = [];
  private readonly outsidePrefix: string;
  private readonly trunk: string;
  private readonly now: () => number;
  /** Finished calls, oldest first, until the owner drains them (the PBX turns them into CDR reports). */
  readonly records: CallRecord[] = [];

  constructor(
    private readonly devices: CallDirectory,
    opts: CallModelOptions = {},
  ) {
    this.outsidePrefix = opts.outsidePrefix ?? '0';
    this.trunk = opts.trunk ?? 'T1';
    this.now = opts.now ?? Date.now;
  }

  // ---- reading state -------------------------------------------------------------------------------------

  isInternal(number: string): boolean {
    return this.devices.has(number);
  }

  activeCalls(): CallSnapshot[] {
    return [...this.calls.values()].map((c) => this.snapshotOf(c));
  }

  call(callID: string): CallSnapshot | undefined {
    const c = this.calls.get(callID);
    return c && this.snapshotOf(c);
  }

  /** The calls a device takes part in with its local state (SnapshotDevice). */
  callsOf(device: string): Array<{ connection: ConnRef; state: LocalConnectionState; otherParties: string[] }> {
    const out = [];
    for (const c of this.calls.values()) {
      const own = c.connections.get(device);
      if (!own) continue;
      out.push({ connection: { callID: c.id, deviceID: device }, state: own.state, otherParties: [...c.connections.keys()].filter((d) => d !== device) });
    }
    return out;
  }

  inService(device: string): boolean {
    return !this.outOfService.has(device);
  }

  doNotDisturb(device: string): boolean {
    return this.dnd.has(device);
  }

  forwardingOf(device: string): ForwardEntry[] {
    return (this.forwarding.get(device) ?? []).map((f) => ({ ...f }));
  }

  // ---- features ------------------------------------------------------------------------------------------

  /** Takes a device out of service (unplugged, defective) or back; calls to it fail while it is out. */
  setInService(device: string, on: boolean): FeatureEvent[] {
    this.requireDevice(device);
    if (on === this.inService(device)) return [];
    if (on) this.outOfService.delete(device);
    else this.outOfService.add(device);
    return [on ? { name: 'backInService', device } : { name: 'outOfService', device }];
  }

  setDoNotDisturb(device: string, on: boolean): FeatureEvent[] {
    this.requireDevice(device);
    if (on) this.dnd.add(device);
    else this.dnd.delete(device);
    return [{ name: 'doNotDisturb', device, on }];
  }

  setForwarding(device: string, type: ForwardingType, on: boolean, to?: string): FeatureEvent[] {
    this.requireDevice(device);
    if (on && !to) throw new CallModelError('invalidDevice', `forwarding of ${device} needs a destination`);
    if (on && (to === device || !DIALABLE.test(to!))) throw new CallModelError('invalidDevice', `${device} cannot forward to "${to}"`);
    const list = (this.forwarding.get(device) ?? []).filter((f) => f.type !== type);
    if (on) list.push({ type, on, to });
    this.forwarding.set(device, list);
    return [{ name: 'forwarding', device, type, on, to: on ? to : undefined }];
  }

  // ---- call control --------------------------------------------------------------------------------------

  /**
   * A call from `from` to `to`. From an extension it starts with ServiceInitiated/Originated (cause makeCall when
   * a CTI client asked, newCall when the user dialled); from an outside number it arrives over the trunk.
   */
  makeCall(from: string, to: string, cause: 'makeCall' | 'newCall' | 'callBack' = 'makeCall'): { callID: string; events: CallEvent[] } {
    for (const n of [from, to]) if (!DIALABLE.test(n)) throw new CallModelError('invalidDevice', `"${n}" is not a dialable number`);
    const fromInternal = this.isInternal(from);
    if (fromInternal && !this.inService(from)) throw new CallModelError('invalidState', `${from} is out of service`);
    if (!fromInternal && !this.isInternal(to)) throw new CallModelError('invalidDevice', `neither ${from} nor ${to} is an extension of this PBX`);
    if (from === to) throw new CallModelError('invalidDevice', `${from} cannot call itself`);
    const call: Call = {
      id: String(this.nextCallId++),
      connections: new Map(),
      callingDevice: from,
      calledDevice: to,
      external: !fromInternal || !this.isInternal(to),
      startedAt: this.now(),
      condition: '',
    };
    this.calls.set(call.id, call);
    const events: CallEvent[] = [];
    if (fromInternal) {
      this.setState(call, from, 'initiated');
      events.push(this.event(call, 'serviceInitiated', from, { cause }));
      this.setState(call, from, 'connected');
      events.push(this.event(call, 'originated', from, { cause, callingDevice: from, calledDevice: to }));
    } else {
      this.setState(call, from, 'connected');
    }
    events.push(...this.deliver(call, to, undefined));
    return { callID: call.id, events };
  }

  /** The user lifts the handset: a call with dial tone (ServiceInitiated, cause newCall) waiting for digits. */
  offHook(device: string): { callID: string; events: CallEvent[] } {
    this.requireDevice(device);
    if (!this.inService(device)) throw new CallModelError('invalidState', `${device} is out of service`);
    const call: Call = { id: String(this.nextCallId++), connections: new Map(), callingDevice: device, calledDevice: '', external: false, startedAt: this.now(), condition: '' };
    this.calls.set(call.id, call);
    this.setState(call, device, 'initiated');
    return { callID: call.id, events: [this.event(call, 'serviceInitiated', device, { cause: 'newCall' })] };
  }

  /** Digits dialled into a call with dial tone (TAPI's lineDial): Originated at the caller, then the call is offered. */
  dial(callID: string, device: string, to: string): CallEvent[] {
    const call = this.requireCall(callID);
    if (this.requireConn(call, device).state !== 'initiated' || call.connections.size !== 1) throw new CallModelError('invalidState', `call ${callID} has no dial tone at ${device}`);
    if (!DIALABLE.test(to) || to === device) throw new CallModelError('invalidDevice', `${device} cannot dial "${to}"`);
    call.calledDevice = to;
    call.external = !this.isInternal(to);
    this.setState(call, device, 'connected');
    return [this.event(call, 'originated', device, { cause: 'newCall', callingDevice: device, calledDevice: to }), ...this.deliver(call, to, undefined)];
  }

  /** Answers an alerting connection; the outside party of an outgoing call answers the same way. */
  answer(callID: string, device?: string): CallEvent[] {
    const call = this.requireCall(callID);
    const conn = device ? call.connections.get(device) : [...call.connections.values()].find((c) => c.state === 'alerting');
    if (!conn || conn.state !== 'alerting') throw new CallModelError('invalidState', `call ${callID} is not ringing${device ? ` at ${device}` : ''}`);
    const events: CallEvent[] = [];
    // A Super-Twin pair rings together; the one that answers takes the call from the other.
    for (const other of [...call.connections.values()]) {
      if (other.device !== conn.device && other.state === 'alerting') {
        call.connections.delete(other.device);
        events.push(this.event(call, 'connectionCleared', other.device, { cause: 'callCancelled', extraAudience: { [other.device]: 'null' } }));
      }
    }
    this.setState(call, conn.device, 'connected');
    call.answeredAt ??= this.now();
    call.answeredBy ??= conn.device;
    events.push(this.event(call, 'established', conn.device, { cause: call.lastRedirection ? 'redirected' : 'newCall', ...this.parties(call) }));
    return events;
  }

  hold(callID: string, device: string): CallEvent[] {
    const call = this.requireCall(callID);
    const conn = this.requireConn(call, device);
    if (conn.state !== 'connected') throw new CallModelError('invalidState', `${device} is not connected in call ${callID}`);
    this.setState(call, device, 'hold');
    return [this.event(call, 'held', device, { cause: 'normal' })];
  }

  retrieve(callID: string, device: string): CallEvent[] {
    const call = this.requireCall(callID);
    const conn = this.requireConn(call, device);
    if (conn.state !== 'hold') throw new CallModelError('invalidState', `${device} does not hold call ${callID}`);
    this.setState(call, device, 'connected');
    return [this.event(call, 'retrieved', device, { cause: 'normal' })];
  }

  /** Clears one device's connection, or (without a device) the whole call. A call with one party left ends. */
  clear(callID: string, device?: string): CallEvent[] {
    const call = this.requireCall(callID);
    const order = device ? [device, ...[...call.connections.keys()].filter((d) => d !== device)] : [...call.connections.keys()];
    if (device) this.requireConn(call, device);
    const events: CallEvent[] = [];
    for (const d of order) {
      if (!call.connections.has(d)) continue;
      const remaining = call.connections.size - 1;
      const wasAlerting = call.connections.get(d)!.state === 'alerting';
      call.connections.delete(d);
      events.push(this.event(call, 'connectionCleared', d, { cause: wasAlerting ? 'callCancelled' : 'normalClearing', extraAudience: { [d]: 'null' } }));
      // One cleared party of three leaves a call between the other two; otherwise the call ends.
      if (device && d === device && remaining >= 2) return events;
    }
    this.finish(call);
    return events;
  }

  /** Deflects a ringing call from `device` to `to` (DeflectCall, or a user's manual divert). */
  divert(callID: string, device: string, to: string): CallEvent[] {
    const call = this.requireCall(callID);
    const conn = this.requireConn(call, device);
    if (conn.state !== 'alerting') throw new CallModelError('invalidState', `call ${callID} is not ringing at ${device}`);
    if (!DIALABLE.test(to) || to === device || call.connections.has(to)) throw new CallModelError('invalidDevice', `cannot divert call ${callID} to ${to}`);
    return this.redirect(call, device, 'redirected', to);
  }

  /**
   * The ring time of `device` ran out (the owner keeps the timer): with forwarding on no answer set, the call
   * leaves it (and its Super-Twin partner) for the forwarding destination. Nothing happens when the call was
   * answered, cleared or moved on meanwhile, or the forwarding was switched off.
   */
  noAnswer(callID: string, device: string): CallEvent[] {
    const call = this.calls.get(callID);
    const to = call && this.forwardingFor(device, 'noAnswer', !this.isInternal(call.callingDevice))?.to;
    if (!call || call.connections.get(device)?.state !== 'alerting' || !to || call.connections.has(to)) return [];
    return this.redirect(call, device, 'callForwardNoAnswer', to);
  }

  /** Where `device` forwards calls it does not answer, if that forwarding is on (for any caller when `external` is not given). */
  noAnswerDestination(device: string, external?: boolean): string | undefined {
    if (external !== undefined) return this.forwardingFor(device, 'noAnswer', external)?.to;
    return this.forwarding.get(device)?.find((f) => f.on && Object.values(FORWARDING_BY_CALLER.noAnswer).includes(f.type as never))?.to;
  }

  /** The forwarding of `kind` that applies to a caller from outside (`external`) or inside; a scoped one before "all". */
  private forwardingFor(device: string, kind: keyof typeof FORWARDING_BY_CALLER, external: boolean): ForwardEntry | undefined {
    const types = FORWARDING_BY_CALLER[kind];
    const list = this.forwarding.get(device) ?? [];
    return list.find((f) => f.on && f.type === types[external ? 'external' : 'internal']) ?? list.find((f) => f.on && f.type === types.all);
  }

  /**
   * Directed pickup: `requesting` takes the call ringing at `device` (Diverted with cause callPickup at the
   * ringing device, then Established at the one that picked it up).
   */
  pickup(callID: string, device: string, requesting: string): CallEvent[] {
    const call = this.requireCall(callID);
    const conn = this.requireConn(call, device);
    if (conn.state !== 'alerting') throw new CallModelError('invalidState', `call ${callID} is not ringing at ${device}`);
    this.requireDevice(requesting);
    if (call.connections.has(requesting)) throw new CallModelError('invalidDevice', `${requesting} is already in call ${callID}`);
    if (!this.inService(requesting)) throw new CallModelError('invalidState', `${requesting} is out of service`);
    const events = this.leaveRinging(call, device, 'callPickup', requesting);
    call.lastRedirection = device;
    this.setState(call, requesting, 'connected');
    call.answeredAt ??= this.now();
    call.answeredBy ??= requesting;
    events.push(this.event(call, 'established', requesting, { cause: 'callPickup', ...this.parties(call) }));
    return events;
  }

  /**
   * `device` holds `heldCall` and is connected in `activeCall`; it leaves and the other parties are joined in the
   * held call (whose ID survives, as on most switches).
   */
  transfer(device: string, heldCall: string, activeCall: string): CallEvent[] {
    const { held, active } = this.consultationPair(device, heldCall, activeCall);
    const audience = this.statesOf(held, active);
    held.connections.delete(device);
    active.connections.delete(device);
    this.merge(held, active);
    held.condition = 'tr';
    const connections = [...held.connections.keys()].map((d) => ({ callID: held.id, deviceID: d }));
    const other = [...active.connections.keys()][0] ?? '';
    const ev = this.event(held, 'transferred', device, {
      cause: 'transfer',
      otherDevice: other,
      secondaryOldCall: { callID: active.id, deviceID: device },
      connections,
      extraAudience: { ...audience, [device]: 'null' },
    });
    this.calls.delete(active.id);
    if (held.connections.size < 2) return [ev, ...this.clear(held.id)];
    return [ev];
  }

  /** Joins `device`'s held and active call into one conference in the held call. */
  conference(device: string, heldCall: string, activeCall: string): CallEvent[] {
    const { held, active } = this.consultationPair(device, heldCall, activeCall);
    const added = [...active.connections.keys()].find((d) => d !== device) ?? '';
    active.connections.delete(device);
    this.merge(held, active);
    this.setState(held, device, 'connected');
    this.calls.delete(active.id);
    const connections = [...held.connections.keys()].map((d) => ({ callID: held.id, deviceID: d }));
    return [this.event(held, 'conferenced', device, { cause: 'conference', otherDevice: added, secondaryOldCall: { callID: active.id, deviceID: device }, connections })];
  }

  // ---- call completion and intrusion (the PBX's "automatic callback busy" and "busy override") ------------

  /** Pending call completion requests (for the control API and tests). */
  pendingCallBacks(): Array<{ from: string; target: string }> {
    return this.callBacks.map((c) => ({ ...c }));
  }

  /**
   * CallBack on `device`'s call to a busy extension: the attempt ends (ConnectionCleared, cause callBack) and
   * `device` is called back once the extension is free (see completeCallBacks). Returns the extension.
   */
  callBack(callID: string, device: string): { target: string; events: CallEvent[] } {
    const call = this.requireCall(callID);
    this.requireConn(call, device);
    if (call.callingDevice !== device) throw new CallModelError('invalidState', `${device} did not place call ${callID}, so it cannot ask to be called back`);
    const target = call.calledDevice;
    this.requireBusy(target, call.id);
    this.addCallBack(device, target);
    const events: CallEvent[] = [];
    for (const d of [...call.connections.keys()]) {
      call.connections.delete(d);
      events.push(this.event(call, 'connectionCleared', d, { cause: 'callBack', extraAudience: { [d]: 'null' } }));
    }
    this.finish(call);
    return { target, events };
  }

  /** CallBackNonCallRelated: `from` asks to be called back once the busy extension `target` is free. */
  callBackNonCallRelated(from: string, target: string): void {
    this.requireDevice(from);
    this.requireBusy(target);
    this.addCallBack(from, target);
  }

  /**
   * Calls back every requester whose extension became free (neither in a call any more), oldest request first:
   * a call from the requester to the extension with cause callBack. Run after every change of the calls.
   */
  completeCallBacks(): CallEvent[] {
    const events: CallEvent[] = [];
    for (const cb of [...this.callBacks]) {
      if (this.callsOf(cb.target).length || this.callsOf(cb.from).length || !this.inService(cb.from)) continue;
      this.callBacks = this.callBacks.filter((c) => c !== cb);
      events.push(...this.makeCall(cb.from, cb.target, 'callBack').events);
    }
    return events;
  }

  /**
   * IntrudeCall on `device`'s call to a busy extension: the attempt ends at the extension and `device` joins the
   * extension's connected call (Conferenced, cause intrude). Returns the call joined.
   */
  intrude(callID: string, device: string): { conferencedCall: string; events: CallEvent[] } {
    const attempt = this.requireCall(callID);
    this.requireConn(attempt, device);
    if (attempt.callingDevice !== device) throw new CallModelError('invalidState', `${device} did not place call ${callID}, so it cannot intrude`);
    const target = attempt.calledDevice;
    const joined = [...this.calls.values()].find((c) => c !== attempt && c.connections.get(target)?.state === 'connected');
    if (!joined) throw new CallModelError('invalidState', `${target} is in no connected call to intrude on`);
    const events: CallEvent[] = [];
    for (const d of [...attempt.connections.keys()]) {
      if (d === device) continue;
      attempt.connections.delete(d);
      events.push(this.event(attempt, 'connectionCleared', d, { cause: 'intrude', extraAudience: { [d]: 'null' } }));
    }
    attempt.connections.delete(device);
    this.calls.delete(attempt.id);
    this.setState(joined, device, 'connected');
    const connections = [...joined.connections.keys()].map((d) => ({ callID: joined.id, deviceID: d }));
    events.push(this.event(joined, 'conferenced', device, { cause: 'intrude', otherDevice: device, secondaryOldCall: { callID: attempt.id, deviceID: device }, connections }));
    return { conferencedCall: joined.id, events };
  }

  private addCallBack(from: string, target: string): void {
    if (!this.callBacks.some((c) => c.from === from && c.target === target)) this.callBacks.push({ from, target });
  }

  /** An extension is busy while it is connected in, or holds, a call other than `except`. */
  private requireBusy(target: string, except?: string): void {
    if (!this.isInternal(target)) throw new CallModelError('invalidDevice', `${target} is not an extension of this PBX`);
    const busy = this.callsOf(target).some((c) => c.connection.callID !== except && (c.state === 'connected' || c.state === 'hold'));
    if (!busy) throw new CallModelError('invalidState', `${target} is not busy`);
  }

  // ---- internals -----------------------------------------------------------------------------------------

  /** The call stops ringing at `device` and is offered to `to` instead (deflection, forwarding on no answer). */
  private redirect(call: Call, device: string, cause: EventCause, to: string): CallEvent[] {
    const events = this.leaveRinging(call, device, cause, to);
    call.lastRedirection = device;
    call.calledDevice = to;
    call.condition = 'fw';
    return [...events, ...this.deliver(call, to, device)];
  }

  /** The call stops ringing at `device` (Diverted towards `to`) and at any other handset ringing with it. */
  private leaveRinging(call: Call, device: string, cause: EventCause, to: string): CallEvent[] {
    call.connections.delete(device);
    const events = [this.event(call, 'diverted', device, { cause, otherDevice: to, ...this.parties(call), extraAudience: { [device]: 'null' } })];
    for (const other of [...call.connections.values()]) {
      if (other.state !== 'alerting' || this.devices.get(device)?.twin !== other.device) continue;
      call.connections.delete(other.device);
      events.push(this.event(call, 'connectionCleared', other.device, { cause: 'callCancelled', extraAudience: { [other.device]: 'null' } }));
    }
    return events;
  }

  /** Offers the call to `to`: DND, forwarding, unknown numbers, the trunk, and Super-Twin handsets apply here. */
  private deliver(call: Call, to: string, redirectedFrom: string | undefined, hops = 0): CallEvent[] {
    const caller = call.callingDevice;
    if (!this.isInternal(to)) {
      if (!to.startsWith(this.outsidePrefix) || !this.isInternal(caller)) return this.fail(call, caller, to, 'destNotObtainable');
      this.setState(call, to, 'alerting');
      return [this.event(call, 'networkReached', this.trunk, { cause: 'networkSignal', ...this.parties(call), lastRedirectionDevice: redirectedFrom })];
    }
    const external = !this.isInternal(caller);
    const immediate = this.forwardingFor(to, 'immediate', external);
    const busy = this.forwardingFor(to, 'busy', external);
    const isBusy = this.callsOf(to).some((c) => c.state === 'connected' || c.state === 'hold');
    const forward = immediate ?? (isBusy ? busy : undefined);
    if (forward?.to && hops < 5 && forward.to !== caller) {
      call.lastRedirection = to;
      call.calledDevice = forward.to;
      call.condition = 'fw';
      const diverted = this.event(call, 'diverted', to, {
        cause: immediate ? 'callForwardImmediate' : 'callForwardBusy',
        otherDevice: forward.to,
        callingDevice: caller,
        calledDevice: to,
        extraAudience: { [to]: 'null' },
      });
      return [diverted, ...this.deliver(call, forward.to, to, hops + 1)];
    }
    if (!this.inService(to)) return this.fail(call, caller, to, 'destOutOfOrder');
    if (this.dnd.has(to)) return this.fail(call, caller, to, 'doNotDisturb');
    const targets = [to];
    const twin = this.devices.get(to)?.twin;
    if (twin && !call.connections.has(twin) && this.devices.get(to)?.kind !== 'dect') targets.push(twin);
    return targets.map((t) => {
      this.setState(call, t, 'alerting');
      return this.event(call, 'delivered', t, { cause: redirectedFrom ? 'redirected' : 'newCall', ...this.parties(call), lastRedirectionDevice: redirectedFrom });
    });
  }

  private fail(call: Call, caller: string, to: string, cause: EventCause): CallEvent[] {
    if (!this.isInternal(caller)) {
      // An outside caller hears busy/unobtainable from the network; no extension sees the call.
      this.calls.delete(call.id);
      return [];
    }
    this.setState(call, caller, 'fail');
    return [this.event(call, 'failed', to, { cause, connection: { callID: call.id, deviceID: caller }, callingDevice: caller, calledDevice: to })];
  }

  private consultationPair(device: string, heldCall: string, activeCall: string) {
    const held = this.requireCall(heldCall);
    const active = this.requireCall(activeCall);
    if (held === active) throw new CallModelError('invalidCall', 'held and active call must differ');
    if (this.requireConn(held, device).state !== 'hold') throw new CallModelError('invalidState', `${device} does not hold call ${heldCall}`);
    const a = this.requireConn(active, device).state;
    if (a !== 'connected' && a !== 'initiated') throw new CallModelError('invalidState', `${device} is not connected in call ${activeCall}`);
    return { held, active };
  }

  private merge(into: Call, from: Call): void {
    for (const [d, c] of from.connections) if (!into.connections.has(d)) into.connections.set(d, c);
    into.external ||= from.external;
  }

  private finish(call: Call): void {
    this.calls.delete(call.id);
    const end = this.now();
    this.records.push({
      callID: call.id,
      callingDevice: call.callingDevice,
      calledDevice: call.calledDevice,
      answeredBy: call.answeredBy,
      startTime: new Date(call.startedAt).toISOString(),
      answerTime: call.answeredAt === undefined ? undefined : new Date(call.answeredAt).toISOString(),
      endTime: new Date(end).toISOString(),
      durationSeconds: call.answeredAt === undefined ? 0 : Math.round((end - call.answeredAt) / 1000),
      external: call.external,
      condition: call.condition || (call.answeredAt === undefined ? 'na' : ''),
    });
  }

  private parties(call: Call) {
    return { callingDevice: call.callingDevice, calledDevice: call.calledDevice, lastRedirectionDevice: call.lastRedirection };
  }

  private statesOf(...calls: Call[]): Record<string, LocalConnectionState> {
    const out: Record<string, LocalConnectionState> = {};
    for (const c of calls) for (const [d, conn] of c.connections) out[d] = conn.state;
    return out;
  }

  private event(
    call: Call,
    name: CallEventName,
    subjectDevice: string,
    fields: Partial<Omit<CallEvent, 'name' | 'subjectDevice' | 'localStates'>> & { cause: EventCause; extraAudience?: Record<string, LocalConnectionState> },
  ): CallEvent {
    const { extraAudience, ...rest } = fields;
    const localStates = { ...this.statesOf(call), ...extraAudience };
    const connDevice = name === 'networkReached' ? call.callingDevice : subjectDevice;
    const ev: CallEvent = { name, subjectDevice, connection: { callID: call.id, deviceID: connDevice }, localStates, ...rest };
    for (const k of Object.keys(ev) as Array<keyof CallEvent>) if (ev[k] === undefined) delete ev[k];
    return ev;
  }

  private setState(call: Call, device: string, state: LocalConnectionState): void {
    const c = call.connections.get(device);
    if (c) c.state = state;
    else call.connections.set(device, { device, state });
  }

  private snapshotOf(c: Call): CallSnapshot {
    return {
      callID: c.id,
      callingDevice: c.callingDevice,
      calledDevice: c.calledDevice,
      external: c.external,
      connections: [...c.connections.values()].map((x) => ({ device: x.device, state: x.state })),
    };
  }

  private requireDevice(device: string): void {
    if (!this.isInternal(device)) throw new CallModelError('invalidDevice', `${device} is not an extension of this PBX`);
  }

  private requireCall(callID: string): Call {
    const c = this.calls.get(callID);
    if (!c) throw new CallModelError('invalidCall', `no call ${callID}`);
    return c;
  }

  private requireConn(call: Call, device: string): Connection {
    const c = call.connections.get(device);
    if (!c) throw new CallModelError('invalidDevice', `${device} is not in call ${call.id}`);
    return c;
  }
}
