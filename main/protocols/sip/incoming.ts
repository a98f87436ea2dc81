// A request that arrived, with the means to answer it: respond, authenticate (digest as server) and, for an
// INVITE, accept it as a dialog.
import type { DigestServer } from './digest';
import type { Dialog, InDialogOptions } from './dialog';
import { createResponse, headerValues, type ResponseOptions, type SipRequest } from './message';
import { randomHex } from './random';
import type { ServerTransaction } from './transaction';
import type { SipConnection } from './transport';

export interface Acceptor {
  acceptInvite(inc: IncomingRequest, opts: InDialogOptions): Dialog;
}

export class IncomingRequest {
  /** Our tag for To when the request had none (RFC 3261 §8.2.6.2). */
  readonly toTag = randomHex(6);

  constructor(
    readonly request: SipRequest,
    readonly connection: SipConnection,
    readonly transaction: ServerTransaction,
    /** The dialog it arrived in, if any. */
    readonly dialog: Dialog | undefined,
    private readonly acceptor: Acceptor,
  ) {}

  get answered(): boolean {
    return this.transaction.answered;
  }

  respond(status: number, opts: ResponseOptions = {}): void {
    this.transaction.send(createResponse(this.request, status, { toTag: this.toTag, ...opts }));
  }

  /**
   * Checks the request's digest credentials against `server`; answers 401 (or 407 as a proxy) with fresh
   * challenges and returns undefined when they are missing or wrong, else returns the user.
   */
  authenticate(server: DigestServer, password: (user: string) => string | undefined, proxy = false): string | undefined {
    const got = headerValues(this.request, proxy ? 'Proxy-Authorization' : 'Authorization');
    const r = server.check(got, this.request.method, password);
    if (r.ok) return r.user;
    const name = proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate';
    this.respond(proxy ? 407 : 401, { headers: r.challenges.map((value) => ({ name, value })) });
    return undefined;
  }

  /** Answers an INVITE with 200 and our Contact; the dialog is returned (and emitted by the endpoint). */
  accept(opts: InDialogOptions = {}): Dialog {
    return this.acceptor.acceptInvite(this, opts);
  }
}
