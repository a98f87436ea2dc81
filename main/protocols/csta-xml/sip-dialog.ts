// Opening and accepting the long-lived INVITE dialog that carries CSTA XML (uaCSTA server -> phone, CME CTI
// client -> CME, Microsoft RCC): the INVITE carries RequestSystemStatus and the 200 its response (reference
// addendum §1.2, §2.2). UNSURE, so settings: whether the INVITE has that body (`inviteBody`), and the
// Content-Disposition (`signal;handling=required` written; any accepted).
import { CstaSessionError, describeFailure } from '../csta/model';
import { bodyText, header, type IncomingRequest, type SipConnection, type SipEndpoint, type SipHeader, type SipResponse, type Target } from '../sip';
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
      headers: [...(withBody ? [{ name: 'Content-Disposition', value: 'signal;handling=required' }] : []), ...(o.headers ?? [])],
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
  return session;
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
