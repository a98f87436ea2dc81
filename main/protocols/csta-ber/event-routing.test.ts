import { describe, expect, it } from 'vitest';
import { decodeApdu, encodeInvoke, encodeReturnResult, encodeReject, encodeUniversalFailure, fromHex, hex } from './index';
import { eventCrossRefOf, peekRose, rewriteEventCrossRef, rewriteInvokeId } from './event-routing';
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
