import { describe, expect, it } from 'vitest';
import { decodeApdu, encodeApdu, encodeInvoke, encodeReturnResult, encodeReject, encodeUniversalFailure, fromHex, hex } from './index';
import {
  BerError,
  buildInvoke,
  buildReturnResult,
  checkBer,
  contentHex,
  eventCrossRefOf,
  leadingRef,
  NO_DATA,
  parseRose,
  peekRose,
  readEl,
  replaceContent,
  rewriteEventCrossRef,
  rewriteInvokeId,
  tlv,
} from './ber-bytes';
import { sampleEvents } from './testing/samples';

describe('event routing without asn1js', () => {
  const vectors = sampleEvents.flatMap((ev, i) => [
    encodeInvoke('cSTAEventReport', i + 1, ev),
    encodeInvoke('cSTAEventReport', 300 + i, { ...ev, crossRefIdentifier: '00'.repeat(i % 5) + 'ab' }),
  ]);

  it('reads the same monitorCrossRefID as the asn1js decoder for every sample event', () => {
    for (const bytes of vectors) {
      const d = decodeApdu(bytes);
      expect(d.kind === 'invoke' && d.operation === 'cSTAEventReport').toBe(true);
      if (d.kind === 'invoke' && d.operation === 'cSTAEventReport') expect(eventCrossRefOf(bytes)).toBe(d.argument.crossRefIdentifier);
    }
  });

  it('rewrites the cross-reference ID in place when the size is unchanged', () => {
    for (const bytes of vectors) {
      const before = decodeApdu(bytes);
      const old = eventCrossRefOf(bytes)!;
      const replacement = fromHex('ff'.repeat(old.length / 2));
      const out = rewriteEventCrossRef(bytes, replacement)!;
      expect(out).toBe(bytes);
      const after = decodeApdu(out);
      if (before.kind === 'invoke' && before.operation === 'cSTAEventReport' && after.kind === 'invoke' && after.operation === 'cSTAEventReport') {
        expect(after.argument).toEqual({ ...before.argument, crossRefIdentifier: hex(replacement) });
      } else throw new Error('not an event report');
    }
  });

  it('rewrites to a longer or shorter ID and fixes every enclosing length', () => {
    for (const bytes of vectors) {
      const before = decodeApdu(bytes.slice());
      for (const id of ['01', '0102030405060708', '00'.repeat(200)]) {
        const out = rewriteEventCrossRef(bytes.slice(), fromHex(id))!;
        const after = decodeApdu(out);
        expect(after).toEqual({ ...before, argument: { ...(before as { argument: object }).argument, crossRefIdentifier: id } });
        expect(eventCrossRefOf(out)).toBe(id);
      }
    }
  });

  it('leaves everything that is not an EventReport alone', () => {
    const others = [
      encodeInvoke('monitorStart', 2, { monitorObject: { deviceObject: { deviceIdentifier: { dialingNumber: '201' } } } }),
      encodeReturnResult('monitorStart', 2, { crossRefIdentifier: '0001' }),
      fromHex('612f80020780a10706052b0c00815aa203020100a305a103020101be14281206072b0c00821d8148a007a0050303000800'),
      fromHex('a1'),
      new Uint8Array(0),
    ];
    for (const o of others) {
      expect(eventCrossRefOf(o)).toBeUndefined();
      expect(rewriteEventCrossRef(o, fromHex('01'))).toBeUndefined();
    }
  });

  it('reads kind, invoke ID and opcode of every ROSE APDU as the full decoder does', () => {
    const apdus = [
      ...vectors,
      encodeReturnResult('systemStatus', 70000, { noData: null }),
      encodeUniversalFailure(12, { operation: 'invalidDeviceID' }),
      encodeReject(5, { invoke: 'mistypedArgument' }),
      encodeReject(null, { general: 'badlyStructuredPDU' }),
      encodeInvoke('makeCall', 3, { callingDevice: { deviceIdentifier: { dialingNumber: '1' } }, calledDirectoryNumber: { deviceIdentifier: { dialingNumber: '2' } } }, { linkedId: 9 }),
    ];
    for (const a of apdus) {
      const d = decodeApdu(a) as { kind: string; invokeId: number | null; opcode?: number };
      const p = peekRose(a)!;
      expect(p.kind).toBe(d.kind);
      expect(p.invokeId).toBe(d.invokeId);
      if (d.opcode !== undefined) expect(p.opcode).toBe(d.opcode);
    }
  });

  it('renumbers invoke IDs for relaying and keeps the rest of the APDU', () => {
    for (const a of [vectors[0], encodeReturnResult('systemStatus', 1, { noData: null }), encodeUniversalFailure(200, { operation: 'generic' })]) {
      for (const id of [0, 5, 128, 40000, 2 ** 31 - 1]) {
        const out = rewriteInvokeId(a, id)!;
        expect(decodeApdu(out)).toEqual({ ...decodeApdu(a), invokeId: id });
      }
    }
  });
});

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
    expect(contentHex(res, lr.ref)).toBe('0000002a');
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
    for (const b of bad) expect(() => checkBer(b), Buffer.from(b).toString('hex')).toThrow(BerError);
    expect(() => parseRose(Uint8Array.of(0x30, 0x00))).toThrow(/not a ROSE APDU/);
    expect(() => readEl(Uint8Array.of(0x1f), 0, 1)).toThrow(BerError);
  });
});
