// The switching function's side of CSTA XML on a carrier: it answers requests with a handler's results (or a
// CSTAErrorCode) and sends events and device-list segments. The uaCSTA phone and CME doubles, and the uaCSTA
// server towards its CTI clients, stand on it.
import { CstaSessionError, type CstaEvent, type SwitchingFunctionDevicesArgs } from '../csta/model';
import type { CstaCarrier, CstaInbound } from './carrier';
import { decodeCsta, encodeCsta, encodeError, encodeEvent, encodeRequest, type CstaXmlMessage, type CstaXmlRequest } from './codec';
import type { CstaXmlEdition } from './editions';
import { CstaXmlError } from './errors';
import type { XmlLogger } from './session';
import type { XmlLimits } from './xml';
import { coded } from '../../../shared/problems';

/**
 * Answers one request: returns the service's result, or throws a CstaSessionError with `details.failure` (sent as
 * CSTAErrorCode; anything else thrown is sent as `unspecified`).
 */
export type CstaRequestHandler = (request: CstaXmlRequest) => unknown;

export interface XmlCstaSwitchOptions {
  edition?: CstaXmlEdition;
  limits?: XmlLimits;
  logger?: XmlLogger;
}

export class XmlCstaSwitch {
  private readonly edition: CstaXmlEdition;

  constructor(
    readonly carrier: CstaCarrier,
    private readonly handler: CstaRequestHandler,
    private readonly options: XmlCstaSwitchOptions = {},
  ) {
    this.edition = options.edition ?? 'ed3';
    carrier.onInbound((m) => void this.inbound(m));
  }

  /** Reports an event (a new request on the carrier, answered without a body). */
  async sendEvent(event: CstaEvent): Promise<void> {
    await this.carrier.send(encodeEvent(event, this.edition));
  }

  /** Sends one segment of a device list (after GetSwitchingFunctionDevices). */
  async sendDevices(args: SwitchingFunctionDevicesArgs): Promise<void> {
    await this.carrier.send(encodeRequest('switchingFunctionDevices', args, this.edition));
  }

  close(): Promise<void> {
    return this.carrier.close();
  }

  private async inbound(m: CstaInbound): Promise<void> {
    let msg: CstaXmlMessage;
    try {
      msg = decodeCsta(m.body, this.options.limits).message;
    } catch (e) {
      const code = e instanceof CstaXmlError ? e.code : 'CSTA_XML_MALFORMED';
      this.options.logger?.warn(coded('logServers.cstaXmlUnreadable', { peer: this.carrier.peer, failure: code, detail: (e as Error).message }));
      return m.refuse(400, `Bad CSTA XML: ${code}`);
    }
    if (msg.kind === 'unknown') return m.reply(encodeError({ category: 'operation', error: 'serviceNotSupported' }, this.edition));
    if (msg.kind !== 'request') return m.reply();
    let answer: string;
    try {
      const result = await this.handler(msg);
      answer = encodeCsta({ kind: 'response', service: msg.service, result } as CstaXmlMessage, this.edition);
    } catch (e) {
      const failure = e instanceof CstaSessionError ? e.details.failure : undefined;
      if (!failure) this.options.logger?.warn(coded('logServers.cstaXmlHandlerFailed', { peer: this.carrier.peer, service: msg.service, detail: (e as Error).message }));
      answer = encodeError(failure ?? { category: 'unspecified' }, this.edition);
    }
    m.reply(answer);
  }
}
