// The driver's CSTA over SIP link to a CME (reference addendum §2.2): it listens for SIP (the CME sends to the
// registered Contact), REGISTERs as the session server (user = register-id, digest with the AXL login when the CME
// demands it), renews the registration before it runs out, and opens the CTI dialog (INVITE with
// RequestSystemStatus) that carries CSTA XML. UNSURE per the reference: one dialog for all lines (used here) or one
// per DN; the request URI of the dialog.
import { openCstaDialog, type XmlCstaSession } from '../../protocols/csta-xml';
import { SipEndpoint, SipError, type SipResponse } from '../../protocols/sip';
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
  /** The registration asked for, seconds (the CME clamps it to its registrar's range). */
  expires?: number;
  /** Renew at this share of the granted time (default 0.8; tests shorten it). */
  renewAt?: number;
  answerTimeoutMs?: number;
}

/** Renew at this share of the granted time, so a slow answer still lands inside it. */
const RENEW_AT = 0.8;

export class CmeSipLink {
  private renewTimer: NodeJS.Timeout | undefined;
  private lostListener: (e: DriverFailure) => void = () => {};
  private closed = false;
  renewals = 0;

  private constructor(
    private readonly s: CmeSipSettings,
    readonly endpoint: SipEndpoint,
    readonly session: XmlCstaSession,
  ) {
    session.onLost((e) => this.lose(new DriverFailure(E.linkLost, `the CME ended the CTI dialog: ${e.message}`, undefined, this.where())));
  }

  /** Listens, registers and opens the dialog; throws DriverFailure naming the SIP step that failed. */
  static async open(s: CmeSipSettings): Promise<CmeSipLink> {
    const endpoint = await SipEndpoint.start({ user: s.sessionServerId, listen: [{ host: s.localHost || '0.0.0.0', port: s.localPort }], credentials: { user: s.user, password: s.password } }).catch((e: SipError) => {
      throw new DriverFailure(E.refused, `cannot accept SIP on ${s.localHost || '0.0.0.0'}:${s.localPort}: ${e.message}`, undefined, { host: s.localHost, port: s.localPort, cause: String(e.params?.cause ?? e.code) });
    });
    try {
      const granted = await CmeSipLink.register(endpoint, s);
      const session = await openCstaDialog(endpoint, { uri: `sip:${s.sessionServerId}@${s.cmeHost}:${s.cmeSipPort};transport=tcp`, from: `sip:${s.sessionServerId}@${s.cmeHost}`, invokeTimeoutMs: s.answerTimeoutMs }).catch((e: Error & { code?: string }) => {
        throw new DriverFailure(E.rejected, `the CME refused the CTI dialog of session server ${s.sessionServerId}: ${e.message}`, undefined, { host: s.cmeHost, port: s.cmeSipPort, cause: e.code ?? '' });
      });
      const link = new CmeSipLink(s, endpoint, session);
      link.scheduleRenewal(granted);
      return link;
    } catch (e) {
      await endpoint.close();
      throw e;
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
      response = await endpoint.register({ registrar: `sip:${s.cmeHost}:${s.cmeSipPort};transport=tcp`, aor: `sip:${s.sessionServerId}@${s.cmeHost}`, expires: s.expires ?? 600, target: { ...where, transport: 'TCP' } });
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
    const expires = Number(/expires=(\d+)/i.exec(response.headers.find((h) => h.name.toLowerCase() === 'contact')?.value ?? '')?.[1] ?? response.headers.find((h) => h.name.toLowerCase() === 'expires')?.value ?? s.expires ?? 600);
    return Number.isFinite(expires) && expires > 0 ? expires : (s.expires ?? 600);
  }

  private scheduleRenewal(seconds: number): void {
    this.renewTimer = setTimeout(() => {
      CmeSipLink.register(this.endpoint, this.s).then(
        (granted) => {
          this.renewals++;
          if (!this.closed) this.scheduleRenewal(granted);
        },
        (e: DriverFailure) => this.lose(e),
      );
    }, seconds * 1000 * (this.s.renewAt ?? RENEW_AT));
    this.renewTimer.unref();
  }

  private lose(e: DriverFailure): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.renewTimer);
    this.lostListener(e);
    void this.endpoint.close();
  }

  private where(): Record<string, string | number> {
    return { host: this.s.cmeHost, port: this.s.cmeSipPort };
  }
}
