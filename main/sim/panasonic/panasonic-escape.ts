import { decodeKmePrivateData, deviceNumber, KME_STANDARD_DEVICE, kmeDeviceListReply, kmeDeviceListRequest, operations, type EscapeArgument } from './csta';
import type { SimDevice } from './devices';
import type { SimReply } from './operations';

/**
 * The Panasonic escape (opcode 51) device list. The KME private data (the codec's panasonic-private-data.ts,
 * UNSURE: reverse-engineered, not public) carries a request for a category of devices; the PBX answers with
 * escape invokes of its own, each a segment of rows (device number, dialing number, status).
 */

/**
 * The category of a KME device-list request, or undefined when the escape is something else. Clients ask for 5
 * (extensions) and then 2, whose meaning is not public; the simulator lists its extensions for 5 only and
 * answers other categories with an empty list, so a client merging both does not see every device twice.
 */
export function deviceListCategory(arg: EscapeArgument): number | undefined {
  const msg = decodeKmePrivateData(arg.privateData);
  return msg && 'deviceListRequest' in msg ? msg.deviceListRequest.category : undefined;
}

/** The escape invokes carrying the device list in segments, the last one marked. */
export function escapeDeviceListReplies(devices: readonly SimDevice[], crossRefID: string, segmentSize: number): SimReply[] {
  const out: SimReply[] = [];
  const size = Math.max(1, segmentSize);
  for (let i = 0, seg = 1; i === 0 || i < devices.length; i += size, seg++) {
    const rows = devices.slice(i, i + size).map((d) => ({ device: deviceNumber(d.deviceNumber), number: d.number, status: 0, status2: 0 }));
    const privateData = kmeDeviceListReply({ crossRefID, segmentID: seg, lastSegment: i + size >= devices.length, devices: rows });
    out.push({ kind: 'invoke', opcode: operations.escape.code, operation: 'escape', argument: { privateData } });
  }
  return out;
}

/** Reads one escape device-list reply (tests, tools): rows of device number and dialing number. */
export function readEscapeDeviceList(arg: EscapeArgument): { crossRefID: string; segmentID: number; lastSegment: boolean; devices: Array<{ deviceNumber: number; number: string }> } {
  const msg = decodeKmePrivateData(arg.privateData);
  if (!msg || !('deviceListReply' in msg)) throw new Error('not a KME device-list reply');
  const r = msg.deviceListReply;
  const devices = r.devices.map((d) => ({ deviceNumber: Number((d.device.deviceIdentifier as { deviceNumber?: number }).deviceNumber), number: d.number }));
  return { crossRefID: r.crossRefID, segmentID: r.segmentID, lastSegment: r.lastSegment, devices };
}

/** The escape argument a client sends to ask for the device list (category 5 as the public client does). */
export function deviceListEscapeRequest(category = KME_STANDARD_DEVICE): EscapeArgument {
  return { privateData: kmeDeviceListRequest(category) };
}
