// Opening and accepting the long-lived INVITE dialog that carries CSTA XML (uaCSTA server -> phone, CME CTI
// client -> CME, Microsoft RCC): the INVITE carries RequestSystemStatus and the 200 its response (reference
// addendum §1.2, §2.2). UNSURE, so settings: whether the INVITE has that body (`inviteBody`), and the
// Content-Disposition (`signal;handling=required` written; any accepted). With `sessionTimer` the opener keeps an
// RFC 4028 session timer on the dialog (the uaCSTA manual's "SIP expiration time" for dialogs).
import { CstaSessionError, describeFailure } from '../csta/model';
import { bodyText, header, SipError, type Dialog, type IncomingRequest, type SipConnection, type SipEndpoint, type SipHeader, type SipResponse, type Target } from '../sip';
import { CSTA_CONTENT_TYPE, SipDialogCarrier, SipNotifyCarrier, sessionErrorOf } from './carrier';
import { decodeCsta, encodeRequest, encodeResponse } from './codec';
import { XmlCstaSession, type XmlCstaSessionOptions } from './session';
import { XmlCstaSwitch, type CstaRequestHandler, type XmlCstaSwitchOptions } from './switch';

export interface OpenCstaDialogOptions extends XmlCstaSessionOptions {
  /** Request-URI: the phone's Contact, or the line at the CME (`sip:6001@cme`). */
  uri: string;
  from?: string;
  to?: string;
  target?: Target;
  connection?: SipConnection;
  /** `requestSystemStatus` (default): the INVITE asks for the system status; `empty`: no body. */
  inviteBody?: 'requestSystemStatus' | 'empty';
  headers?: SipHeader[];
  /** Hears the INVITE's 200 (its headers: a session timer's Session-Expires). */
  onAnswer?(response: SipResponse): void;
  sessionTimer?: SessionTimerOptions;
}

export interface SessionTimerOptions {
  /** Session-Expires asked for, in seconds; the peer's 2xx may name a shorter one. We are the refresher. */
  seconds: number;
  /** The refresh (default UPDATE where the peer's Allow lists it, else re-INVITE; an UPDATE refused 405/501 falls back to re-INVITE). */
  method?: 'invite' | 'update';
}

/**
 * Opens the dialog and returns the session on it. The peer must answer 200; when it returns a system status, it
 * must be `normal` (as Microsoft RCC clients require). Fails with CstaSessionError (`CSTA_NOT_CONNECTED`,
 * `CSTA_REJECTED`, `CSTA_UNIVERSAL_FAILURE`, `CSTA_PROTOCOL`).
 */
export async function openCstaDialog(endpoint: SipEndpoint, o: OpenCstaDialogOptions): Promise<XmlCstaSession> {
  const edition = o.edition ?? 'ed3';
  const withBody = (o.inviteBody ?? 'requestSystemStatus') === 'requestSystemStatus';
  let opened;
  try {
    opened = await endpoint.invite({
      uri: o.uri, from: o.from, to: o.to, target: o.target, connection: o.connection,
      headers: [...(withBody ? [{ name: 'Content-Disposition', value: 'signal;handling=required' }] : []), ...(o.sessionTimer ? timerHeaders(o.sessionTimer) : []), ...(o.headers ?? [])],
      ...(withBody ? { body: encodeRequest('requestSystemStatus', {}, edition), contentType: CSTA_CONTENT_TYPE } : {}),
    });
  } catch (e) {
    const err = sessionErrorOf(e, o.uri);
    const status = (e as { params?: { status?: number } }).params?.status;
    throw new CstaSessionError(status ? 'CSTA_REJECTED' : err.code === 'CSTA_TIMEOUT' ? 'CSTA_TIMEOUT' : 'CSTA_NOT_CONNECTED', err.message, { cause: status ? `SIP ${status}` : err.details.cause });
  }
  const { dialog, response } = opened;
  o.onAnswer?.(response);
  const session = new XmlCstaSession(new SipDialogCarrier(dialog, endpoint), o);
  if (response.body.byteLength) {
    let refusal: CstaSessionError | undefined;
    try {
      const m = decodeCsta(bodyText(response), o.limits).message;
      if (m.kind === 'error') refusal = new CstaSessionError('CSTA_UNIVERSAL_FAILURE', `${o.uri} refused the CSTA session: ${describeFailure(m.failure)}`, { failure: m.failure });
      else if (m.kind === 'response' && m.service === 'requestSystemStatus' && m.result.systemStatus !== 'normal') {
        refusal = new CstaSessionError('CSTA_REJECTED', `${o.uri} reports the system status ${m.result.systemStatus}`, { cause: m.result.systemStatus });
      }
    } catch (e) {
      refusal = new CstaSessionError('CSTA_PROTOCOL', `${o.uri} answered the INVITE with unreadable CSTA XML: ${(e as Error).message}`);
    }
    if (refusal) {
      await session.close();
      throw refusal;
    }
  }
  if (o.sessionTimer) keepSessionFresh(dialog, response, o.sessionTimer);
  return session;
}

const timerHeaders = (t: SessionTimerOptions): SipHeader[] => [{ name: 'Session-Expires', value: `${t.seconds};refresher=uac` }, { name: 'Supported', value: 'timer' }];

/**
 * Refreshes the session at half its interval (the one the peer's 2xx names, else ours). A refresh the peer refuses
 * or leaves unanswered ends the dialog (BYE), and with it the CSTA session (`CSTA_CONNECTION_LOST`).
 */
function keepSessionFresh(dialog: Dialog, first: SipResponse, t: SessionTimerOptions): void {
  const granted = (r: SipResponse) => {
    const v = Number(/^\s*(\d+)/.exec(header(r, 'Session-Expires') ?? '')?.[1] ?? 0);
    return v > 0 ? Math.min(v, t.seconds) : t.seconds;
  };
  let method = t.method ?? ((header(first, 'Allow') ?? '').toUpperCase().split(/\s*,\s*/).includes('UPDATE') ? 'update' : 'invite');
  let timer: NodeJS.Timeout | undefined;
  const schedule = (seconds: number) => {
    timer = setTimeout(() => void refresh(), seconds * 500);
    timer.unref();
  };
  const over = () => dialog.state === 'terminated';
  const refresh = async () => {
    if (over()) return;
    try {
      let res = await dialog.request(method === 'update' ? 'UPDATE' : 'INVITE', { headers: timerHeaders(t) });
      if (method === 'update' && (res.status === 405 || res.status === 501)) {
        method = 'invite';
        res = await dialog.request('INVITE', { headers: timerHeaders(t) });
      }
      if (res.status >= 300) throw new SipError('SIP_REQUEST_FAILED', `the session refresh (${method === 'update' ? 'UPDATE' : 're-INVITE'}) was answered ${res.status} ${res.reason}`, { status: res.status });
      schedule(granted(res));
    } catch (e) {
      if (over()) return;
      dialog.terminate(e instanceof SipError ? e : new SipError('SIP_REQUEST_FAILED', `the session refresh failed: ${(e as Error).message}`));
      void dialog.request('BYE').catch(() => undefined);
    }
  };
  dialog.on('terminated', () => clearTimeout(timer));
  schedule(granted(first));
}

/** How CSTA travels to a peer: INFO in an INVITE dialog (uaCSTA, CME), or out-of-dialog NOTIFY `Event: uaCSTA`. */
export type CstaSipMode = 'dialog' | 'notify';

/** A session to the peer in the configured mode (`dialog` by default; `notify` opens nothing before the first request). */
export async function openCstaSession(endpoint: SipEndpoint, o: OpenCstaDialogOptions & { mode?: CstaSipMode }): Promise<XmlCstaSession> {
  if ((o.mode ?? 'dialog') === 'dialog') return openCstaDialog(endpoint, o);
  return new XmlCstaSession(new SipNotifyCarrier(endpoint, { uri: o.uri, target: o.target, connection: o.connection }), o);
}

export interface AcceptCstaDialogOptions extends XmlCstaSwitchOptions {
  /** What the 200 reports when the INVITE asked for the system status (default normal). */
  systemStatus?: 'normal' | 'disabled' | 'partiallyDisabled' | 'initializing';
  /** Headers of the 200 (a session timer's Session-Expires). */
  headers?: SipHeader[];
}

/**
 * Accepts an INVITE that opens a CSTA dialog (any Content-Disposition, a RequestSystemStatus body or none) and
 * returns the switching function's side on it, answering requests with `handler`.
 */
export function acceptCstaDialog(endpoint: SipEndpoint, inc: IncomingRequest, handler: CstaRequestHandler, o: AcceptCstaDialogOptions = {}): XmlCstaSwitch {
  const edition = o.edition ?? 'ed3';
  const asked = inc.request.body.byteLength > 0 && (header(inc.request, 'Content-Type') ?? '').toLowerCase().startsWith(CSTA_CONTENT_TYPE);
  const dialog = inc.accept({ headers: o.headers, ...(asked ? { body: encodeResponse('requestSystemStatus', { systemStatus: o.systemStatus ?? 'normal' }, edition), contentType: CSTA_CONTENT_TYPE } : {}) });
  return new XmlCstaSwitch(new SipDialogCarrier(dialog, endpoint), handler, o);
}
