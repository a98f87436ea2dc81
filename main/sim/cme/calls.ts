// The simulated CME's calls over CSTA XML: the shared call model (main/sim/shared/call-model.ts) behind the
// services of the manual's TAPI list for CME, and the model's events as ECMA-323 events for each monitor of a
// number. Forwarding is unconditional only (call-forward all), as the manual lists it; pickup is not offered.
import { CstaSessionError, type ConnectionRef, type CstaEvent, type DeviceRef, type PartyRef } from '../../protocols/csta/model';
import type { CstaXmlRequest } from '../../protocols/csta-xml';
import { CallModel, CallModelError, type CallDirectory, type CallEvent, type ConnRef, type FeatureEvent, type LocalConnectionState } from '../shared/call-model';

/** `6001`, `tel:6001`, `sip:6001@cme` → `6001` (the addendum: CME may convert device IDs). */
export function deviceNumber(id: string): string {
  return id.replace(/^(tel|sip):/i, '').replace(/@.*$/, '').replace(/;.*$/, '');
}

export function refuse(error: string, category: 'operation' | 'stateIncompatibility' = 'operation'): CstaSessionError {
  return new CstaSessionError('CSTA_UNIVERSAL_FAILURE', error, { failure: { category, error } as never });
}

/** Sends `make(crossRef)` to every open monitor of `number`. */
export type Tell = (number: string, make: (crossRef: string) => CstaEvent) => void;

const party = (n: string | undefined): PartyRef => (n ? { id: n } : { unavailable: 'notKnown' });
const wire = (r: ConnRef): ConnectionRef => ({ callId: r.callID, device: { id: r.deviceID } });

/** One model event as the ECMA-323 event a monitor of a device in state `local` receives. */
export function cstaCallEvent(crossRef: string, e: CallEvent, local: LocalConnectionState): CstaEvent {
  const common = { category: 'callControl' as const, monitorCrossRefId: crossRef, localConnectionInfo: local, cause: e.cause };
  const c = wire(e.connection);
  const subject = party(e.subjectDevice);
  const parties = { callingDevice: party(e.callingDevice), calledDevice: party(e.calledDevice), lastRedirectionDevice: party(e.lastRedirectionDevice) };
  const joined = { primaryOldCall: c, ...(e.secondaryOldCall ? { secondaryOldCall: wire(e.secondaryOldCall) } : {}) };
  const list = (e.connections ?? []).map((r) => ({ newConnection: wire(r), endpoint: party(r.deviceID) }));
  switch (e.name) {
    case 'serviceInitiated':
      return { ...common, name: 'serviceInitiated', initiatedConnection: c, initiatingDevice: subject };
    case 'originated':
      return { ...common, name: 'originated', originatedConnection: c, callingDevice: subject, calledDevice: party(e.calledDevice) };
    case 'delivered':
      return { ...common, name: 'delivered', connection: c, alertingDevice: subject, ...parties };
    case 'established':
      return { ...common, name: 'established', establishedConnection: c, answeringDevice: subject, ...parties };
    case 'held':
      return { ...common, name: 'held', heldConnection: c, holdingDevice: subject };
    case 'retrieved':
      return { ...common, name: 'retrieved', retrievedConnection: c, retrievingDevice: subject };
    case 'connectionCleared':
      return { ...common, name: 'connectionCleared', droppedConnection: c, releasingDevice: subject };
    case 'diverted':
      return { ...common, name: 'diverted', connection: c, divertingDevice: subject, newDestination: party(e.otherDevice), ...parties };
    case 'networkReached':
      return { ...common, name: 'networkReached', outboundConnection: c, networkInterfaceUsed: subject, ...parties };
    case 'failed':
      return { ...common, name: 'failed', failedConnection: c, failingDevice: subject, ...parties };
    case 'transferred':
      return { ...common, name: 'transferred', ...joined, transferringDevice: subject, transferredToDevice: party(e.otherDevice), transferredConnections: list };
    case 'conferenced':
      return { ...common, name: 'conferenced', ...joined, conferencingDevice: subject, addedParty: party(e.otherDevice), conferenceConnections: list };
  }
}

function featureEvent(crossRef: string, e: FeatureEvent): CstaEvent | undefined {
  if (e.name === 'doNotDisturb') return { category: 'logicalDeviceFeature', name: 'doNotDisturb', monitorCrossRefId: crossRef, device: { id: e.device }, doNotDisturbOn: e.on };
  if (e.name === 'forwarding') return { category: 'logicalDeviceFeature', name: 'forwarding', monitorCrossRefId: crossRef, device: { id: e.device }, forwardingType: e.type, forwardStatus: e.on, ...(e.to ? { forwardTo: { id: e.to } } : {}) };
  return undefined;
}

type Args = Record<string, unknown>;

/** Services on one connection of the line: the member naming it, and the model's operation. */
const ON_CONNECTION = {
  answerCall: ['callToBeAnswered', 'answer'],
  clearConnection: ['connectionToBeCleared', 'clear'],
  holdCall: ['callToBeHeld', 'hold'],
  retrieveCall: ['callToBeRetrieved', 'retrieve'],
} as const;

export class CmeCalls {
  readonly model: CallModel;
  /** DTMF sent into connected calls, by call ID (the simulator has no media to play them on). */
  readonly digitsSent = new Map<string, string>();

  constructor(
    directory: CallDirectory,
    private readonly tell: Tell,
  ) {
    this.model = new CallModel(directory);
  }

  /** Sends each event to the monitors of every device that sees it. */
  emit(events: CallEvent[]): void {
    for (const e of events) for (const [device, state] of Object.entries(e.localStates)) this.tell(device, (x) => cstaCallEvent(x, e, state));
  }

  private emitFeature(events: FeatureEvent[]): void {
    for (const e of events) this.tell(e.device, (x) => featureEvent(x, e)!);
  }

  /** Runs a model operation; its refusals become the CSTA errors a CME would answer. */
  private run<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof CallModelError)) throw e;
      if (e.reason === 'invalidDevice') throw refuse('invalidDeviceID');
      if (e.reason === 'invalidCall') throw refuse('invalidConnectionID');
      throw refuse('invalidConnectionState', 'stateIncompatibility');
    }
  }

  /** A connection naming both the call and one of our numbers. */
  private conn(v: unknown): ConnRef {
    const c = v as ConnectionRef | undefined;
    const device = deviceNumber(c?.device?.id ?? '');
    if (!c?.callId || !device) throw refuse('invalidConnectionID');
    return { callID: c.callId, deviceID: device };
  }

  private number(v: unknown, error = 'invalidDestination'): string {
    const n = deviceNumber((v as DeviceRef | undefined)?.id ?? '');
    if (!/^\+?[0-9*#]{1,32}$/.test(n)) throw refuse(error);
    return n;
  }

  private own(v: unknown): string {
    const n = deviceNumber((v as DeviceRef | undefined)?.id ?? '');
    if (!this.model.isInternal(n)) throw refuse('invalidDeviceID');
    return n;
  }

  /** A call from anywhere to `to` (the control API's call from outside, or a phone dialling). */
  place(from: string, to: string, cause: 'makeCall' | 'newCall' = 'newCall'): string {
    const { callID, events } = this.run(() => this.model.makeCall(from, to, cause));
    this.emit(events);
    return callID;
  }

  /** The call services; undefined when `r` is none of them. */
  handle(r: CstaXmlRequest): unknown {
    const a = r.args as Args;
    const m = this.model;
    const act = (f: () => CallEvent[]) => this.emit(this.run(f));
    const single = Object.hasOwn(ON_CONNECTION, r.service) ? ON_CONNECTION[r.service as keyof typeof ON_CONNECTION] : undefined;
    if (single) {
      const c = this.conn(a[single[0]]);
      act(() => m[single[1]](c.callID, c.deviceID));
      return {};
    }
    switch (r.service) {
      case 'makeCall': {
        const from = this.own(a.callingDevice);
        const callID = this.place(from, this.number(a.calledDirectoryNumber, 'invalidCalledDeviceID'), 'makeCall');
        return { callingDevice: wire({ callID, deviceID: from }) };
      }
      case 'alternateCall': {
        const held = this.conn(a.heldCall);
        const active = this.conn(a.activeCall);
        act(() => [...m.hold(active.callID, active.deviceID), ...m.retrieve(held.callID, held.deviceID)]);
        return {};
      }
      case 'consultationCall': {
        const existing = this.conn(a.existingCall);
        const to = this.number(a.consultedDevice);
        act(() => m.hold(existing.callID, existing.deviceID));
        const callID = this.place(existing.deviceID, to, 'makeCall');
        return { initiatedCall: wire({ callID, deviceID: existing.deviceID }) };
      }
      case 'transferCall': {
        const held = this.conn(a.heldCall);
        const active = this.conn(a.activeCall);
        act(() => m.transfer(held.deviceID, held.callID, active.callID));
        return { transferredCall: wire(held) };
      }
      case 'conferenceCall': {
        const held = this.conn(a.heldCall);
        const active = this.conn(a.activeCall);
        act(() => m.conference(held.deviceID, held.callID, active.callID));
        return { conferenceCall: wire(held) };
      }
      case 'singleStepTransferCall': {
        const active = this.conn(a.activeCall);
        const to = this.number(a.transferredTo);
        act(() => m.hold(active.callID, active.deviceID));
        const consult = this.place(active.deviceID, to, 'makeCall');
        act(() => m.transfer(active.deviceID, active.callID, consult));
        return { transferredCall: wire(active) };
      }
      case 'deflectCall': {
        const c = this.conn(a.callToBeDiverted);
        const to = this.number(a.newDestination);
        act(() => m.divert(c.callID, c.deviceID, to));
        return {};
      }
      case 'generateDigits': {
        // Into a call with dial tone the digits are dialled (TAPI's lineDial); into a connected call they are DTMF.
        const c = this.conn(a.connectionToSendDigits);
        const digits = String(a.charactersToSend ?? '');
        const state = m.callsOf(c.deviceID).find((x) => x.connection.callID === c.callID)?.state;
        if (state === 'initiated') {
          act(() => m.dial(c.callID, c.deviceID, digits));
          return {};
        }
        if (state !== 'connected') throw refuse('invalidConnectionState', 'stateIncompatibility');
        this.digitsSent.set(c.callID, (this.digitsSent.get(c.callID) ?? '') + digits);
        return {};
      }
      case 'setDoNotDisturb':
        this.emitFeature(this.run(() => m.setDoNotDisturb(this.own(a.device), a.doNotDisturbOn === true)));
        return {};
      case 'getDoNotDisturb':
        return { doNotDisturbOn: m.doNotDisturb(this.own(a.device)) };
      case 'setForwarding': {
        if ((a.forwardingType ?? 'forwardImmediate') !== 'forwardImmediate') throw refuse('invalidForwardingType');
        const device = this.own(a.device);
        const to = a.activateForward === true ? this.number(a.forwardDN, 'invalidForwardingDestination') : undefined;
        this.emitFeature(this.run(() => m.setForwarding(device, 'forwardImmediate', a.activateForward === true, to)));
        return {};
      }
      case 'getForwarding':
        return { forwardingList: m.forwardingOf(this.own(a.device)).map((f) => ({ forwardingType: f.type, forwardStatus: f.on, ...(f.to ? { forwardDN: { id: f.to } } : {}) })) };
      case 'snapshotDevice':
        return { calls: m.callsOf(this.own(a.snapshotObject)).map((c) => ({ connectionIdentifier: wire(c.connection), localCallState: { compound: [c.state] } })) };
      default:
        return undefined;
    }
  }
}
