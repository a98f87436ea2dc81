// A dialog (RFC 3261 §12): the state both ends keep for an INVITE session — Call-ID, tags, CSeq counters, the
// remote target and route set — and the requests sent inside it (INFO carrying CSTA, re-INVITE, BYE). A dialog
// lives on one connection (RFC 5923 reuse); when that connection closes, the dialog ends.
import { EventEmitter } from 'node:events';
import type { SipError } from './errors';
import type { SipHeader, SipResponse } from './message';
import type { SipConnection } from './transport';
import type { IncomingRequest } from './incoming';

export interface DialogState {
  callId: string;
  localTag: string;
  remoteTag: string;
  /** From (ours) and To (theirs) without tags, as written in the dialog's requests. */
  localUri: string;
  remoteUri: string;
  /** Request-URI of requests in the dialog: the peer's Contact. */
  remoteTarget: string;
  /** Route headers of requests in the dialog, in order. */
  routeSet: string[];
  localSeq: number;
  remoteSeq: number;
}

export interface InDialogOptions {
  body?: string | Uint8Array;
  contentType?: string;
  headers?: SipHeader[];
}

export interface DialogSender {
  sendInDialog(d: Dialog, method: string, opts: InDialogOptions): Promise<SipResponse>;
  forget(d: Dialog): void;
}

export class Dialog extends EventEmitter<{ request: [IncomingRequest]; ack: []; terminated: [SipError | undefined] }> {
  state: 'confirmed' | 'terminated' = 'confirmed';

  constructor(
    readonly s: DialogState,
    readonly connection: SipConnection,
    /** True for the side that sent the INVITE. */
    readonly isCaller: boolean,
    private readonly sender: DialogSender,
  ) {
    super();
  }

  get id(): string {
    return dialogKey(this.s.callId, this.s.localTag, this.s.remoteTag);
  }

  /** A request in the dialog (INFO with a CSTA body, …); resolves with the final response. */
  request(method: string, opts: InDialogOptions = {}): Promise<SipResponse> {
    return this.sender.sendInDialog(this, method, opts);
  }

  /** Ends the dialog with BYE (unless it is over already). */
  async bye(): Promise<void> {
    if (this.state === 'terminated') return;
    const done = this.request('BYE');
    this.terminate(undefined);
    await done.catch(() => undefined);
  }

  terminate(err: SipError | undefined): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.sender.forget(this);
    this.emit('terminated', err);
  }
}

export const dialogKey = (callId: string, localTag: string, remoteTag: string) => `${callId}\n${localTag}\n${remoteTag}`;
