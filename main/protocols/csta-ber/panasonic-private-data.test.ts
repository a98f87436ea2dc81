import { describe, expect, it } from 'vitest';
import { decodeApdu, encodeInvoke, hex } from './index';
import { decodeKmePrivateData, kmeDeviceListReply, kmeDeviceListRequest } from './panasonic-private-data';

describe('Panasonic KME private data', () => {
  it('builds the Escape device-list request byte for byte as captured from a real client', () => {
    const bytes = encodeInvoke('escape', 1538, { privateData: kmeDeviceListRequest() });
    expect(hex(bytes)).toBe('a11602020602020133300da40ba009a407a105a0030a0105');
  });

  it('recognises the device-list request and its category', () => {
    expect(decodeKmePrivateData({ private: 'a40ba009a407a105a0030a0105' })).toEqual({ deviceListRequest: { category: 5 } });
    expect(decodeKmePrivateData(kmeDeviceListRequest(2))).toEqual({ deviceListRequest: { category: 2 } });
  });

  it('carries a device-list segment from the PBX and reads it back', () => {
    const reply = {
      crossRefID: '01',
      segmentID: 0,
      lastSegment: true,
      devices: [
        { device: { deviceIdentifier: { deviceNumber: 1 } }, number: '101', status: 0, status2: 0 },
        { device: { deviceIdentifier: { deviceNumber: 2 } }, number: '102', status: 1, status2: 3 },
      ],
    };
    const bytes = encodeInvoke('escape', 9, { privateData: kmeDeviceListReply(reply) });
    const d = decodeApdu(bytes);
    if (d.kind !== 'invoke' || d.operation !== 'escape') throw new Error('not an escape');
    expect(decodeKmePrivateData(d.argument.privateData)).toEqual({ deviceListReply: reply });
  });

  it('ignores private data that is not KME', () => {
    expect(decodeKmePrivateData({ string: '0102' })).toBeUndefined();
    expect(decodeKmePrivateData({ private: '0500' })).toBeUndefined();
  });
});
