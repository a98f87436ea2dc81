import {
  deviceIdText,
  deviceOf,
  callIdOf,
  noData,
  operationName,
  operations,
  PHASE2_SYSTEM_STATUS,
  KME_STANDARD_DEVICE,
  type ArgumentOf,
  type InvokeApdu,
  type ConnectionID,
  type DeviceID,
  type DeviceListEntry,
  type OperationName,
  type ResultOf,
  type SnapshotDeviceResponseInfo,
  type UniversalFailure,
} from './csta';
import { callIdFromWire, conn, dev } from './events';
import { PbxError, type PanasonicPbx } from './pbx';
import { FORWARDING_TYPES, type ConnRef, type ForwardingType } from './call-model';
import { deviceListCategory, escapeDeviceListReplies } from './panasonic-escape';

/**
 * The CSTA services the simulated PBX offers: each decodes its argument, acts on the switch and answers with
 * the standard's result, a universalFailure, or (for unknown operations) a ROSE Reject. Follow-up invokes (device
 * list segments) leave after the result, as on the real switch.
 */

export type SimReply =
  | { kind: 'result'; invokeId: number; opcode?: number; operation?: OperationName; result?: unknown }
  | { kind: 'error'; invokeId: number; failure: UniversalFailure }
  | { kind: 'reject'; invokeId: number; problem: 'unrecognizedOperation' | 'mistypedArgument' }
  | { kind: 'invoke'; opcode: number; operation: OperationName; argument: unknown };

export interface OperationContext {
  pbx: PanasonicPbx;
  segmentSize: number;
  /** A service cross-reference ID for GetSwitchingFunctionDevices / escape replies. */
  nextServiceRef(): string;
}

type Handler<N extends OperationName> = (ctx: OperationContext, arg: ArgumentOf<N>) => { result?: ResultOf<N>; after?: SimReply[] };

/** Operation name for logs and counters, e.g. "monitorStart", or "opcode 999". */
export function operationLabel(opcode: number): string {
  if (opcode === PHASE2_SYSTEM_STATUS) return 'systemStatus (phase II)';
  return operationName(opcode) ?? `opcode ${opcode}`;
}

function deviceNumberOf(pbx: PanasonicPbx, id: DeviceID): string {
  const ident = id.deviceIdentifier as Record<string, unknown>;
  if (typeof ident.deviceNumber === 'number') {
    const d = pbx.devices.byDevNumber(ident.deviceNumber);
    if (!d) throw new PbxError('invalidDevice', `no device with device number ${ident.deviceNumber}`);
    return d.number;
  }
  return deviceIdText(id);
}

/** An extension of this PBX named by a DeviceID (dialing number or device number). */
function extension(pbx: PanasonicPbx, id: DeviceID): string {
  const n = deviceNumberOf(pbx, id);
  if (!pbx.devices.has(n)) throw new PbxError('invalidDevice', `${n} is not an extension of this PBX`);
  return n;
}

function connRef(pbx: PanasonicPbx, c: ConnectionID): ConnRef {
  const callID = callIdOf(c);
  const device = deviceOf(c);
  if (callID === undefined || device === undefined) throw new PbxError('invalidCall', 'the connection must name both the call and the device');
  return { callID: callIdFromWire(callID), deviceID: deviceNumberOf(pbx, device) };
}

function deviceListEntries(pbx: PanasonicPbx): DeviceListEntry[] {
  return pbx.devices.list.map((d) => ({
    deviceID: { deviceIdentifier: { dialingNumber: d.number }, ...(d.name ? { privateName: d.name } : {}) },
    namedDeviceTypes: 'station' as const,
    deviceModelName: d.kind,
  }));
}

/** SwitchingFunctionDevices invokes for a device list, `segmentSize` entries each, the last one marked. */
function deviceListSegments(ctx: OperationContext, ref: string, entries: DeviceListEntry[]): SimReply[] {
  const out: SimReply[] = [];
  const size = Math.max(1, ctx.segmentSize);
  for (let i = 0, seg = 1; i === 0 || i < entries.length; i += size, seg++) {
    const deviceList = entries.slice(i, i + size);
    out.push({
      kind: 'invoke',
      opcode: operations.switchingFunctionDevices.code,
      operation: 'switchingFunctionDevices',
      argument: { serviceCrossRefID: ref, segmentID: seg, lastSegment: i + size >= entries.length, deviceList },
    });
  }
  return out;
}

/** A service acting on one connection and answering noData. */
function onConnection<N extends OperationName>(pick: (arg: ArgumentOf<N>) => ConnectionID, act: (pbx: PanasonicPbx, c: ConnRef) => void): Handler<N> {
  return (ctx, arg) => {
    act(ctx.pbx, connRef(ctx.pbx, pick(arg)));
    return { result: noData as ResultOf<N> };
  };
}

const handlers: { [N in OperationName]?: Handler<N> } = {
  systemStatus: () => ({ result: noData }),
  systemRegister: (ctx) => ({ result: { sysStatRegisterID: ctx.nextServiceRef() } }),

  getSwitchingFunctionDevices: (ctx, arg) => {
    let entries = deviceListEntries(ctx.pbx);
    const category = arg.requestedDeviceCategory;
    if (category !== undefined && category !== 'station') entries = [];
    if (arg.requestedDeviceID) {
      const n = extension(ctx.pbx, arg.requestedDeviceID);
      entries = entries.filter((e) => deviceIdText(e.deviceID) === n);
    }
    const ref = ctx.nextServiceRef();
    return { result: { serviceCrossRefID: ref }, after: deviceListSegments(ctx, ref, entries) };
  },

  escape: (ctx, arg) => {
    const category = deviceListCategory(arg);
    if (category === undefined) throw new PbxError('invalidState', 'this escape request is not supported by the simulator (only the KME device list)');
    const devices = category === KME_STANDARD_DEVICE ? ctx.pbx.devices.list : [];
    return { result: noData, after: escapeDeviceListReplies(devices, ctx.nextServiceRef(), ctx.segmentSize) };
  },

  snapshotDevice: (ctx, arg) => {
    const n = extension(ctx.pbx, arg.snapshotObject);
    const snapshotData: SnapshotDeviceResponseInfo[] = ctx.pbx.calls.callsOf(n).map((c) => ({
      connectionIdentifier: conn(c.connection),
      localCallState: { compoundCallState: [c.state] },
    }));
    return { result: { crossRefIDorSnapshotData: { snapshotData } } };
  },

  monitorStart: (ctx, arg) => {
    const obj = arg.monitorObject as { deviceObject?: DeviceID };
    if (!obj.deviceObject) throw new PbxError('invalidDevice', 'only device monitors are supported');
    const f = arg.requestedMonitorFilter;
    const filteredOut: string[] = [...(f?.callControl ?? []), ...(f?.logicalDeviceFeature ?? [])];
    const crossRefIdentifier = ctx.pbx.monitorStart(extension(ctx.pbx, obj.deviceObject), filteredOut);
    return { result: { crossRefIdentifier, ...(f ? { actualmonitorFilter: f } : {}) } };
  },
  monitorStop: (ctx, arg) => (ctx.pbx.monitorStop(arg.crossRefIdentifier), { result: noData }),

  makeCall: (ctx, arg) => {
    const from = extension(ctx.pbx, arg.callingDevice);
    const { callID } = ctx.pbx.placeCall(from, deviceNumberOf(ctx.pbx, arg.calledDirectoryNumber), 'makeCall');
    return { result: { callingDevice: conn({ callID, deviceID: from }) } };
  },
  answerCall: onConnection((a) => a.callToBeAnswered, (pbx, c) => pbx.answerCall(c.callID, c.deviceID)),
  clearConnection: onConnection((a) => a.connectionToBeCleared, (pbx, c) => pbx.clearCall(c.callID, c.deviceID)),
  holdCall: onConnection((a) => a.callToBeHeld, (pbx, c) => pbx.holdCall(c.callID, c.deviceID)),
  retrieveCall: onConnection((a) => a.callToBeRetrieved, (pbx, c) => pbx.retrieveCall(c.callID, c.deviceID)),
  alternateCall: (ctx, arg) => {
    const held = connRef(ctx.pbx, arg.heldCall);
    const active = connRef(ctx.pbx, arg.activeCall);
    ctx.pbx.holdCall(active.callID, active.deviceID);
    ctx.pbx.retrieveCall(held.callID, held.deviceID);
    return { result: noData };
  },
  consultationCall: (ctx, arg) => {
    const existing = connRef(ctx.pbx, arg.existingCall);
    ctx.pbx.holdCall(existing.callID, existing.deviceID);
    const { callID } = ctx.pbx.placeCall(existing.deviceID, deviceNumberOf(ctx.pbx, arg.consultedDevice), 'makeCall');
    return { result: { initiatedCall: conn({ callID, deviceID: existing.deviceID }) } };
  },
  transferCall: (ctx, arg) => {
    const held = connRef(ctx.pbx, arg.heldCall);
    const active = connRef(ctx.pbx, arg.activeCall);
    ctx.pbx.transferCall(held.deviceID, held.callID, active.callID);
    return { result: { transferredCall: conn({ callID: held.callID, deviceID: held.deviceID }) } };
  },
  conferenceCall: (ctx, arg) => {
    const held = connRef(ctx.pbx, arg.heldCall);
    const active = connRef(ctx.pbx, arg.activeCall);
    ctx.pbx.conferenceCall(held.deviceID, held.callID, active.callID);
    return { result: { conferenceCall: conn({ callID: held.callID, deviceID: held.deviceID }) } };
  },
  singleStepTransferCall: (ctx, arg) => {
    const active = connRef(ctx.pbx, arg.activeCall);
    ctx.pbx.holdCall(active.callID, active.deviceID);
    const consult = ctx.pbx.placeCall(active.deviceID, deviceNumberOf(ctx.pbx, arg.transferredTo), 'makeCall');
    ctx.pbx.transferCall(active.deviceID, active.callID, consult.callID);
    return { result: { transferredCall: conn({ callID: active.callID, deviceID: active.deviceID }) } };
  },
  deflectCall: (ctx, arg) => {
    const c = connRef(ctx.pbx, arg.callToBeDiverted);
    ctx.pbx.divertCall(c.callID, c.deviceID, deviceNumberOf(ctx.pbx, arg.newDestination));
    return { result: noData };
  },
  directedPickupCall: (ctx, arg) => {
    const c = connRef(ctx.pbx, arg.callToBePickedUp);
    const requesting = extension(ctx.pbx, arg.requestingDevice);
    ctx.pbx.pickupCall(c.callID, c.deviceID, requesting);
    return { result: { pickedCall: conn({ callID: c.callID, deviceID: requesting }) } };
  },
  dialDigits: (ctx, arg) => {
    const c = connRef(ctx.pbx, arg.diallingConnection);
    ctx.pbx.dialDigits(c.callID, c.deviceID, deviceNumberOf(ctx.pbx, arg.diallingSequence));
    return { result: noData };
  },
  callBack: (ctx, arg) => {
    const c = connRef(ctx.pbx, arg.callbackConnection);
    return { result: { targetDevice: dev(ctx.pbx.callBack(c.callID, c.deviceID)) } };
  },
  callBackNonCallRelated: (ctx, arg) => {
    ctx.pbx.callBackNonCallRelated(extension(ctx.pbx, arg.originatingDevice), extension(ctx.pbx, arg.targetDevice));
    return { result: noData };
  },
  intrudeCall: (ctx, arg) => {
    const c = connRef(ctx.pbx, arg.intrude);
    const joined = ctx.pbx.intrudeCall(c.callID, c.deviceID);
    return { result: { conferencedCall: conn({ callID: joined, deviceID: c.deviceID }) } };
  },
  generateDigits: (ctx, arg) => {
    const c = connRef(ctx.pbx, arg.connectionToSendDigits);
    ctx.pbx.digits(c.deviceID, arg.charactersToSend);
    return { result: noData };
  },

  setDoNotDisturb: (ctx, arg) => (ctx.pbx.setDoNotDisturb(extension(ctx.pbx, arg.device), arg.doNotDisturbOn), { result: noData }),
  getDoNotDisturb: (ctx, arg) => ({ result: { doNotDisturbOn: ctx.pbx.calls.doNotDisturb(extension(ctx.pbx, arg.device)) } }),
  setForwarding: (ctx, arg) => {
    const type = (arg.forwardingType ?? 'forwardImmediate') as ForwardingType;
    if (!FORWARDING_TYPES.includes(type)) throw new PbxError('invalidState', `forwarding type ${String(arg.forwardingType)} is not supported by the simulator`);
    const to = arg.forwardDN ? deviceNumberOf(ctx.pbx, arg.forwardDN) : undefined;
    ctx.pbx.setForwarding(extension(ctx.pbx, arg.device), type, arg.activateForward, to);
    return { result: noData };
  },
  getForwarding: (ctx, arg) => ({
    result: {
      forwardingList: ctx.pbx.calls.forwardingOf(extension(ctx.pbx, arg.device)).map((f) => ({ forwardingType: f.type, forwardStatus: f.on, ...(f.to ? { forwardDN: dev(f.to) } : {}) })),
    },
  }),

  startCDRTransmission: (ctx) => ({ result: { cdrCrossRefID: ctx.pbx.startCdr() } }),
  stopCDRTransmission: (ctx, arg) => (ctx.pbx.stopCdr(arg.cdrCrossRefID), { result: noData }),
  startDataCollection: (ctx, arg) => {
    const obj = arg.object as { device?: DeviceID; call?: ConnectionID };
    const device = obj.device ? extension(ctx.pbx, obj.device) : connRef(ctx.pbx, obj.call!).deviceID;
    return { result: { dcollCrossRefID: ctx.pbx.startDataCollection(device) } };
  },
  stopDataCollection: (ctx, arg) => (ctx.pbx.stopDataCollection(arg.dcollCrossRefID), { result: noData }),
};

function failureOf(e: PbxError): UniversalFailure {
  switch (e.code) {
    case 'invalidDevice':
      return { operation: 'invalidDeviceID' };
    case 'invalidCall':
      return { operation: 'invalidConnectionID' };
    case 'invalidCrossRefID':
      return { operation: 'invalidCrossRefID' };
    case 'invalidState':
      return { stateIncompatibility: 'invalidObjectState' };
    default:
      return { operation: 'generic' };
  }
}

/** Runs one invoke; returns the answers and follow-up invokes to send, in order. */
export function handleInvoke(ctx: OperationContext, invoke: InvokeApdu): SimReply[] {
  const { invokeId, opcode } = invoke;
  if (opcode === PHASE2_SYSTEM_STATUS) return [{ kind: 'result', invokeId, opcode }];
  const name = invoke.operation;
  const handler = name && (handlers[name] as Handler<OperationName> | undefined);
  if (!name || !handler) return [{ kind: 'reject', invokeId, problem: 'unrecognizedOperation' }];
  if (ctx.pbx.lacking.operations.has(name)) {
    return ctx.pbx.lacking.answer === 'reject' ? [{ kind: 'reject', invokeId, problem: 'unrecognizedOperation' }] : [{ kind: 'error', invokeId, failure: { operation: 'serviceNotSupported' } }];
  }
  try {
    const { result, after = [] } = handler(ctx, invoke.argument as never);
    return [{ kind: 'result', invokeId, opcode, operation: name, result }, ...after];
  } catch (e) {
    if (e instanceof PbxError) return [{ kind: 'error', invokeId, failure: failureOf(e) }];
    throw e;
  }
}
