import { describe, expect, it } from 'vitest';
import { decodeApdu, encodeApdu, encodeInvoke, encodeReturnResult, encodeUniversalFailure, rewriteInvokeId } from '../../protocols/csta-ber';
import { buildInvoke, buildReturnResult, checkBer, leadingRef, MalformedApdu, NO_DATA, parseRose, readEl, refHex, replaceContent, tlv } from './rose-bytes';

const monitorStart = encodeInvoke('monitorStart', 7, { monitorObject: { deviceObject: { deviceIdentifier: { dialingNumber: '100' } } } } as never);

describe('reading ROSE APDUs from the bytes', () => {
  it('finds kind, invoke ID, opcode and argument as the codec decodes them', () => {
    const v = parseRose(monitorStart);
    expect(v).toMatchObject({ kind: 'invoke', invokeId: 7, opcode: 71 });
    const d = decodeApdu(monitorStart);
    expect(d).toMatchObject({ kind: 'invoke', invokeId: 7, operation: 'monitorStart' });
    const res = encodeReturnResult('monitorStart', 300, { crossRefIdentifier: '0000002a' });
    expect(parseRose(res)).toMatchObject({ kind: 'returnResult', invokeId: 300, opcode: 71 });
    expect(parseRose(encodeUniversalFailure(9, { operation: 'generic' }))).toMatchObject({ kind: 'returnError', invokeId: 9 });
    expect(parseRose(encodeApdu({ kind: 'reject', invokeId: null, problem: { general: 'mistypedPDU' } }))).toMatchObject({ kind: 'reject', invokeId: null });
  });

  it('reads the leading cross-reference ID of a result and rewrites it, fixing lengths when the size changes', () => {
    const res = encodeReturnResult('monitorStart', 3, { crossRefIdentifier: '0000002a' });
    const v = parseRose(res);
    const lr = leadingRef(res, v)!;
    expect(refHex(res, lr.ref)).toBe('0000002a');
    const same = replaceContent(res, lr.chain, lr.ref, Uint8Array.of(0, 0, 0, 9));
    expect(decodeApdu(same)).toMatchObject({ result: { crossRefIdentifier: '00000009' } });
    const longer = replaceContent(res, lr.chain, lr.ref, new Uint8Array(200).fill(1));
    expect(decodeApdu(longer)).toMatchObject({ invokeId: 3, result: { crossRefIdentifier: '01'.repeat(200) } });
    checkBer(longer);
  });

  it('builds invokes and results the codec reads back', () => {
    expect(decodeApdu(buildReturnResult(5, 73, NO_DATA))).toMatchObject({ kind: 'returnResult', invokeId: 5, operation: 'monitorStop', result: { noData: null } });
    const stop = buildInvoke(40000, 73, tlv([0x30], tlv([0x55], Uint8Array.of(1, 2, 3, 4))));
    expect(decodeApdu(stop)).toMatchObject({ invokeId: 40000, operation: 'monitorStop', argument: { crossRefIdentifier: '01020304' } });
    expect(decodeApdu(rewriteInvokeId(monitorStart, 1000)!)).toMatchObject({ invokeId: 1000, operation: 'monitorStart' });
  });

  it('refuses truncated, overlong, indefinite-length and trailing-byte APDUs', () => {
    const bad = [
      monitorStart.subarray(0, monitorStart.length - 1),
      Uint8Array.of(0xa1, 0x0a, 0x02, 0x01, 0x07, 0x02, 0x01, 0x47, 0x30, 0x7f, 0x80, 0x01),
      Uint8Array.of(0xa1, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00),
      Uint8Array.of(...monitorStart, 0x00),
      Uint8Array.of(0xa1, 0x84, 0xff, 0xff, 0xff, 0xff),
    ];
    for (const b of bad) expect(() => checkBer(b), Buffer.from(b).toString('hex')).toThrow(MalformedApdu);
    expect(() => parseRose(Uint8Array.of(0x30, 0x00))).toThrow(/not a ROSE APDU/);
    expect(() => readEl(Uint8Array.of(0x1f), 0, 1)).toThrow(MalformedApdu);
  });
});
