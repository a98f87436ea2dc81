// Panasonic's device-list escape (opcode 51, KME private data). The KME ASN.1 is not public: the shapes below follow
// the one public client that uses it (reference csta-phase3.md §5) and are UNSURE throughout; all tags are taken
// as explicit, as seen on the wire.
import { DeviceID, fromHex, hex, type EscapeArgument } from '../../protocols/csta';
import { leanDecode, leanEncode } from '../../protocols/csta/ber';
import { boolean, enumerated, explicit, ia5String, integer, octetString, req, sequence, sequenceOf } from '../../protocols/csta/codec';

/** kmeSystemData [4] → getSystemData [0] → request [4] → deviceList [1] → category [0] → ENUMERATED. */
const DeviceListRequest = explicit(4, explicit(0, explicit(4, explicit(1, explicit(0, enumerated({ category2: 2, category5: 5 }))))));

const DeviceEntry = sequence('KmeDeviceEntry', {
  device: req(DeviceID),
  number: req(ia5String),
  status: req(enumerated({ inService: 0 })),
  status2: req(integer),
});

/** kmeSystemData [4] → systemDataLinkedReply [3] { crossRefID [0], segmentID [1], lastSegment [2], sysData [3] → deviceList [38] }. */
const DeviceListReply = explicit(
  4,
  explicit(
    3,
    sequence('KmeSystemDataLinkedReply', {
      crossRefID: req(explicit(0, octetString)),
      segmentID: req(explicit(1, integer)),
      lastSegment: req(explicit(2, boolean)),
      sysData: req(explicit(3, explicit(38, sequenceOf(DeviceEntry)))),
    }),
  ),
);

/** The escape argument asking for the device list; the public client sends category 5 (standard devices). */
export function deviceListRequest(category: 2 | 5 = 5): EscapeArgument {
  return { privateData: { private: hex(leanEncode(DeviceListRequest.enc(category === 5 ? 'category5' : 'category2'))) } };
}

export interface KmeDeviceListSegment {
  lastSegment: boolean;
  devices: Array<{ deviceNumber: number | null; number: string }>;
}

/** Reads an escape the PBX invoked; undefined when it is not a device-list segment. */
export function readDeviceListSegment(arg: EscapeArgument): KmeDeviceListSegment | undefined {
  const pd = arg.privateData as { private?: string };
  if (typeof pd.private !== 'string') return undefined;
  try {
    const v = DeviceListReply.dec(leanDecode(fromHex(pd.private)));
    return {
      lastSegment: v.lastSegment,
      devices: v.sysData.map((r) => {
        const n = (r.device.deviceIdentifier as { deviceNumber?: number }).deviceNumber;
        return { deviceNumber: typeof n === 'number' ? n : null, number: r.number };
      }),
    };
  } catch {
    return undefined;
  }
}
