import { boolean, DeviceID, deviceNumber, enumerated, explicit, fromHex, hex, ia5String, integer, leanDecode, leanEncode, octetString, operations, req, sequence, sequenceOf, type EscapeArgument } from './csta';
import type { SimDevice } from './devices';
import type { SimReply } from './operations';

/**
 * The Panasonic escape (opcode 51) device list, from the public reverse-engineered KME private data (reference
 * §5). UNSURE throughout: the KME ASN.1 is not public. The request seen on the wire is
 * `A4 0B A0 09 A4 07 A1 05 A0 03 0A 01 <category>` (kmeSystemData [4] → getSystemData [0] → request [4] →
 * deviceList [1] → category [0] → standardDevice ENUMERATED); all tags are taken as explicit (constructed).
 */
const KmeDeviceListRequest = explicit(4, explicit(0, explicit(4, explicit(1, explicit(0, enumerated({ category2: 2, category5: 5 }))))));

/** One row of KmeGetSystemDataRsp.deviceList [38]: the device number and the dialing number. */
const KmeDeviceEntry = sequence('KmeDeviceEntry', {
  device: req(DeviceID),
  number: req(ia5String),
  status: req(enumerated({ inService: 0 })),
  status2: req(integer),
});

/** kmeSystemData [4] → systemDataLinkedReply [3] { crossRefID [0], segmentID [1], lastSegment [2], sysData [3] → deviceList [38] }. */
const KmeDeviceListReply = explicit(
  4,
  explicit(
    3,
    sequence('KmeSystemDataLinkedReply', {
      crossRefID: req(explicit(0, octetString)),
      segmentID: req(explicit(1, integer)),
      lastSegment: req(explicit(2, boolean)),
      sysData: req(explicit(3, explicit(38, sequenceOf(KmeDeviceEntry)))),
    }),
  ),
);

/** True when an escape argument is the KME device-list request (either category the clients send). */
export function isDeviceListEscape(arg: EscapeArgument): boolean {
  const pd = arg.privateData as { private?: string };
  if (typeof pd.private !== 'string') return false;
  try {
    KmeDeviceListRequest.dec(leanDecode(fromHex(pd.private)));
    return true;
  } catch {
    return false;
  }
}

/** The escape invokes carrying the device list in segments, the last one marked. */
export function escapeDeviceListReplies(devices: readonly SimDevice[], crossRefID: string, segmentSize: number): SimReply[] {
  const out: SimReply[] = [];
  const size = Math.max(1, segmentSize);
  for (let i = 0, seg = 1; i === 0 || i < devices.length; i += size, seg++) {
    const rows = devices.slice(i, i + size).map((d) => ({ device: deviceNumber(d.deviceNumber), number: d.number, status: 'inService' as const, status2: 0 }));
    const kme = KmeDeviceListReply.enc({ crossRefID, segmentID: seg, lastSegment: i + size >= devices.length, sysData: rows });
    out.push({ kind: 'invoke', opcode: operations.escape.code, operation: 'escape', argument: { privateData: { private: hex(leanEncode(kme)) } } });
  }
  return out;
}

/** Reads one escape device-list reply (for tests and clients): rows of device number and dialing number. */
export function readEscapeDeviceList(privateHex: string): { crossRefID: string; segmentID: number; lastSegment: boolean; devices: Array<{ deviceNumber: number; number: string }> } {
  const v = KmeDeviceListReply.dec(leanDecode(fromHex(privateHex)));
  return { crossRefID: v.crossRefID, segmentID: v.segmentID, lastSegment: v.lastSegment, devices: v.sysData.map((r) => ({ deviceNumber: Number((r.device.deviceIdentifier as { deviceNumber?: number }).deviceNumber), number: r.number })) };
}

/** The request bytes a client sends (for tests): category 5 or 2 as seen from the public client. */
export function deviceListEscapeRequest(category: 5 | 2 = 5): EscapeArgument {
  return { privateData: { private: hex(leanEncode(KmeDeviceListRequest.enc(category === 5 ? 'category5' : 'category2'))) } };
}
