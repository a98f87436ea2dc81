// Golden tests: every real captured PDU of the reference (shared/reference/csta-phase3.md §3–§5) decodes to the
// expected values and re-encodes byte for byte, with both BER engines.
import { describe, expect, it } from 'vitest';
import {
  aarqCredentials,
  buildAare,
  ConnectionID,
  cstaVersionsOf,
  decodeApdu,
  encodeApdu,
  fromHex,
  hex,
  MonitorStartArgument,
  type CstaApdu,
  type BerEngine,
} from './index';
import { berDecode, berEncode } from './ber';

const engines: BerEngine[] = ['asn1js', 'lean'];
const ascii = (s: string) => hex(new TextEncoder().encode(s));

function roundTrip(h: string, engine: BerEngine): CstaApdu {
  const bytes = fromHex(h);
  const apdu = decodeApdu(bytes, { engine });
  expect(hex(encodeApdu(apdu, { engine }))).toBe(h.toLowerCase());
  return apdu;
}

describe.each(engines)('captured CSTA PDUs (%s engine)', (engine) => {
  it('reads the Panasonic AARE as an accepted association speaking CSTA versionFive', () => {
    const h = '612f80020780a10706052b0c00815aa203020100a305a103020101be14281206072b0c00821d8148a007a0050303000800';
    const a = roundTrip(h, engine);
    expect(a.kind).toBe('aare');
    if (a.kind !== 'aare') return;
    expect(a.applicationContextName).toBe('1.3.12.0.218');
    expect(a.result).toBe(0);
    expect(a.resultSourceDiagnostic).toEqual({ acseServiceUser: 1 });
    expect(a.userInformation?.[0].directReference).toBe('1.3.12.0.285.200');
    expect(cstaVersionsOf(a)).toEqual(['versionFive']);
    // the simulator's default AARE is byte-identical to the real PBX's
    expect(hex(encodeApdu({ kind: 'aare', ...buildAare() }, { engine }))).toBe(h);
  });

  it("reads the PBX's SystemStatus invoke (normal) and our answer to it", () => {
    const inv = roundTrip('a10c020101020200d330030a0102', engine);
    expect(inv).toEqual({ kind: 'invoke', invokeId: 1, opcode: 211, operation: 'systemStatus', argument: { systemStatus: 'normal' } });
    const res = roundTrip('a20b0201013006020200d30500', engine);
    expect(res).toEqual({ kind: 'returnResult', invokeId: 1, opcode: 211, operation: 'systemStatus', result: { noData: null } });
  });

  it('reads the Panasonic Escape device-list request with its KME private data intact', () => {
    const a = roundTrip('a1160202060202013330 0da40ba009a407a105a0030a0105'.replace(/ /g, ''), engine);
    expect(a.kind === 'invoke' && a.operation === 'escape' && a.invokeId === 1538).toBe(true);
    if (a.kind === 'invoke' && a.operation === 'escape') expect(a.argument.privateData).toEqual({ private: 'a40ba009a407a105a0030a0105' });
  });

  it('reads "operations error - generic" as a universalFailure', () => {
    const a = roundTrip('a30b020105020101a0030a0101', engine);
    expect(a).toEqual({ kind: 'returnError', invokeId: 5, errcode: 1, error: { operation: 'generic' } });
  });

  it('reads the HiPath MonitorStart result with its cross-reference ID', () => {
    const a = roundTrip('a20e0201013009020147300455020001', engine);
    expect(a).toEqual({ kind: 'returnResult', invokeId: 1, opcode: 71, operation: 'monitorStart', result: { crossRefIdentifier: '0001' } });
  });

  it('reads the HiPath MakeCall from 201 to 202', () => {
    const h = `a11602010302010a300e30058003${ascii('201')}30058003${ascii('202')}`;
    const a = roundTrip(h, engine);
    expect(a).toEqual({
      kind: 'invoke', invokeId: 3, opcode: 10, operation: 'makeCall',
      argument: { callingDevice: { deviceIdentifier: { dialingNumber: '201' } }, calledDirectoryNumber: { deviceIdentifier: { dialingNumber: '202' } } },
    });
  });

  it('reads a ConnectionID in the "both" form events use', () => {
    const h = `6b0f300d80020102a10730058003${ascii('231')}`;
    const t = berDecode(fromHex(h), engine);
    const c = ConnectionID.dec(t);
    expect(c).toEqual({ both: { callID: '0102', deviceID: { staticID: { deviceIdentifier: { dialingNumber: '231' } } } } });
    expect(hex(berEncode(ConnectionID.enc(c), engine))).toBe(h);
  });

  it('reads the HiPath abort', () => {
    const a = roundTrip('6406800100810101', engine);
    expect(a).toEqual({ kind: 'abrt', abortSource: 0, abortDiagnostic: 'noReasonGiven' });
  });

  it('reads the credentials of an AARQ with sender authentication (HiPath layout)', () => {
    const h = `6031a10706052b0c00815a8a020680ac15a213a011a00f0406${ascii('AMHOST')}0405${ascii('77777')}be0b2809a007a005030300100 0`.replace(/ /g, '');
    const a = roundTrip(h, engine);
    expect(a.kind).toBe('aarq');
    if (a.kind !== 'aarq') return;
    expect(aarqCredentials(a)).toEqual({ user: 'AMHOST', password: '77777' });
    expect(cstaVersionsOf(a)).toEqual(['versionFour']);
    expect(a.senderAcseRequirements).toEqual(['authentication']);
  });

  it('encodes a MonitorStart by device number as asn1c does from XER', () => {
    const v = { monitorObject: { deviceObject: { deviceIdentifier: { deviceNumber: 5 } } }, monitorType: 'device' as const };
    expect(hex(berEncode(MonitorStartArgument.enc(v), engine))).toBe('30083003810105' + '0a0101');
    expect(MonitorStartArgument.dec(berDecode(fromHex('300830038101050a0101'), engine))).toEqual(v);
  });
});
