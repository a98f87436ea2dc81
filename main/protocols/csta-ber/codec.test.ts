import { describe, expect, it } from 'vitest';
import { berDecode, berEncode, hex } from './ber';
import { decodeApdu, decodeEventReportFast, encodeApdu, encodeInvoke, encodeReturnResult, operations, type OperationName, type CstaApdu } from './index';
import { sampleArguments, sampleResults } from './testing/samples';

const names = Object.keys(operations) as OperationName[];

describe('every CSTA operation round-trips through both BER engines', () => {
  it.each(names)('%s arguments and results encode, decode back to the same values, and both engines agree', (name) => {
    const args = sampleArguments[name] as unknown[];
    expect(args.length).toBeGreaterThan(0);
    for (const [i, a] of args.entries()) {
      const bytes = encodeInvoke(name, i + 1, a as never);
      expect(hex(encodeInvoke(name, i + 1, a as never, { engine: 'lean' }))).toBe(hex(bytes));
      for (const engine of ['asn1js', 'lean'] as const) {
        const d = decodeApdu(bytes, { engine }) as CstaApdu;
        expect(d).toMatchObject({ kind: 'invoke', invokeId: i + 1, opcode: operations[name].code, operation: name });
        expect((d as { argument: unknown }).argument).toEqual(a);
        expect(hex(encodeApdu(d, { engine }))).toBe(hex(bytes));
      }
    }
    for (const [i, r] of ((sampleResults[name] ?? []) as unknown[]).entries()) {
      const bytes = encodeReturnResult(name, i + 7, r as never);
      const d = decodeApdu(bytes, { engine: 'lean' });
      expect(d).toMatchObject({ kind: 'returnResult', invokeId: i + 7, operation: name });
      expect((d as { result: unknown }).result).toEqual(r);
      expect(decodeApdu(bytes)).toEqual(d);
    }
  });

  it('keeps an invoke of an unknown operation as raw bytes and re-encodes it unchanged', () => {
    const h = 'a10c020109020203e73003020107';
    const d = decodeApdu(Buffer.from(h, 'hex'));
    expect(d).toEqual({ kind: 'invoke', invokeId: 9, opcode: 999, argument: '3003020107' });
    expect(hex(encodeApdu(d))).toBe(h);
  });

  it('reads indefinite-length BER (as some switches send) with the lean engine too', () => {
    const definite = encodeInvoke('monitorStop', 4, { crossRefIdentifier: '0001' });
    // same content, outer SEQUENCE re-sent with indefinite length
    const t = berDecode(definite);
    const inner = hex(berEncode(t.children![2]));
    const indefinite = Buffer.from('a180' + hex(berEncode(t.children![0])) + hex(berEncode(t.children![1])) + '3080' + inner.slice(4) + '0000' + '0000', 'hex');
    expect(decodeApdu(indefinite, { engine: 'lean' })).toEqual(decodeApdu(definite));
  });

  it('names the missing member when a mandatory field is absent', () => {
    // MakeCall with only the calling device
    expect(() => decodeApdu(Buffer.from('a10d02010102010a30053003800132', 'hex'))).toThrow(/calledDirectoryNumber is missing/);
  });

  it('refuses to encode a value that lacks a mandatory member', () => {
    expect(() => encodeInvoke('makeCall', 1, { callingDevice: { deviceIdentifier: { dialingNumber: '1' } } } as never)).toThrow(/calledDirectoryNumber is required/);
  });
});

describe('CHOICE values', () => {
  const call = (callingDevice: unknown) => () => encodeInvoke('makeCall', 1, { callingDevice, calledDirectoryNumber: { deviceIdentifier: { dialingNumber: '2' } } } as never);
  const plain = hex(call({ deviceIdentifier: { dialingNumber: '1' } })());

  it('take the one alternative with a value; undefined and unknown keys count as absent, as in a SEQUENCE', () => {
    expect(hex(call({ deviceIdentifier: { dialingNumber: '1', deviceNumber: undefined } })())).toBe(plain);
    expect(hex(call({ deviceIdentifier: { dialingNumber: '1', note: 'x' } })())).toBe(plain);
    expect(hex(call({ deviceIdentifier: { dialingNumber: '1' }, privateName: undefined })())).toBe(plain);
  });

  it('name both alternatives when two are given, and list them all when none is', () => {
    expect(call({ deviceIdentifier: { dialingNumber: '1', deviceNumber: 7 } })).toThrow(
      'DeviceID.deviceIdentifier: dialingNumber and deviceNumber both given, expected exactly one of dialingNumber, deviceNumber, implicitPublic,',
    );
    for (const v of [{}, { note: 'x' }, { dialingNumber: undefined }, null, 'dialingNumber', 5]) {
      expect(call({ deviceIdentifier: v }), JSON.stringify(v)).toThrow(/^DeviceID.deviceIdentifier: expected one of dialingNumber, deviceNumber, implicitPublic,/);
    }
  });
});

describe('end-of-contents octets', () => {
  const engines = ['asn1js', 'lean'] as const;
  const bytes = (h: string) => Uint8Array.from(Buffer.from(h.replace(/ /g, ''), 'hex'));

  it('both engines reject [UNIVERSAL 0] outside an indefinite length, with the same message', () => {
    for (const h of ['00 00', '20 00', '30 02 00 00', '30 05 02 01 05 00 00', 'a1 04 30 02 00 00', '30 04 00 00 05 00']) {
      for (const engine of engines) {
        expect(() => berDecode(bytes(h), engine), `${engine} ${h}`).toThrow('[UNIVERSAL 0] (end-of-contents) is only allowed to end an indefinite length');
      }
    }
  });

  it('both engines read an indefinite length, whose end-of-contents is not a child', () => {
    for (const engine of engines) {
      const t = berDecode(bytes('30 80 02 01 05 00 00'), engine);
      expect(t.children?.map((c) => hex(c.content))).toEqual(['05']);
    }
  });

  it('an EventReport with end-of-contents inside a pass-through member fails alike on every path', () => {
    const ok = encodeInvoke('cSTAEventReport', 1, {
      crossRefIdentifier: '01',
      eventSpecificInfo: { callControlEvents: { held: { heldConnection: { callID: '01' }, holdingDevice: { notKnown: null }, cause: 'normal', servicesPermitted: '0500' } } },
    } as never);
    // servicesPermitted [1] holds `05 00`; make it `00 00`
    const bad = Uint8Array.from(ok);
    const at = hex(bad).indexOf('a1020500') / 2;
    expect(at).toBeGreaterThan(0);
    bad[at + 2] = 0;
    const messages = [() => decodeApdu(bad), () => decodeApdu(bad, { engine: 'lean' }), () => decodeEventReportFast(bad)].map((f) => {
      try {
        f();
        return 'accepted';
      } catch (e) {
        return (e as Error).message.replace(/ \(at byte \d+\)$/, ''); // only the lean engine knows the position
      }
    });
    expect(new Set(messages).size, messages.join(' | ')).toBe(1);
    expect(messages[0]).toContain('end-of-contents');
  });
});
