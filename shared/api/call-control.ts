import { z } from 'zod';

/**
 * Call control beyond make call and hang up, as the manual's "Supported TAPI operations" list it: the requests the
 * API, the CLI and the drivers share. Which of them a family offers is its spec's `capabilities.callControl`.
 */

const callId = z.string().min(1).max(64);
/**
 * A number to redirect, transfer or consult to: what a phone can dial, or a canonical number (`+49(89)1234-100`,
 * `+49 (30) 12345-123`) that the location turns into one.
 */
const dialable = z
  .string()
  .trim()
  .regex(/^(\+?[0-9*#]{1,32}|\+[0-9 ()\-./]{1,40})$/, 'a number of digits, * and # (an optional leading +), or a canonical number such as +49(89)1234-100');

export const callControlRequestSchema = z.discriminatedUnion('op', [
  z.object({ op: z.enum(['answer', 'hold', 'retrieve']), callId }).strict(),
  /** Deflects a call ringing at the line. */
  z.object({ op: z.literal('redirect'), callId, to: dialable }).strict(),
  /** Single-step transfer of a connected call. */
  z.object({ op: z.literal('blindTransfer'), callId, to: dialable }).strict(),
  /** Setup transfer: holds the call and calls `to`; the result names the consultation call. */
  z.object({ op: z.literal('consult'), callId, to: dialable }).strict(),
  /** Swap hold, complete transfer, create or add to a conference. */
  z.object({ op: z.enum(['alternate', 'transfer', 'conference']), heldCallId: callId, activeCallId: callId }).strict(),
  /** Drops one party (its number) from a conference call of the line. */
  z.object({ op: z.literal('removeParty'), callId, party: dialable }).strict(),
  /** Directed pickup of the call ringing at `from` (its call ID when known). */
  z.object({ op: z.literal('pickup'), from: dialable, callId: callId.optional() }).strict(),
  /** Dial in dial-tone mode: the number dialed on a call that has dial tone (the phone went off-hook without one). */
  z.object({ op: z.literal('dial'), callId, to: dialable }).strict(),
  /** DTMF digits on a connected call. */
  z.object({ op: z.literal('digits'), callId, digits: z.string().regex(/^[0-9*#A-D]{1,64}$/, 'DTMF digits: 0-9, *, #, A-D') }).strict(),
  /**
   * On the line's call to a busy extension: call completion (be called back once it is free; the attempt ends) or
   * intrusion (join the extension's call).
   */
  z.object({ op: z.enum(['callBack', 'intrude']), callId }).strict(),
  /** Call completion without a call: be called back once the busy extension `to` is free. */
  z.object({ op: z.literal('callBackTo'), to: dialable }).strict(),
]);
export type CallControlRequest = z.infer<typeof callControlRequestSchema>;
export type CallControlOpName = CallControlRequest['op'];
export const CALL_OPS = ['answer', 'hold', 'retrieve', 'redirect', 'blindTransfer', 'consult', 'alternate', 'transfer', 'conference', 'removeParty', 'pickup', 'dial', 'digits', 'callBack', 'callBackTo', 'intrude'] as const satisfies readonly CallControlOpName[];

export interface CallControlResult {
  /** The call the operation made or left the line in (consultation, conference, pickup), when the PBX named it. */
  callId: string | null;
}

export const FORWARDING_KINDS = ['immediate', 'busy', 'noAnswer'] as const;
export const FORWARDING_CALLERS = ['all', 'internal', 'external'] as const;
/** Which calls a forwarding applies to: unconditional, when busy, on no answer; for internal, external or all callers. */
export const forwardingKeySchema = z.object({ kind: z.enum(FORWARDING_KINDS), callers: z.enum(FORWARDING_CALLERS) }).strict();
export type ForwardingKey = z.infer<typeof forwardingKeySchema>;
export interface ForwardingSetting extends ForwardingKey {
  on: boolean;
  to: string | null;
}
/** Remote Office (BroadWorks): calls to the line ring at `number` (a home or mobile phone) while active. */
export interface RemoteOffice {
  active: boolean;
  /** The number calls ring at; kept by the platform while off, null when it has none. */
  number: string | null;
}
/** The features of a line as the PBX has them now (GetDoNotDisturb, GetForwarding). */
export interface LineFeatures {
  doNotDisturb: boolean;
  forwarding: ForwardingSetting[];
  /** Only where the family offers the 'remoteOffice' operation. */
  remoteOffice?: RemoteOffice;
}
