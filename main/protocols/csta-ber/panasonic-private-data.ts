// Panasonic (KME) private data carried in CSTAPrivateData.private. The KME ASN.1 is not public: these shapes
// come from one captured request and a third party's reverse-engineered notes (reference §5). Everything here
// is UNSURE beyond the request bytes `A4 0B A0 09 A4 07 A1 05 A0 03 0A 01 05`, which are reproduced exactly.
import { asn1jsDecode, fromHex, hex, leanEncode } from './ber';
import { boolean, choice, enumerated, explicit, ia5String, implicit, integer, octetString, req, sequence, sequenceOf, type Codec, type ValueOf } from './codec';
import { DeviceID } from './device-identifiers';
import type { CSTAPrivateData } from './extension-types';
import { rawElement } from './raw';

/** KME device-list categories seen on the wire: 5 ("standardDevice", extensions) and 2 (meaning unknown). */
export const KME_STANDARD_DEVICE = 5;

/** ENUMERATED on the wire; its names are not public, so values stay numbers. */
const KmeEnum = enumerated({} as Record<never, number>) as Codec<number>;
const DeviceListRequest = implicit(1, sequence('KmeDeviceListRequest', { category: req(explicit(0, KmeEnum)) }));
const GetSystemDataRequest = choice('KmeGetSystemDataRequest', { deviceList: DeviceListRequest, other: rawElement });
const GetSystemData = choice('KmeGetSystemData', { request: explicit(4, GetSystemDataRequest), other: rawElement });

export const KmeDeviceEntry = sequence('KmeDeviceEntry', {
  device: req(DeviceID),
  number: req(ia5String),
  /** ENUMERATED, meaning not public (0 seen as "in service"). */
  status: req(KmeEnum),
  status2: req(integer),
});
export type KmeDeviceEntry = ValueOf<typeof KmeDeviceEntry>;

const SysData = choice('KmeGetSystemDataRsp', { deviceList: explicit(38, sequenceOf(KmeDeviceEntry)), other: rawElement });
// Taken as explicit like every other KME tag (the driver and simulator agree on A4 { A3 { 30 { A0 A1 A2 A3 } } }).
const SystemDataLinkedReply = explicit(
  3,
  sequence('KmeSystemDataLinkedReply', {
    crossRefID: req(explicit(0, octetString)),
    segmentID: req(explicit(1, integer)),
    lastSegment: req(explicit(2, boolean)),
    sysData: req(explicit(3, SysData)),
  }),
);

const KmeSystemData = choice('KmeSystemData', { getSystemData: explicit(0, GetSystemData), systemDataLinkedReply: SystemDataLinkedReply, other: rawElement });
export const KMESpecificPrivateData = choice('KMESpecificPrivateData', { kmeSystemData: explicit(4, KmeSystemData), other: rawElement });
export type KMESpecificPrivateData = ValueOf<typeof KMESpecificPrivateData>;

// ---- the two messages the product exchanges, as plain values

export interface KmeDeviceListReply {
  crossRefID: string;
  segmentID: number;
  lastSegment: boolean;
  devices: KmeDeviceEntry[];
}
export type KmeMessage = { deviceListRequest: { category: number } } | { deviceListReply: KmeDeviceListReply };

function wrap(v: KMESpecificPrivateData): CSTAPrivateData {
  return { private: hex(leanEncode(KMESpecificPrivateData.enc(v))) };
}

/** Private data of the Escape request that asks the PBX for its device list. */
export function kmeDeviceListRequest(category: number = KME_STANDARD_DEVICE): CSTAPrivateData {
  return wrap({ kmeSystemData: { getSystemData: { request: { deviceList: { category } } } } });
}

/** Private data of one device-list segment the PBX sends back in an Escape invoke. */
export function kmeDeviceListReply(reply: KmeDeviceListReply): CSTAPrivateData {
  return wrap({
    kmeSystemData: {
      systemDataLinkedReply: {
        crossRefID: reply.crossRefID,
        segmentID: reply.segmentID,
        lastSegment: reply.lastSegment,
        sysData: { deviceList: reply.devices },
      },
    },
  });
}

/** Recognises the KME messages above in CSTAPrivateData; undefined for anything else. */
export function decodeKmePrivateData(pd: CSTAPrivateData): KmeMessage | undefined {
  if (!('private' in pd)) return undefined;
  let v: KMESpecificPrivateData;
  try {
    v = KMESpecificPrivateData.dec(asn1jsDecode(fromHex(pd.private)));
  } catch {
    return undefined;
  }
  if (!('kmeSystemData' in v)) return undefined;
  const s = v.kmeSystemData;
  if ('getSystemData' in s && 'request' in s.getSystemData && 'deviceList' in s.getSystemData.request) {
    return { deviceListRequest: { category: s.getSystemData.request.deviceList.category } };
  }
  if ('systemDataLinkedReply' in s && 'deviceList' in s.systemDataLinkedReply.sysData) {
    const r = s.systemDataLinkedReply;
    return { deviceListReply: { crossRefID: r.crossRefID, segmentID: r.segmentID, lastSegment: r.lastSegment, devices: (r.sysData as { deviceList: KmeDeviceEntry[] }).deviceList } };
  }
  return undefined;
}
