// The simulated CME's CSTA over SIP side (reference addendum §2.2): a registrar that takes only the session
// server's register-id (digest with the xml user when "authenticate register" is on, expiry clamped 60-1800 s),
// and a CTI interface that accepts INVITE dialogs with RequestSystemStatus from a registered session server,
// answers MonitorStart for its extensions and sends call events into the dialogs that monitor a number.
import type { CstaEvent, CstaSwitchRequest } from '../../protocols/csta/model';
import { acceptCstaDialog, type CstaXmlRequest, type XmlCstaSwitch } from '../../protocols/csta-xml';
import { BadRequest } from '../../web/http-guard';
import { CallModelError } from '../shared/call-model';
import { CmeCalls, deviceNumber, refuse } from './calls';
import { DigestServer, Registrar, SipEndpoint, toOf, type IncomingRequest } from '../../protocols/sip';
import type { PeerLog } from '../../log/rate-limit';
import { numbersInService, type CmeLayout } from './model';

export interface CmeSipOptions {
  host: string;
  port: number;
  /** The session server's `register-id`. */
  registerId: string;
  /** `voice register global / authenticate register`: REGISTER needs digest with these credentials. */
  authenticate?: { user: string; password: string };
}

interface Monitor {
  side: XmlCstaSwitch;
  crossRef: string;
  number: string;
}

export class CmeSipService {
  readonly registrar: Registrar;
  private readonly monitors: Monitor[] = [];
  private nextRef = 1;
  readonly calls: CmeCalls;
  /** Whether service states are reported (OutOfService / BackInService at MonitorStart and on (un)registration); a fault turns it off. */
  serviceEvents = true;
  /** The digest user is the xml user, not the register-id (the manual: the AXL credentials), so not the registrar's own check. */
  private readonly digest = new DigestServer({ realm: 'cme' });
  sessions = 0;

  private constructor(
    readonly endpoint: SipEndpoint,
    private readonly layout: CmeLayout,
    private readonly o: CmeSipOptions,
    private readonly log: PeerLog,
  ) {
    this.registrar = new Registrar({ minExpires: 60, maxExpires: 1800 });
    // Numbers looked up again on a miss, as ISexecCLI may add extensions while the simulator runs.
    let numbers = new Set<string>();
    const has = (n: string) => numbers.has(n) || (numbers = new Set(layout.extensions.map((x) => x.number))).has(n);
    this.calls = new CmeCalls({ has, get: (n) => (has(n) ? {} : undefined) }, (n, make) => this.tell(n, (m) => make(m.crossRef)));
    this.refreshService();
    endpoint.on('request', (inc) => {
      try {
        this.onRequest(inc);
      } catch (e) {
        log.warn(`SIP ${inc.request.method}: ${(e as Error).message}; answered 500`);
        inc.respond(500);
      }
    });
  }

  static async start(layout: CmeLayout, o: CmeSipOptions, log: PeerLog): Promise<CmeSipService> {
    const endpoint = await SipEndpoint.start({ user: 'cme', listen: [{ host: o.host, port: o.port }], logger: { warn: (m) => log.warn(typeof m === 'string' ? m : m.message), error: (m) => log.error(typeof m === 'string' ? m : m.message), info() {}, debug() {} } });
    return new CmeSipService(endpoint, layout, o, log);
  }

  get port(): number {
    return this.endpoint.servers[0].port;
  }

  /** Whether the session server has a live registration. */
  get registered(): boolean {
    return this.registrar.lookup(this.o.registerId).length > 0;
  }

  /** A call from outside (or from one of its phones) to `to`; returns the call ID. */
  placeCall(from: string, to: string): string {
    return this.byHand(() => {
      const { callID, events } = this.calls.model.makeCall(from, to, 'newCall');
      this.calls.emit(events);
      return callID;
    });
  }

  /** What a phone's user does by hand: answers or hangs up a call, or lifts the handset (dial tone). */
  phoneAction(action: 'answer' | 'clear' | 'offhook', device: string, callId = ''): { callId: string } {
    const model = this.calls.model;
    return this.byHand(() => {
      if (action === 'offhook') {
        const { callID, events } = model.offHook(device);
        this.calls.emit(events);
        return { callId: callID };
      }
      this.calls.emit(action === 'answer' ? model.answer(callId, device || undefined) : model.clear(callId, device || undefined));
      return { callId };
    });
  }

  /** The model's refusal of something done through the control API, as its HTTP answer (409 or 404). */
  private byHand<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof CallModelError) throw new BadRequest(e.reason === 'invalidState' ? 409 : 404, e.message);
      throw e;
    }
  }

  /** Whether a registered phone carries `number` on one of its buttons, or a user logged in there (the manual: in service while one is). */
  inService(number: string): boolean {
    // The call model's view, which refreshService keeps in step with the layout.
    return this.calls.model.inService(number);
  }

  /**
   * Registers or unregisters a phone; with `serviceEvents` on, monitors of its numbers whose service state changes
   * get OutOfService / BackInService. Returns false for an unknown phone.
   */
  setRegistered(ephoneId: number, registered: boolean): boolean {
    const e = this.layout.ephones.find((p) => p.id === ephoneId);
    if (!e) return false;
    const before = numbersInService(this.layout);
    e.registered = registered;
    const after = this.refreshService();
    if (!this.serviceEvents) return true;
    for (const m of this.monitors.filter((x) => x.side.carrier.open && before.has(x.number) !== after.has(x.number))) this.sendServiceState(m);
    return true;
  }

  /**
   * Brings the call model's in-service numbers up to date after a change of registrations or mobility logins (calls
   * to a number no registered phone carries fail, destOutOfOrder). The CTI side is told nothing about mobility
   * logins: a session server learns of them by polling the XML API, which is why the manual's driver does.
   */
  refreshService(): Set<string> {
    const up = numbersInService(this.layout);
    const model = this.calls.model;
    for (const x of this.layout.extensions) if (x.number && model.inService(x.number) !== up.has(x.number)) model.setInService(x.number, up.has(x.number));
    return up;
  }

  monitoredNumbers(): string[] {
    return this.monitors.filter((m) => m.side.carrier.open).map((m) => m.number);
  }

  private sendServiceState(m: Monitor): void {
    if (!m.side.carrier.open) return;
    const event: CstaEvent = { category: 'deviceMaintenance', name: this.inService(m.number) ? 'backInService' : 'outOfService', monitorCrossRefId: m.crossRef, device: { id: m.number } };
    m.side.sendEvent(event).catch((e: Error) => this.log.warn(`${event.name} to the session server: ${e.message}`));
  }

  async close(): Promise<void> {
    this.registrar.close();
    await this.endpoint.close();
  }

  private onRequest(inc: IncomingRequest): void {
    const method = inc.request.method;
    if (method === 'REGISTER') {
      const user = toOf(inc.request).uri.user ?? '';
      if (user !== this.o.registerId) return inc.respond(404, { reason: 'Not A Session Server' });
      const auth = this.o.authenticate;
      if (auth && inc.authenticate(this.digest, (u) => (u === auth.user ? auth.password : undefined)) === undefined) return;
      return this.registrar.handle(inc);
    }
    if (method === 'INVITE') {
      if (!this.registered) return inc.respond(403, { reason: 'Session Server Not Registered' });
      this.sessions++;
      const side = acceptCstaDialog(this.endpoint, inc, (r) => this.answer(side, r));
      return;
    }
    inc.respond(405);
  }

  /** Sends `make(monitor)` to every open monitor of `number`. */
  private tell(number: string, make: (m: Monitor) => CstaEvent): void {
    for (const m of this.monitors.filter((x) => x.number === number && x.side.carrier.open)) {
      const event = make(m);
      m.side.sendEvent(event).catch((e: Error) => this.log.warn(`${event.name} to the session server: ${e.message}`));
    }
  }

  private answer(side: XmlCstaSwitch, r: CstaXmlRequest | CstaSwitchRequest): unknown {
    if (r.service === 'monitorStop') {
      const ref = (r.args as { crossRefIdentifier?: string }).crossRefIdentifier;
      const i = this.monitors.findIndex((m) => m.side === side && m.crossRef === ref);
      if (i < 0) throw refuse('invalidMonitorCrossRefID');
      this.monitors.splice(i, 1);
      return {};
    }
    const done = r.service === 'monitorStart' ? undefined : this.calls.handle(r as CstaXmlRequest);
    if (done !== undefined) return done;
    if (r.service !== 'monitorStart') throw refuse('serviceNotSupported');
    const args = r.args as { monitorObject?: { device?: { id?: string } } };
    const number = deviceNumber(args.monitorObject?.device?.id ?? '');
    if (!this.layout.extensions.some((x) => x.number === number)) throw refuse('invalidDeviceID');
    const crossRef = String(this.nextRef++);
    const m = { side, crossRef, number };
    this.monitors.push(m);
    // A number no registered phone carries starts out of service; said after the response has gone.
    if (this.serviceEvents && !this.inService(number)) setTimeout(() => this.sendServiceState(m), 50).unref();
    return { crossRefIdentifier: crossRef };
  }
}
