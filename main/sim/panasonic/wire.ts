import {
  aarqCredentials,
  buildAare,
  CstaDecodeError,
  decodeApdu,
  encodeApdu,
  encodeFrame,
  encodeInvoke,
  encodeReject,
  encodeUniversalFailure,
  FrameDecoder,
  MAX_FRAME_LENGTH,
  type InvokeApdu,
} from './csta';
import { callEventReport, cdrItem, featureEventReport } from './events';
import type { SimReply } from './operations';
import type { Outbound } from './pbx';

/** What arrives on a simulator connection, after framing and BER. */
export type Incoming =
  | { kind: 'aarq'; user?: string; password?: string }
  | { kind: 'release' }
  | { kind: 'abort' }
  | { kind: 'invoke'; invoke: InvokeApdu }
  /** An invoke whose header was readable but whose argument was not: answered with a Reject, link stays up. */
  | { kind: 'mistyped'; invokeId: number; opcode: number | undefined; reason: string }
  | { kind: 'answer' };

/** The codec's lean BER writer: same bytes as asn1js (the codec tests both), several times faster per event. */
const LEAN = { engine: 'lean' } as const;

export type AareRejection = 'busy' | 'authenticationRequired' | 'authenticationFailure' | 'refused';

/** Reads one APDU; throws (BerError with the reason) for anything that is not a CSTA ACSE or ROSE APDU. */
export function decodeIncoming(bytes: Uint8Array): Incoming {
  let apdu;
  try {
    apdu = decodeApdu(bytes, { engine: 'lean' });
  } catch (e) {
    if (e instanceof CstaDecodeError && e.apduKind === 'invoke' && e.invokeId !== undefined) return { kind: 'mistyped', invokeId: e.invokeId, opcode: e.opcode, reason: e.message };
    if (e instanceof CstaDecodeError && e.apduKind !== 'invoke') return { kind: 'answer' };
    throw e;
  }
  switch (apdu.kind) {
    case 'aarq': {
      const cred = aarqCredentials(apdu);
      return cred ? { kind: 'aarq', user: cred.user, password: cred.password } : { kind: 'aarq' };
    }
    case 'rlrq':
      return { kind: 'release' };
    case 'abrt':
      return { kind: 'abort' };
    case 'aare':
    case 'rlre':
      throw new Error(`a client does not send ${apdu.kind.toUpperCase()}`);
    case 'invoke':
      return { kind: 'invoke', invoke: apdu };
    default:
      return { kind: 'answer' };
  }
}

const aareCache = new Map<string, Uint8Array>();

/** The AARE for an outcome; they never change, so each is encoded once. */
export function encodeAare(outcome: 'accepted' | AareRejection): Uint8Array {
  let bytes = aareCache.get(outcome);
  if (!bytes) aareCache.set(outcome, (bytes = buildAareBytes(outcome)));
  return bytes;
}

function buildAareBytes(outcome: 'accepted' | AareRejection): Uint8Array {
  switch (outcome) {
    case 'accepted':
      return encodeApdu({ kind: 'aare', ...buildAare() }, LEAN);
    case 'busy':
      // The PBX serves one CTI link; a second gets a transient refusal (retry once the first has gone).
      return encodeApdu({ kind: 'aare', ...buildAare({ result: 'rejectedTransient', diagnostic: { acseServiceUser: 1 } }) }, LEAN);
    case 'authenticationRequired':
      return encodeApdu({ kind: 'aare', ...buildAare({ result: 'rejectedPermanent', diagnostic: { acseServiceUser: 14 } }) }, LEAN);
    case 'authenticationFailure':
      return encodeApdu({ kind: 'aare', ...buildAare({ result: 'rejectedPermanent', diagnostic: { acseServiceUser: 13 } }) }, LEAN);
    case 'refused':
      return encodeApdu({ kind: 'aare', ...buildAare({ result: 'rejectedPermanent', diagnostic: { acseServiceUser: 1 } }) }, LEAN);
  }
}

export function encodeReleaseResponse(): Uint8Array {
  return encodeApdu({ kind: 'rlre', reason: 0 }, LEAN);
}

export function encodeAbort(): Uint8Array {
  return encodeApdu({ kind: 'abrt', abortSource: 0 }, LEAN);
}

/** The PBX's SystemStatus(normal) invoke, as sent right after the AARE (`A1 0C 02 01 id 02 02 00 D3 30 03 0A 01 02`). */
export function encodeSystemStatusInvoke(invokeId: number): Uint8Array {
  return encodeInvoke('systemStatus', invokeId, { systemStatus: 'normal' }, LEAN);
}

export function encodeReply(r: SimReply, nextInvokeId: () => number): Uint8Array {
  switch (r.kind) {
    case 'result':
      return encodeApdu(
        r.operation && r.result !== undefined
          ? ({ kind: 'returnResult', invokeId: r.invokeId, opcode: r.opcode, operation: r.operation, result: r.result } as never)
          : r.opcode !== undefined
            ? { kind: 'returnResult', invokeId: r.invokeId, opcode: r.opcode, result: '0500' }
            : { kind: 'returnResult', invokeId: r.invokeId },
        LEAN,
      );
    case 'error':
      return encodeUniversalFailure(r.invokeId, r.failure, LEAN);
    case 'reject':
      return encodeReject(r.invokeId, { invoke: r.problem }, LEAN);
    case 'invoke':
      return encodeApdu({ kind: 'invoke', invokeId: nextInvokeId(), opcode: r.opcode, operation: r.operation, argument: r.argument } as never, LEAN);
  }
}

/** An event report, CDR report or DataCollected invoke for the association, framed for the wire. */
export function encodeOutboundFrame(invokeId: number, out: Outbound): Uint8Array {
  switch (out.kind) {
    case 'callEvent':
      return frame(encodeInvoke('cSTAEventReport', invokeId, callEventReport(out.crossRefID, out.event, out.localState), LEAN));
    case 'featureEvent':
      return frame(encodeInvoke('cSTAEventReport', invokeId, featureEventReport(out.crossRefID, out.event), LEAN));
    case 'cdr':
      return frame(encodeInvoke('cDRReport', invokeId, { cdrCrossRefID: out.crossRefID, numberOfRecordsSent: out.records.length, cdrInfo: out.records.map((r, i) => cdrItem(r, i + 1)) }, LEAN));
    case 'dataCollected':
      return frame(encodeInvoke('dataCollected', invokeId, { dcollCrossRefID: out.crossRefID, digitsData: { digitsDetected: out.digits } }, LEAN));
  }
}

/** A streaming reader of 2-byte length frames; APDUs of any size the length field allows are accepted. */
export function createDeframer(): FrameDecoder {
  return new FrameDecoder({ maxApduSize: MAX_FRAME_LENGTH });
}

export function frame(apdu: Uint8Array): Uint8Array {
  return encodeFrame(apdu);
}

/** A frame whose BER claims a 4-gigabyte length: what the malformed-frame fault sends. */
export const MALFORMED_FRAME = Uint8Array.of(0x00, 0x06, 0xa1, 0x84, 0xff, 0xff, 0xff, 0xff);
