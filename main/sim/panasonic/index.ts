import type { Server } from 'node:http';
import { startControlApi } from './control-api';
import { buildDevices, DeviceDirectory, type DeviceConfig } from './devices';
import { startListeners } from './listener';
import { PanasonicPbx, type Counters, type Faults, type Lacking } from './pbx';
import type { OperationName } from './csta';
import { CstaSession, type SessionOptions, type SimLogger } from './session';
import type { CallEvent, CallSnapshot } from './call-model';

export type { DeviceConfig, DeviceKind, SimDevice } from './devices';
export { buildDevices, parseRanges, readDeviceFile, DeviceConfigError, MAX_DEVICES } from './devices';
export type { CallEvent, CallRecord, CallSnapshot, ForwardingType, LocalConnectionState } from './call-model';
export type { Counters, Faults, Lacking } from './pbx';
export { PbxError } from './pbx';

export interface PanasonicSimOptions {
  /** Interface for the CSTA ports (default 127.0.0.1). */
  host?: string;
  /** CSTA over TCP (default 33333; 0 = any free port). */
  port?: number;
  /** CSTA over TLS on a second port. */
  tls?: { port: number; cert: string | Buffer; key: string | Buffer };
  /** Devices: a configuration (ranges, file entries) or a prebuilt directory. Default: extensions 100-199. */
  devices?: DeviceConfig | DeviceDirectory;
  /** Demand this user and password in the AARQ's sender authentication. */
  login?: { user: string; password: string };
  /** Port of the HTTP control API (default 0 = any free port), always on 127.0.0.1. */
  controlPort?: number;
  /** Starting faults. */
  faults?: Partial<Faults>;
  /** A PBX model without these services (e.g. no call completion or intrusion), answering them as set (default serviceNotSupported). */
  lacks?: { operations: OperationName[]; answer?: Lacking['answer'] };
  /** Devices per SwitchingFunctionDevices / escape device-list segment (default 100). */
  segmentSize?: number;
  /** Interval of the PBX's SystemStatus keep-alive invokes; 0 = only the one after login (default 0). */
  keepAliveMs?: number;
  /** Dialled numbers starting with this go to the trunk (default "0"). */
  outsidePrefix?: string;
  /** Ring time before forwarding on no answer moves a call on (default 15,000 ms). */
  noAnswerMs?: number;
  logger?: SimLogger;
}

/** A running simulator; everything a test, the demo or the driver's tests need. */
export interface PanasonicSim {
  tcpPort: number;
  tlsPort?: number;
  controlUrl: string;
  controlPort: number;
  deviceCount: number;
  /** The switch itself, for tests that want to look closer than the control API shows. */
  pbx: PanasonicPbx;
  counters(): Counters;
  /** Places a call as if `from` dialled `to` (from may be an outside number); returns the call ID. */
  placeCall(from: string, to: string): string;
  answerCall(callID: string, device?: string): CallEvent[];
  /** Clears one device's connection, or the whole call without a device. */
  clearCall(callID: string, device?: string): CallEvent[];
  calls(): CallSnapshot[];
  setFault(patch: Partial<Faults> & { dropLink?: boolean; malformedFrame?: boolean }): Faults;
  close(): Promise<void>;
}

export async function startPanasonicSim(options: PanasonicSimOptions = {}): Promise<PanasonicSim> {
  const host = options.host ?? '127.0.0.1';
  const devices = options.devices instanceof DeviceDirectory ? options.devices : buildDevices(options.devices ?? { extensions: '100-199' });
  const pbx = new PanasonicPbx(devices, { outsidePrefix: options.outsidePrefix, noAnswerMs: options.noAnswerMs });
  pbx.faults = { ...pbx.faults, ...options.faults };
  if (options.lacks) pbx.lacking = { operations: new Set(options.lacks.operations), answer: options.lacks.answer ?? 'serviceNotSupported' };
  const sessionOptions: SessionOptions = {
    login: options.login,
    segmentSize: options.segmentSize ?? 100,
    keepAliveMs: options.keepAliveMs ?? 0,
    logger: options.logger,
  };
  const sessions = new Set<CstaSession>();
  const listeners = await startListeners({ host, port: options.port ?? 33333, tls: options.tls }, (socket, transport) => {
    pbx.noteConnection();
    const session = new CstaSession(socket, transport, pbx, sessionOptions);
    sessions.add(session);
    socket.once('close', () => sessions.delete(session));
  });
  let control: { server: Server; port: number; url: string };
  try {
    // The control API can place calls and break links, so it stays on loopback even when CSTA listens wider.
    control = await startControlApi(pbx, '127.0.0.1', options.controlPort ?? 0, options.logger);
  } catch (e) {
    await listeners.close();
    throw e;
  }
  return {
    tcpPort: listeners.tcpPort,
    tlsPort: listeners.tlsPort,
    controlUrl: control.url,
    controlPort: control.port,
    deviceCount: devices.size,
    pbx,
    counters: () => pbx.counters(),
    placeCall: (from, to) => pbx.placeCall(from, to).callID,
    answerCall: (callID, device) => pbx.answerCall(callID, device),
    clearCall: (callID, device) => pbx.clearCall(callID, device),
    calls: () => pbx.calls.activeCalls(),
    setFault({ dropLink, malformedFrame, ...patch }) {
      pbx.faults = { ...pbx.faults, ...patch };
      if (malformedFrame) pbx.sendMalformedFrame();
      if (dropLink) pbx.dropLink();
      return { ...pbx.faults };
    },
    async close() {
      pbx.close();
      for (const s of sessions) s.close('simulator stopped');
      control.server.closeAllConnections();
      await Promise.all([listeners.close(), new Promise<void>((resolve) => control.server.close(() => resolve()))]);
    },
  };
}
