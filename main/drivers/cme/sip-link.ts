// The driver's CSTA over SIP link to a CME (reference addendum §2.2): it listens for SIP (the CME sends to the
// registered Contact), REGISTERs as the session server (user = register-id, digest with the AXL login when the CME
// demands it, Expires no longer than the session server's keepalive), renews the registration before it runs out,
// and opens the CTI dialog(s) that carry CSTA XML (cti-session.ts). A failed renewal ends the link: the runtime
// reconnects, which registers again and reopens the dialogs and monitors.
import { CstaSessionError } from '../../protocols/csta/model';
import { SipEndpoint, SipError, type SipResponse } from '../../protocols/sip';
import { CmeCtiSession, type CtiDialogs } from './cti-session';
import { DriverErrorCodes as E, DriverFailure } from '../driver';
import { classifyNetworkError } from '../shared/network-errors';

export interface CmeSipSettings {
  cmeHost: string;
  cmeSipPort: number;
  /** Where we accept SIP ('' = all interfaces); port 0 = any free port. */
  localHost: string;
  localPort: number;
  sessionServerId: string;
  /** The AXL login, for digest when the CME has "authenticate register". */
  user: string;
  password: string;
  /** The registration asked for, seconds: the session server's keepalive (the CME clamps it to its registrar's range). */
  expires?: number;
  /** One CTI dialog for all lines (default) or one per line. */
  ctiDialogs?: CtiDialogs;
  /** Refresh each dialog by re-INVITE (seconds between, unless the CME names a Session-Expires); 0 = never. */
  refreshS?: number;
  /** Renew at this share of the granted time (default 0.8; tests shorten it). */
  renewAt?: number;
  answerTimeoutMs?: number;
  keepAliveMs?: number;
}

/** Renew at this share of the granted time, so a slow answer still lands inside it. */
const RENEW_AT = 0.8;
/** Tries at listening on a port still held by the previous link (100 ms apart). */
const LISTEN_ATTEMPTS = 10;
/** What is asked without a keepalive read from the CME (the manual's `keepalive 600`). */
export const DEFAULT_EXPIRES = 600;

export class CmeSipLink {
  private renewTimer: NodeJS.Timeout | undefined;
  private lostListener: (e: DriverFailure) => void = () => {};
  private closed = false;
  renewals = 0;
  /** Seconds the CME granted at the last REGISTER, and in how many ms the next one goes. */
  granted = 0;
  renewInMs = 0;

  private constructor(
    private readonly s: CmeSipSettings,
    readonly endpoint: SipEndpoint,
    readonly session: CmeCtiSession,
  ) {
    session.onLost((e) => this.lose(new DriverFailure(E.linkLost, `the CME ended the CTI dialog: ${e.message}`, undefined, this.where())));
  }

  /** Listens, registers and opens the dialog; throws DriverFailure naming the SIP step that failed. */
  static async open(s: CmeSipSettings): Promise<CmeSipLink> {
    const endpoint = await CmeSipLink.listen(s).catch((e: SipError) => {
      throw new DriverFailure(E.refused, `cannot accept SIP on ${s.localHost || '0.0.0.0'}:${s.localPort}: ${e.message}`, undefined, { host: s.localHost, port: s.localPort, cause: String(e.params?.cause ?? e.code) });
    });
    try {
      const granted = await CmeSipLink.register(endpoint, s);
      const session = new CmeCtiSession({ endpoint, cmeHost: s.cmeHost, cmeSipPort: s.cmeSipPort, sessionServerId: s.sessionServerId, dialogs: s.ctiDialogs ?? 'shared', refreshS: s.refreshS ?? 0, answerTimeoutMs: s.answerTimeoutMs, keepAliveMs: s.keepAliveMs });
      await session.start().catch(async (e) => {
        await session.close();
        throw e;
      });
      const link = new CmeSipLink(s, endpoint, session);
      link.scheduleRenewal(granted);
      return link;
    } catch (e) {
      await endpoint.close();
      throw e;
    }
  }

  /**
   * Listens on the SIP port. A reconnect comes at once after a lost link whose endpoint is still closing, so a port
   * in use is tried again for a moment before it counts as taken.
   */
  private static async listen(s: CmeSipSettings): Promise<SipEndpoint> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await SipEndpoint.start({ user: s.sessionServerId, listen: [{ host: s.localHost || '0.0.0.0', port: s.localPort }], credentials: { user: s.user, password: s.password } });
      } catch (e) {
        if ((e as SipError).params?.cause !== 'EADDRINUSE' || attempt >= LISTEN_ATTEMPTS) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  onLost(listener: (e: DriverFailure) => void): void {
    this.lostListener = listener;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.renewTimer);
    await this.session.close().catch(() => undefined);
    await this.endpoint.close();
  }

  /** REGISTER; resolves with the seconds granted. */
  private static async register(endpoint: SipEndpoint, s: CmeSipSettings): Promise<number> {
    const where = { host: s.cmeHost, port: s.cmeSipPort };
    let response: SipResponse;
    try {
      response = await endpoint.register({ registrar: `sip:${s.cmeHost}:${s.cmeSipPort};transport=tcp`, aor: `sip:${s.sessionServerId}@${s.cmeHost}`, expires: s.expires ?? DEFAULT_EXPIRES, target: { ...where, transport: 'TCP' } });
    } catch (e) {
      const sip = e as SipError;
      if (sip.code === 'SIP_AUTH_FAILED') throw new DriverFailure(E.loginRejected, `the CME refused the REGISTER of session server ${s.sessionServerId} with the AXL login (authenticate register)`, undefined, { ...where, cause: sip.code });
      if (sip.code === 'SIP_CONNECT_FAILED') throw classifyNetworkError({ name: 'Error', message: sip.message, code: String(sip.params.cause ?? '') }, where);
      throw new DriverFailure(E.noAnswer, `REGISTER at ${s.cmeHost}:${s.cmeSipPort}: ${sip.message}`, undefined, { ...where, cause: sip.code ?? '' });
    }
    if (response.status === 401 || response.status === 407 || response.status === 403) {
      throw new DriverFailure(E.loginRejected, `the CME refused the REGISTER of session server ${s.sessionServerId} (SIP ${response.status}): check the AXL login (authenticate register)`, undefined, { ...where, status: response.status });
    }
    if (response.status !== 200) {
      throw new DriverFailure(E.rejected, `the CME refused the REGISTER of session server ${s.sessionServerId} (SIP ${response.status}): is "register-id ${s.sessionServerId}" configured under voice register session-server?`, undefined, { ...where, status: response.status });
    }
    const asked = s.expires ?? DEFAULT_EXPIRES;
    const expires = Number(/expires=(\d+)/i.exec(response.headers.find((h) => h.name.toLowerCase() === 'contact')?.value ?? '')?.[1] ?? response.headers.find((h) => h.name.toLowerCase() === 'expires')?.value ?? asked);
    // Never longer than asked (the keepalive): a CME granting more still expects the session server within it.
    return Number.isFinite(expires) && expires > 0 ? Math.min(expires, asked) : asked;
  }

  private scheduleRenewal(seconds: number): void {
    this.granted = seconds;
    this.renewInMs = seconds * 1000 * (this.s.renewAt ?? RENEW_AT);
    this.renewTimer = setTimeout(() => {
      CmeSipLink.register(this.endpoint, this.s).then(
        (granted) => {
          this.renewals++;
          if (!this.closed) this.scheduleRenewal(granted);
        },
        (e: DriverFailure) => this.lose(e),
      );
    }, this.renewInMs);
    this.renewTimer.unref();
  }

  /** Ends the link once: the CTI session reports it lost (the CSTA line driver hears it there), the port is freed. */
  private lose(e: DriverFailure): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.renewTimer);
    this.session.fail(new CstaSessionError('CSTA_CONNECTION_LOST', e.message, { cause: e.code }));
    this.lostListener(e);
    void this.endpoint.close();
  }

  private where(): Record<string, string | number> {
    return { host: this.s.cmeHost, port: this.s.cmeSipPort };
  }
}
