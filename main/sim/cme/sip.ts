// The simulated CME's CSTA over SIP side (reference addendum §2.2): a registrar that takes only the session
// server's register-id (digest with the xml user when "authenticate register" is on, expiry clamped 60-1800 s),
// and a CTI interface that accepts INVITE dialogs with RequestSystemStatus from a registered session server,
// answers MonitorStart for its extensions and sends call events into the dialogs that monitor a number.
import { CstaSessionError, type CstaEvent, type CstaSwitchRequest } from '../../protocols/csta/model';
import { acceptCstaDialog, type CstaXmlRequest, type XmlCstaSwitch } from '../../protocols/csta-xml';
import { DigestServer, Registrar, SipEndpoint, toOf, type IncomingRequest } from '../../protocols/sip';
import type { PeerLog } from '../../log/rate-limit';
import type { CmeLayout } from './model';

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

/** `6001`, `tel:6001`, `sip:6001@cme` → `6001` (the addendum: CME may convert device IDs). */
export function deviceNumber(id: string): string {
  return id.replace(/^(tel|sip):/i, '').replace(/@.*$/, '').replace(/;.*$/, '');
}

function refuse(error: string): CstaSessionError {
  return new CstaSessionError('CSTA_UNIVERSAL_FAILURE', error, { failure: { category: 'operation', error } });
}

export class CmeSipService {
  readonly registrar: Registrar;
  private readonly monitors: Monitor[] = [];
  private nextRef = 1;
  private nextCall = 1;
  /** Calls by ID: their two ends. */
  private readonly calls = new Map<string, [string, string]>();
  /** Numbers with do-not-disturb on. */
  readonly dnd = new Set<string>();
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
    const endpoint = await SipEndpoint.start({ user: 'cme', listen: [{ host: o.host, port: o.port }], logger: { warn: (m) => log.warn(m), error: (m) => log.error(m), info() {}, debug() {} } });
    return new CmeSipService(endpoint, layout, o, log);
  }

  get port(): number {
    return this.endpoint.servers[0].port;
  }

  /** Whether the session server has a live registration. */
  get registered(): boolean {
    return this.registrar.lookup(this.o.registerId).length > 0;
  }

  /** A call from outside to `to`: a DeliveredEvent in every dialog monitoring that number; returns the call ID. */
  placeCall(from: string, to: string): string {
    const callId = String(this.nextCall++);
    this.calls.set(callId, [from, to]);
    for (const m of this.monitors.filter((x) => x.number === to && x.side.carrier.open)) {
      const event: CstaEvent = {
        category: 'callControl',
        name: 'delivered',
        monitorCrossRefId: m.crossRef,
        connection: { callId, device: { id: to } },
        alertingDevice: { id: to },
        callingDevice: { id: from },
        calledDevice: { id: to },
        lastRedirectionDevice: { unavailable: 'notKnown' },
        localConnectionInfo: 'alerting',
        cause: 'newCall',
      };
      m.side.sendEvent(event).catch((e: Error) => this.log.warn(`DeliveredEvent to the session server: ${e.message}`));
    }
    return callId;
  }

  /** Whether a registered phone carries `number` on one of its buttons (the manual: in service while one is). */
  inService(number: string): boolean {
    const ids = new Set(this.layout.extensions.filter((x) => x.number === number).map((x) => x.id));
    return this.layout.ephones.some((e) => e.registered && [...e.buttons.values()].some((id) => ids.has(id)));
  }

  /** Registers or unregisters a phone; monitors of its numbers whose service state changes get Out/BackInService. */
  setRegistered(ephoneId: number, registered: boolean): boolean {
    const e = this.layout.ephones.find((p) => p.id === ephoneId);
    if (!e) return false;
    const numbers = [...e.buttons.values()].map((id) => this.layout.extensions.find((x) => x.id === id)?.number).filter((n): n is string => !!n);
    const before = new Map(numbers.map((n) => [n, this.inService(n)]));
    e.registered = registered;
    for (const m of this.monitors.filter((x) => before.has(x.number) && x.side.carrier.open)) {
      if (before.get(m.number) !== this.inService(m.number)) this.sendServiceState(m);
    }
    return true;
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

  private known(id: string | undefined): string {
    const number = deviceNumber(id ?? '');
    if (!this.layout.extensions.some((x) => x.number === number)) throw refuse('invalidDeviceID');
    return number;
  }

  /** MakeCall: the caller's monitors see the call originated, an extension called sees it delivered. */
  private makeCall(from: string, to: string): unknown {
    const callId = String(this.nextCall++);
    this.calls.set(callId, [from, to]);
    const base = { callingDevice: { id: from }, calledDevice: { id: to }, lastRedirectionDevice: { unavailable: 'notKnown' as const } };
    this.tell(from, (m) => ({ category: 'callControl', name: 'originated', monitorCrossRefId: m.crossRef, originatedConnection: { callId, device: { id: from } }, ...base, localConnectionInfo: 'connected', cause: 'normal' }));
    this.tell(to, (m) => ({ category: 'callControl', name: 'delivered', monitorCrossRefId: m.crossRef, connection: { callId, device: { id: to } }, alertingDevice: { id: to }, ...base, localConnectionInfo: 'alerting', cause: 'newCall' }));
    return { callingDevice: { callId, device: { id: from } } };
  }

  /** ClearConnection: the call ends for both ends' monitors. */
  private clear(callId: string, by: string): unknown {
    const ends = this.calls.get(callId);
    if (!ends) throw refuse('invalidConnectionID');
    this.calls.delete(callId);
    for (const end of new Set(ends)) {
      this.tell(end, (m) => ({ category: 'callControl', name: 'connectionCleared', monitorCrossRefId: m.crossRef, droppedConnection: { callId, device: { id: end } }, releasingDevice: { id: by }, localConnectionInfo: 'null', cause: 'normalClearing' }));
    }
    return {};
  }

  private answer(side: XmlCstaSwitch, r: CstaXmlRequest | CstaSwitchRequest): unknown {
    if (r.service === 'makeCall') {
      const a = r.args as { callingDevice?: { id?: string }; calledDirectoryNumber?: { id?: string } };
      const to = deviceNumber(a.calledDirectoryNumber?.id ?? '');
      if (!/^[0-9*#+]{1,32}$/.test(to)) throw refuse('invalidCalledDeviceID');
      return this.makeCall(this.known(a.callingDevice?.id), to);
    }
    if (r.service === 'clearConnection') {
      const a = r.args as { connectionToBeCleared?: { callId?: string; device?: { id?: string } } };
      return this.clear(a.connectionToBeCleared?.callId ?? '', deviceNumber(a.connectionToBeCleared?.device?.id ?? ''));
    }
    if (r.service === 'setDoNotDisturb') {
      const a = r.args as { device?: { id?: string }; doNotDisturbOn?: boolean };
      const number = this.known(a.device?.id);
      const on = a.doNotDisturbOn === true;
      if (on) this.dnd.add(number);
      else this.dnd.delete(number);
      this.tell(number, (m) => ({ category: 'logicalDeviceFeature', name: 'doNotDisturb', monitorCrossRefId: m.crossRef, device: { id: number }, doNotDisturbOn: on }));
      return {};
    }
    if (r.service !== 'monitorStart') throw refuse('serviceNotSupported');
    const args = r.args as { monitorObject?: { device?: { id?: string } } };
    const number = deviceNumber(args.monitorObject?.device?.id ?? '');
    if (!this.layout.extensions.some((x) => x.number === number)) throw refuse('invalidDeviceID');
    const crossRef = String(this.nextRef++);
    const m = { side, crossRef, number };
    this.monitors.push(m);
    // A number no registered phone carries starts out of service; said after the response has gone.
    if (!this.inService(number)) setTimeout(() => this.sendServiceState(m), 50).unref();
    return { crossRefIdentifier: crossRef };
  }
}
