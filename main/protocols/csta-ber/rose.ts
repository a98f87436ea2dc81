// X.880 ROSE APDUs as CSTA carries them: Invoke [1], ReturnResult [2], ReturnError [3], Reject [4], with
// bare INTEGER (local) operation and error codes. Arguments stay as Tlv here; apdu.ts types them.
import { BerError, CONTEXT, UNIVERSAL, cons, keyOf, prim, tagKey, type Tlv, encodeIntegerContent, decodeIntegerContent } from './ber';
import { describeTag } from './codec';

export const generalProblems = { unrecognizedPDU: 0, mistypedPDU: 1, badlyStructuredPDU: 2 } as const;
export const invokeProblems = {
  duplicateInvocation: 0, unrecognizedOperation: 1, mistypedArgument: 2, resourceLimitation: 3, releaseInProgress: 4,
  unrecognizedLinkedId: 5, linkedResponseUnexpected: 6, unexpectedLinkedOperation: 7,
} as const;
export const returnResultProblems = { unrecognizedInvocation: 0, resultResponseUnexpected: 1, mistypedResult: 2 } as const;
export const returnErrorProblems = {
  unrecognizedInvocation: 0, errorResponseUnexpected: 1, unrecognizedError: 2, unexpectedError: 3, mistypedParameter: 4,
} as const;

export type RejectProblem =
  | { general: keyof typeof generalProblems | number }
  | { invoke: keyof typeof invokeProblems | number }
  | { returnResult: keyof typeof returnResultProblems | number }
  | { returnError: keyof typeof returnErrorProblems | number };

const problemTables = [generalProblems, invokeProblems, returnResultProblems, returnErrorProblems] as const;
const problemNames = ['general', 'invoke', 'returnResult', 'returnError'] as const;

export type RoseApdu =
  | { kind: 'invoke'; invokeId: number; linkedId?: number; opcode: number; argument?: Tlv }
  | { kind: 'returnResult'; invokeId: number; result?: { opcode: number; result: Tlv } }
  | { kind: 'returnError'; invokeId: number; errcode: number; parameter?: Tlv }
  | { kind: 'reject'; invokeId: number | null; problem: RejectProblem };

const INT = tagKey(UNIVERSAL, false, 2);
const NULL = tagKey(UNIVERSAL, false, 5);
const SEQ = tagKey(UNIVERSAL, true, 16);
const int = (v: number) => prim(UNIVERSAL, 2, encodeIntegerContent(v));

function readInt(t: Tlv | undefined, what: string): number {
  if (!t || keyOf(t) !== INT) throw new BerError(`ROSE ${what}: expected INTEGER${t ? `, got ${describeTag(t)}` : ''}`);
  return decodeIntegerContent(t.content);
}

export function encodeRose(apdu: RoseApdu): Tlv {
  switch (apdu.kind) {
    case 'invoke': {
      const kids = [int(apdu.invokeId)];
      if (apdu.linkedId !== undefined) kids.push(prim(CONTEXT, 0, encodeIntegerContent(apdu.linkedId)));
      kids.push(int(apdu.opcode));
      if (apdu.argument) kids.push(apdu.argument);
      return cons(CONTEXT, 1, kids);
    }
    case 'returnResult': {
      const kids = [int(apdu.invokeId)];
      if (apdu.result) kids.push(cons(UNIVERSAL, 16, [int(apdu.result.opcode), apdu.result.result]));
      return cons(CONTEXT, 2, kids);
    }
    case 'returnError': {
      const kids = [int(apdu.invokeId), int(apdu.errcode)];
      if (apdu.parameter) kids.push(apdu.parameter);
      return cons(CONTEXT, 3, kids);
    }
    case 'reject': {
      const id = apdu.invokeId === null ? prim(UNIVERSAL, 5, new Uint8Array(0)) : int(apdu.invokeId);
      const [family] = Object.keys(apdu.problem) as (typeof problemNames)[number][];
      const idx = problemNames.indexOf(family);
      const v = (apdu.problem as Record<string, string | number>)[family];
      const n = typeof v === 'number' ? v : (problemTables[idx] as Record<string, number>)[v];
      if (idx < 0 || n === undefined) throw new BerError(`unknown reject problem ${JSON.stringify(apdu.problem)}`);
      return cons(CONTEXT, 4, [id, prim(CONTEXT, idx, encodeIntegerContent(n))]);
    }
  }
}

export function isRose(t: Tlv): boolean {
  return t.cls === CONTEXT && t.constructed && t.tag >= 1 && t.tag <= 4;
}

export function decodeRose(t: Tlv): RoseApdu {
  if (!isRose(t)) throw new BerError(`not a ROSE APDU: tag ${describeTag(t)}`);
  const k = t.children ?? [];
  switch (t.tag) {
    case 1: {
      const invokeId = readInt(k[0], 'invokeId');
      let i = 1;
      let linkedId: number | undefined;
      if (k[i] && k[i].cls === CONTEXT && k[i].tag === 0 && !k[i].constructed) linkedId = decodeIntegerContent(k[i++].content);
      const opcode = readInt(k[i++], 'opcode');
      if (k.length > i + 1) throw new BerError('ROSE invoke has trailing elements');
      const out: RoseApdu = { kind: 'invoke', invokeId, opcode };
      if (linkedId !== undefined) out.linkedId = linkedId;
      if (k[i]) out.argument = k[i];
      return out;
    }
    case 2: {
      const invokeId = readInt(k[0], 'invokeId');
      if (!k[1]) return { kind: 'returnResult', invokeId };
      if (keyOf(k[1]) !== SEQ) throw new BerError('ROSE returnResult: result must be a SEQUENCE');
      const rk = k[1].children ?? [];
      const opcode = readInt(rk[0], 'result opcode');
      if (!rk[1] || rk.length > 2) throw new BerError('ROSE returnResult: result SEQUENCE must hold opcode and result');
      return { kind: 'returnResult', invokeId, result: { opcode, result: rk[1] } };
    }
    case 3: {
      const invokeId = readInt(k[0], 'invokeId');
      const errcode = readInt(k[1], 'errcode');
      if (k.length > 3) throw new BerError('ROSE returnError has trailing elements');
      return k[2] ? { kind: 'returnError', invokeId, errcode, parameter: k[2] } : { kind: 'returnError', invokeId, errcode };
    }
    default: {
      const first = k[0];
      let invokeId: number | null;
      if (first && keyOf(first) === NULL) invokeId = null;
      else invokeId = readInt(first, 'invokeId');
      const p = k[1];
      if (!p || p.cls !== CONTEXT || p.constructed || p.tag > 3) throw new BerError('ROSE reject: missing or bad problem');
      const n = decodeIntegerContent(p.content);
      const table = problemTables[p.tag] as Record<string, number>;
      const name = Object.keys(table).find((x) => table[x] === n);
      return { kind: 'reject', invokeId, problem: { [problemNames[p.tag]]: name ?? n } as RejectProblem };
    }
  }
}
