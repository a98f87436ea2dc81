// Panasonic's device-list escape (opcode 51, KME private data), on top of the codec's KME module. The KME ASN.1 is
// not public: the shapes follow the one public client that uses it (reference csta-phase3.md §5), UNSURE throughout.
import { decodeKmePrivateData, KME_STANDARD_DEVICE, kmeDeviceListRequest, type EscapeArgument } from '../../protocols/csta-ber';

/** The escape argument asking for the device list; the public client asks for category 5 (standard devices). */
export function deviceListRequest(category: number = KME_STANDARD_DEVICE): EscapeArgument {
  return { privateData: kmeDeviceListRequest(category) };
}

export interface KmeDeviceListSegment {
  lastSegment: boolean;
  devices: Array<{ deviceNumber: number | null; number: string }>;
}

/** Reads an escape the PBX invoked; undefined when it is not a device-list segment. */
export function readDeviceListSegment(arg: EscapeArgument): KmeDeviceListSegment | undefined {
  const msg = decodeKmePrivateData(arg.privateData);
  if (!msg || !('deviceListReply' in msg)) return undefined;
  return {
    lastSegment: msg.deviceListReply.lastSegment,
    devices: msg.deviceListReply.devices.map((r) => {
      const n = (r.device.deviceIdentifier as { deviceNumber?: number }).deviceNumber;
      return { deviceNumber: typeof n === 'number' ? n : null, number: r.number };
    }),
  };
}
