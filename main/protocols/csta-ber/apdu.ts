// Whole CSTA APDUs: ACSE (AARQ/AARE/RLRQ/RLRE/ABRT) or ROSE with typed arguments and results.
import { APPLICATION, BerError, berDecode, berEncode, decodeIntegerContent, hex, leanEncode, type BerEngine, type Tlv } from './ber';
import { AARE, AARQ, ABRT, RLRE, RLRQ } from './acse';
import { UNIVERSAL_FAILURE, UniversalFailure } from './error-definition';
import { operationName, operations, type ArgumentOf, type OperationDef, type OperationName, type ResultOf } from './operations';
import { decodeRose, encodeRose, isRose, type RejectProblem } from './rose';
import { rawElement } from './raw';

export interface CodecOptions {
  /** 'asn1js' (default, the reference) or 'lean' (the fast reader/writer, same results). */
  engine?: BerEngine;
}

export type AarqApdu = { kind: 'aarq' } & AARQ;
export type AareApdu = { kind: 'aare' } & AARE;
export type RlrqApdu = { kind: 'rlrq' } & RLRQ;
export type RlreApdu = { kind: 'rlre' } & RLRE;
export type AbrtApdu = { kind: 'abrt' } & ABRT;
export type AcseApdu = AarqApdu | AareApdu | RlrqApdu | RlreApdu | AbrtApdu;

type KnownInvoke = {
  [N in OperationName]: { kind: 'invoke'; invokeId: number; linkedId?: number; opcode: number; operation: N; argument: ArgumentOf<N> };
}[OperationName];
/** An invoke of an operation this codec does not model: the argument stays raw BER (hex). */
export type UnknownInvoke = { kind: 'invoke'; invokeId: number; linkedId?: number; opcode: number; operation?: undefined; argument?: string };
export type InvokeApdu = KnownInvoke | UnknownInvoke;

type KnownResult = {
  [N in OperationName]: { kind: 'returnResult'; invokeId: number; opcode: number; operation: N; result: ResultOf<N> };
}[OperationName];
export type UnknownResult = { kind: 'returnResult'; invokeId: number; opcode?: number; operation?: undefined; result?: string };
export type ReturnResultApdu = KnownResult | UnknownResult;

export type ReturnErrorApdu = {
  kind: 'returnError';
  invokeId: number;
  errcode: number;
  /** Decoded when errcode is universalFailure (1). */
  error?: UniversalFailure;
  /** Raw parameter (hex) for other error codes. */
  parameter?: string;
};
export type RejectApdu = { kind: 'reject'; invokeId: number | null; problem: RejectProblem };
export type RoseTypedApdu = InvokeApdu | ReturnResultApdu | ReturnErrorApdu | RejectApdu;
export type CstaApdu = AcseApdu | RoseTypedApdu;

/** A decode failure inside a ROSE invoke/result whose header was readable: lets a peer answer with a Reject. */
export class CstaDecodeError extends BerError {
  constructor(
    message: string,
    readonly invokeId: number | undefined,
    readonly opcode: number | undefined,
    readonly apduKind: 'invoke' | 'returnResult' | 'returnError' | undefined,
  ) {
    super(message);
    this.name = 'CstaDecodeError';
  }
}

const acse = [
  ['aarq', AARQ],
  ['aare', AARE],
  ['rlrq', RLRQ],
  ['rlre', RLRE],
  ['abrt', ABRT],
] as const;

export function decodeApduTlv(t: Tlv): CstaApdu {
  if (t.cls === APPLICATION && t.constructed && t.tag <= 4) {
    const [kind, codec] = acse[t.tag];
    return { kind, ...(codec.dec(t) as object) } as CstaApdu;
  }
  if (!isRose(t)) throw new BerError(`not a CSTA APDU: first byte 0x${((t.cls << 6) | (t.constructed ? 0x20 : 0) | t.tag).toString(16)}`);
  let r: ReturnType<typeof decodeRose>;
  try {
    r = decodeRose(t);
  } catch (e) {
    // a readable invoke ID lets the peer answer with a Reject instead of dropping the link
    const id = t.children?.[0];
    if (id && id.cls === 0 && id.tag === 2 && !id.constructed && id.content.length >= 1 && id.content.length <= 4 && t.tag <= 3) {
      const kind = (['invoke', 'returnResult', 'returnError'] as const)[t.tag - 1];
      throw new CstaDecodeError(`${kind} ${decodeIntegerContent(id.content)}: ${(e as Error).message}`, decodeIntegerContent(id.content), undefined, kind);
    }
    throw e;
  }
  switch (r.kind) {
    case 'invoke': {
      const name = operationName(r.opcode);
      if (!name) {
        const out: UnknownInvoke = { kind: 'invoke', invokeId: r.invokeId, opcode: r.opcode };
        if (r.linkedId !== undefined) out.linkedId = r.linkedId;
        if (r.argument) out.argument = rawElement.dec(r.argument);
        return out;
      }
      const def = operations[name] as OperationDef<unknown, unknown>;
      if (!r.argument) throw new CstaDecodeError(`invoke ${r.invokeId} of ${name} (${r.opcode}) has no argument`, r.invokeId, r.opcode, 'invoke');
      let argument: unknown;
      try {
        argument = def.argument.dec(r.argument);
      } catch (e) {
        throw new CstaDecodeError(`invoke ${r.invokeId} of ${name} (${r.opcode}): ${(e as Error).message}`, r.invokeId, r.opcode, 'invoke');
      }
      const out = { kind: 'invoke', invokeId: r.invokeId, opcode: r.opcode, operation: name, argument } as KnownInvoke;
      if (r.linkedId !== undefined) out.linkedId = r.linkedId;
      return out;
    }
    case 'returnResult': {
      if (!r.result) return { kind: 'returnResult', invokeId: r.invokeId };
      const name = operationName(r.result.opcode);
      const def = name ? (operations[name] as OperationDef<unknown, unknown>) : undefined;
      if (!name || !def?.result) {
        return { kind: 'returnResult', invokeId: r.invokeId, opcode: r.result.opcode, result: rawElement.dec(r.result.result) };
      }
      try {
        return { kind: 'returnResult', invokeId: r.invokeId, opcode: r.result.opcode, operation: name, result: def.result.dec(r.result.result) } as KnownResult;
      } catch (e) {
        throw new CstaDecodeError(`result ${r.invokeId} of ${name} (${r.result.opcode}): ${(e as Error).message}`, r.invokeId, r.result.opcode, 'returnResult');
      }
    }
    case 'returnError': {
      const out: ReturnErrorApdu = { kind: 'returnError', invokeId: r.invokeId, errcode: r.errcode };
      if (r.parameter) {
        if (r.errcode === UNIVERSAL_FAILURE) {
          try {
            out.error = UniversalFailure.dec(r.parameter);
          } catch (e) {
            throw new CstaDecodeError(`error for invoke ${r.invokeId}: ${(e as Error).message}`, r.invokeId, undefined, 'returnError');
          }
        } else out.parameter = rawElement.dec(r.parameter);
      }
      return out;
    }
    case 'reject':
      return r;
  }
}

export function encodeApduTlv(a: CstaApdu): Tlv {
  switch (a.kind) {
    case 'aarq':
    case 'aare':
    case 'rlrq':
    case 'rlre':
    case 'abrt': {
      const { kind, ...body } = a;
      const codec = acse.find((x) => x[0] === kind)![1] as { enc(v: unknown): Tlv };
      return codec.enc(body);
    }
    case 'invoke': {
      if (a.operation === undefined) {
        return encodeRose({ kind: 'invoke', invokeId: a.invokeId, linkedId: a.linkedId, opcode: a.opcode, argument: a.argument === undefined ? undefined : rawElement.enc(a.argument) });
      }
      const def = operations[a.operation] as OperationDef<unknown, unknown>;
      return encodeRose({ kind: 'invoke', invokeId: a.invokeId, linkedId: a.linkedId, opcode: def.code, argument: def.argument.enc(a.argument) });
    }
    case 'returnResult': {
      if (a.operation === undefined) {
        if (a.opcode === undefined || a.result === undefined) return encodeRose({ kind: 'returnResult', invokeId: a.invokeId });
        return encodeRose({ kind: 'returnResult', invokeId: a.invokeId, result: { opcode: a.opcode, result: rawElement.enc(a.result) } });
      }
      const def = operations[a.operation] as OperationDef<unknown, unknown>;
      if (!def.result) throw new BerError(`${a.operation} has no result`);
      return encodeRose({ kind: 'returnResult', invokeId: a.invokeId, result: { opcode: def.code, result: def.result.enc(a.result) } });
    }
    case 'returnError': {
      const parameter = a.error !== undefined ? UniversalFailure.enc(a.error) : a.parameter !== undefined ? rawElement.enc(a.parameter) : undefined;
      return encodeRose({ kind: 'returnError', invokeId: a.invokeId, errcode: a.errcode, parameter });
    }
    case 'reject':
      return encodeRose(a);
  }
}

/** Decodes one APDU (without the 2-byte frame header). Throws BerError / CstaDecodeError with the facts. */
export function decodeApdu(bytes: Uint8Array, opts: CodecOptions = {}): CstaApdu {
  return decodeApduTlv(berDecode(bytes, opts.engine));
}

/** Encodes one APDU (without the frame header). */
export function encodeApdu(apdu: CstaApdu, opts: CodecOptions = {}): Uint8Array {
  return berEncode(encodeApduTlv(apdu), opts.engine);
}

// ---- convenience encoders, one per APDU kind

export function encodeInvoke<N extends OperationName>(operation: N, invokeId: number, argument: ArgumentOf<N>, opts: CodecOptions & { linkedId?: number } = {}): Uint8Array {
  const a = { kind: 'invoke', invokeId, opcode: operations[operation].code, operation, argument } as InvokeApdu;
  if (opts.linkedId !== undefined) a.linkedId = opts.linkedId;
  return encodeApdu(a, opts);
}

export function encodeReturnResult<N extends OperationName>(operation: N, invokeId: number, result: ResultOf<N>, opts: CodecOptions = {}): Uint8Array {
  return encodeApdu({ kind: 'returnResult', invokeId, opcode: operations[operation].code, operation, result } as ReturnResultApdu, opts);
}

export function encodeUniversalFailure(invokeId: number, error: UniversalFailure, opts: CodecOptions = {}): Uint8Array {
  return encodeApdu({ kind: 'returnError', invokeId, errcode: UNIVERSAL_FAILURE, error }, opts);
}

export function encodeReject(invokeId: number | null, problem: RejectProblem, opts: CodecOptions = {}): Uint8Array {
  return encodeApdu({ kind: 'reject', invokeId, problem }, opts);
}

/** Hex of a Tlv, for logs and tests. */
export function tlvHex(t: Tlv): string {
  return hex(leanEncode(t));
}
