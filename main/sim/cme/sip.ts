// The simulated CME's CSTA over SIP side (reference addendum §2.2): a registrar that takes only the configured
// session servers' register-ids (digest with the xml user when "authenticate register" is on, expiry clamped
// 60-1800 s and to the session server's keepalive), and a CTI interface that accepts INVITE dialogs with
// RequestSystemStatus from a registered session server, answers GetCSTAFeatures and MonitorStart for its extensions
// and sends call events into the dialogs that monitor a number. The UNSURE points are settings (`CmeSipVariant`);
// faults drop the registration, refuse REGISTER or INVITE, end the dialogs or leave INFO unanswered.
import type { CstaEvent, CstaSwitchRequest } from '../../protocols/csta/model';
import { acceptCstaDialog, type CstaXmlRequest, type SipDialogCarrier, type XmlCstaSwitch } from '../../protocols/csta-xml';
import { BadRequest } from '../../web/http-guard';
import { CallModelError } from '../shared/call-model';
import { CmeCalls, deviceNumber, refuse } from './calls';
import { DigestServer, header, Registrar, SipEndpoint, toOf, type IncomingRequest } from '../../protocols/sip';
import type { PeerLog } from '../../log/rate-limit';
import { numbersInService, type CmeLayout, type CmeVoiceConfig } from './model';

/**
 * How the CTI interface behaves where the reference is UNSURE: which Request-URI opens a CTI dialog (`either`: the
 * session server's own (`sip:<register-id>@cme`, one dialog for all lines) or a line's (`sip:<DN>@cme`, one dialog per
 * DN, which may then monitor only that DN); `shared` or `perLine`: only that form), and the session timer: a dialog
 * not refreshed by re-INVITE within `sessionTimerS` seconds is ended with BYE (0 = no timer).
 */
export interface CmeSipVariant {
  ctiDialogs: 'either' | 'shared' | 'perLine';
  sessionTimerS: number;
}

export interface CmeSipOptions {
  host: string;
  port: number;
  /** Session servers, authenticate register, basic mode: read at each request (ISexecCLI changes them). */
  voice: CmeVoiceConfig;
  /** The xml user: the digest login when "authenticate register" is on (the manual: the AXL credentials). */
  login: { user: string; password: string };
  variant?: Partial<CmeSipVariant>;
}

/** Faults set through the control API. */
export interface CmeSipFaults {
  /** The next this many REGISTERs are answered 503. */
  refuseRegister: number;
  /** The next this many INVITEs opening a CTI dialog are answered 503. */
  refuseInvite: number;
  /** INFO requests in CTI dialogs get no answer (the CME hangs). */
  ignoreInfo: boolean;
  /** Services left out of the GetCSTAFeatures answer and refused (an older release); `getCSTAFeatures` refuses the exchange. */
  withhold: string[];
}

/** An open CTI dialog: the switch side, and the DN it was opened for (per-line form). */
interface Cti {
  side: XmlCstaSwitch;
  line: string | undefined;
  timer?: NodeJS.Timeout;
}

interface Monitor {
  side: XmlCstaSwitch;
  crossRef: string;
  number: string;
}

/** What `cti csta mode basic` leaves (UNSURE: the events a MOC client reads, pidgin-sipe). */
const BASIC_EVENTS = new Set(['originated', 'delivered', 'established', 'connectionCleared']);

/** The services the simulated CME names in its GetCSTAFeatures answer (the manual's TAPI list for CME). */
export const CME_SERVICES = [
  'makeCall', 'answerCall', 'clearConnection', 'holdCall', 'retrieveCall', 'alternateCall', 'consultationCall', 'transferCall', 'conferenceCall',
  'singleStepTransferCall', 'deflectCall', 'generateDigits', 'setForwarding', 'getForwarding', 'setDoNotDisturb', 'getDoNotDisturb', 'monitorStart', 'monitorStop', 'snapshotDevice',
] as const;

export class CmeSipService {
  readonly registrar: Registrar;
  private readonly monitors: Monitor[] = [];
  private readonly dialogs = new Set<Cti>();
  private nextRef = 1;
  readonly faults: CmeSipFaults = { refuseRegister: 0, refuseInvite: 0, ignoreInfo: false, withhold: [] };
  /** GetCSTAFeatures requests answered. */
  featureRequests = 0;
  readonly variant: CmeSipVariant;
  /** Re-INVITEs seen in CTI dialogs, and the Expires of the last REGISTER. */
  refreshes = 0;
  lastExpiresAsked: number | undefined;
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
    this.variant = { ctiDialogs: 'either', sessionTimerS: 0, ...o.variant };
    this.registrar = new Registrar({ minExpires: 60, maxExpires: 1800, maxExpiresOf: (user) => this.sessionServer(user)?.keepalive });
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

  /** Whether a session server has a live registration. */
  get registered(): boolean {
    return this.o.voice.sessionServers.some((v) => v.registerId && this.registrar.lookup(v.registerId).length > 0);
  }

  private sessionServer(user: string) {
    return user ? this.o.voice.sessionServers.find((v) => v.registerId.toLowerCase() === user.toLowerCase()) : undefined;
  }

  /** The fault "the CME forgot the session server": its registrations go and, with them, its CTI sessions. */
  async dropRegistration(): Promise<{ dropped: number; ended: number }> {
    let dropped = 0;
    for (const v of this.o.voice.sessionServers) if (v.registerId) dropped += this.registrar.drop(v.registerId);
    return { dropped, ended: await this.endDialogs() };
  }

  /** Ends every CTI dialog with BYE (`clear cti session`); returns how many. */
  async endDialogs(): Promise<number> {
    const open = [...this.dialogs];
    await Promise.all(open.map((d) => this.endDialog(d)));
    return open.length;
  }

  private async endDialog(d: Cti): Promise<void> {
    this.forget(d);
    await d.side.close().catch((e: Error) => this.log.warn(`BYE to the session server: ${e.message}`));
  }

  private forget(d: Cti): void {
    clearTimeout(d.timer);
    this.dialogs.delete(d);
    for (let i = this.monitors.length - 1; i >= 0; i--) if (this.monitors[i].side === d.side) this.monitors.splice(i, 1);
  }

  /** Open CTI dialogs: the DN of each per-line one, '' for the shared one. */
  openDialogs(): string[] {
    return [...this.dialogs].map((d) => d.line ?? '');
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
    if (!this.serviceEvents || this.o.voice.cstaModeBasic) return true;
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
    for (const d of this.dialogs) clearTimeout(d.timer);
    this.registrar.close();
    await this.endpoint.close();
  }

  private onRequest(inc: IncomingRequest): void {
    const method = inc.request.method;
    const voice = this.o.voice;
    if (method === 'REGISTER') {
      const user = toOf(inc.request).uri.user ?? '';
      if (!this.sessionServer(user)) return inc.respond(404, { reason: 'Not A Session Server' });
      if (this.faults.refuseRegister > 0) {
        this.faults.refuseRegister--;
        return inc.respond(503, { reason: 'Registrar Unavailable' });
      }
      const auth = this.o.login;
      if (voice.authenticateRegister && inc.authenticate(this.digest, (u) => (u === auth.user ? auth.password : undefined)) === undefined) return;
      const asked = Number(/expires=(\d+)/i.exec(header(inc.request, 'Contact') ?? '')?.[1] ?? header(inc.request, 'Expires') ?? NaN);
      if (Number.isFinite(asked)) this.lastExpiresAsked = asked;
      return this.registrar.handle(inc);
    }
    if (method === 'INVITE') {
      if (!this.registered) return inc.respond(403, { reason: 'Session Server Not Registered' });
      const target = inc.request.uri.match(/^sips?:([^@;>]+)@/i)?.[1] ?? '';
      const line = this.sessionServer(target) ? undefined : deviceNumber(target);
      const form = this.variant.ctiDialogs;
      if (line !== undefined && (form === 'shared' || !this.layout.extensions.some((x) => x.number === line))) return inc.respond(404, { reason: form === 'shared' ? 'CTI Session Is Per Session Server' : 'No Such Line' });
      if (line === undefined && form === 'perLine') return inc.respond(404, { reason: 'CTI Session Is Per Line' });
      if (this.faults.refuseInvite > 0) {
        this.faults.refuseInvite--;
        return inc.respond(503, { reason: 'CTI Unavailable' });
      }
      this.sessions++;
      const d: Cti = { side: undefined as unknown as XmlCstaSwitch, line };
      const timer = this.variant.sessionTimerS;
      d.side = acceptCstaDialog(this.endpoint, inc, (r) => this.answer(d, r), timer > 0 ? { headers: [{ name: 'Session-Expires', value: `${timer};refresher=uac` }] } : {});
      this.dialogs.add(d);
      d.side.carrier.onClosed(() => this.forget(d));
      const dialog = (d.side.carrier as SipDialogCarrier).dialog;
      this.armSessionTimer(d);
      dialog.on('request', (r) => {
        if (r.request.method !== 'INVITE') return;
        this.refreshes++;
        this.armSessionTimer(d);
      });
      return;
    }
    inc.respond(405);
  }

  /** With a session timer, a dialog not refreshed in time is ended (RFC 4028, as MS RCC gateways do). */
  private armSessionTimer(d: Cti): void {
    clearTimeout(d.timer);
    const s = this.variant.sessionTimerS;
    if (s <= 0) return;
    d.timer = setTimeout(() => void this.endDialog(d), s * 1000);
    d.timer.unref();
  }

  /** Sends `make(monitor)` to every open monitor of `number`. */
  private tell(number: string, make: (m: Monitor) => CstaEvent): void {
    for (const m of this.monitors.filter((x) => x.number === number && x.side.carrier.open)) {
      const event = make(m);
      if (this.o.voice.cstaModeBasic && !BASIC_EVENTS.has(event.name)) continue;
      m.side.sendEvent(event).catch((e: Error) => this.log.warn(`${event.name} to the session server: ${e.message}`));
    }
  }

  private answer(d: Cti, r: CstaXmlRequest | CstaSwitchRequest): unknown {
    // A hung CME: the INFO's transaction never gets its final answer.
    if (this.faults.ignoreInfo) return new Promise(() => undefined);
    const side = d.side;
    if (this.faults.withhold.includes(r.service)) throw refuse('serviceNotSupported');
    if (r.service === 'requestSystemStatus') return { systemStatus: 'normal' };
    if (r.service === 'getCSTAFeatures') {
      this.featureRequests++;
      return { services: CME_SERVICES.filter((x) => !this.faults.withhold.includes(x)) };
    }
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
    if (!this.layout.extensions.some((x) => x.number === number) || (d.line !== undefined && d.line !== number)) throw refuse('invalidDeviceID');
    const crossRef = String(this.nextRef++);
    const m = { side, crossRef, number };
    this.monitors.push(m);
    // A number no registered phone carries starts out of service; said after the response has gone.
    if (this.serviceEvents && !this.o.voice.cstaModeBasic && !this.inService(number)) setTimeout(() => this.sendServiceState(m), 50).unref();
    return { crossRefIdentifier: crossRef };
  }
}
