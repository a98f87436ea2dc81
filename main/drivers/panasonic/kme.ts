// Panasonic's device-list escape (opcode 51, KME private data), on top of the codec's KME module. The KME ASN.1 is
// not public: the shapes follow the one public client that uses it (reference csta-phase3.md §5), UNSURE throughout.
import { decodeKmePrivateData, KME_STANDARD_DEVICE, kmeDeviceListRequest, privateDataFromBer } from '../../protocols/csta-ber';
import type { CstaSwitchRequest, EscapeArgs } from '../../protocols/csta/model';
import type { VendorDeviceList } from '../shared/csta-line-driver';

/** The escape argument asking for the device list; the public client asks for category 5 (standard devices). */
export function deviceListRequest(category: number = KME_STANDARD_DEVICE): EscapeArgs {
  return { privateData: privateDataFromBer(kmeDeviceListRequest(category)) };
}

export interface KmeDeviceListSegment {
  lastSegment: boolean;
  devices: Array<{ deviceNumber: number | null; number: string }>;
}

/** Reads an escape the PBX invoked; undefined when it is not a device-list segment. */
export function readDeviceListSegment(arg: EscapeArgs): KmeDeviceListSegment | undefined {
  if (arg.privateData.format !== 'ber') return undefined;
  const msg = decodeKmePrivateData({ private: arg.privateData.value });
  if (!msg || !('deviceListReply' in msg)) return undefined;
  return {
    lastSegment: msg.deviceListReply.lastSegment,
    devices: msg.deviceListReply.devices.map((r) => {
      const n = (r.device.deviceIdentifier as { deviceNumber?: number }).deviceNumber;
      return { deviceNumber: typeof n === 'number' ? n : null, number: r.number };
    }),
  };
}

/** The KME device list as a discovery step of the CSTA driver. */
export const kmeDeviceList: VendorDeviceList = {
  method: 'escapeDeviceList',
  label: 'the Panasonic device list',
  request: (invoke) => invoke('escape', deviceListRequest(KME_STANDARD_DEVICE)),
  segment(r: CstaSwitchRequest) {
    if (r.service !== 'escape') return undefined;
    const seg = readDeviceListSegment(r.args);
    // The KME list carries device numbers and dialing numbers only: no names, no kinds.
    return seg && { devices: seg.devices.map((d) => ({ number: d.number, name: '', kind: 'unknown' as const })), last: seg.lastSegment };
  },
};
