// A simulated uaCSTA SIP phone of one vendor profile (snom, Yealink, Auerswald, Mitel): it registers at a
// registrar over TCP or TLS with digest (its MAC as user name) and the vendor's User-Agent, accepts the server's
// INVITE for the CSTA dialog and answers CSTA XML in INFO through XmlCstaSwitch, with the vendor's features only
// (what the manual's tables say it lacks is refused serviceNotSupported, as the real phone does). Its call model
// has no media: calls in and out, hold, consultation, transfer, conference, deflection, DTMF, DND and forwarding,
// each reported as CSTA events on every monitor. A number no phone of its SimExchange has is an outside party; a
// number another phone of the exchange has rings that phone, and each side reports the call as it sees it.
// Faults: stop answering, drop the connection, unplug (unregister).
import { CstaSessionError, type ConnectionRef, type CstaEvent, type CstaServiceName, type ForwardingListEntry, type SnapshotDeviceCall } from '../../protocols/csta/model';
import { acceptCstaDialog, SipDialogCarrier, SipNotifyCarrier, XmlCstaSwitch, type CstaXmlEdition, type CstaXmlRequest } from '../../protocols/csta-xml';
import { header, normaliseMacUser, SipEndpoint, type SipLogger, type SipRequest, type SipResponse } from '../../protocols/sip';

export type PhoneVendor = 'snom' | 'yealink' | 'auerswald' | 'mitel';
export const PHONE_VENDORS: PhoneVendor[] = ['snom', 'yealink', 'auerswald', 'mitel'];

interface VendorProfile {
  userAgent: string;
  /** The vendor's OUI (first six hex digits of its MACs). */
  oui: string;
  edition: CstaXmlEdition;
  deviceId: (user: string, host: string, port: number) => string;
  /** Services the phone answers serviceNotSupported (the manual's "Not supported" rows; AlternateCall everywhere). */
  lacks: CstaServiceName[];
}

/** What differs between the vendors this simulator plays (manual §2.4, §3.4; reference addendum §1.4, §1.5). */
export const VENDOR_PROFILES: Record<PhoneVendor, VendorProfile> = {
  // snom answers ed5 whatever it was asked in, and names devices sip:user@server
  snom: { userAgent: 'snomD785/10.1.73.14', oui: '000413', edition: 'ed5', deviceId: (u, h) => `sip:${u}@${h}`, lacks: ['alternateCall', 'directedPickupCall', 'snapshotCall'] },
  // Yealink reports sip:user@server:port
  yealink: { userAgent: 'Yealink SIP-T46G 28.73.98.4', oui: '001565', edition: 'ed5', deviceId: (u, h, p) => `sip:${u}@${h}:${p}`, lacks: ['alternateCall', 'directedPickupCall', 'snapshotCall', 'systemRegister', 'systemRegisterCancel'] },
  auerswald: { userAgent: 'Auerswald COMfortel 2600 IP 2.8D', oui: '000952', edition: 'ed5', deviceId: (u, h) => `sip:${u}@${h}`, lacks: ['alternateCall', 'directedPickupCall', 'snapshotCall'] },
  // Mitel (formerly Aastra) 6800i: ECMA-323 ed3, and no SystemRegister
  mitel: { userAgent: 'Mitel 6867i/4.1.0.2033', oui: '00085d', edition: 'ed3', deviceId: (u, h) => `sip:${u}@${h}`, lacks: ['alternateCall', 'directedPickupCall', 'systemRegister', 'systemRegisterCancel'] },
};

export interface SimSipPhoneOptions {
  /** 12 hex digits (any spelling is normalised). */
  mac: string;
  password: string;
  server: { host: string; port: number };
  /** Register and take the CSTA dialog over TLS, trusting `ca` (default TCP). */
  tls?: { ca?: string | Buffer };
  vendor?: PhoneVendor;
  /** `notify`: CSTA in out-of-dialog NOTIFY (Event: uaCSTA) over the registration's connection, no INVITE dialog. */
  mode?: 'dialog' | 'notify';
  /** Another User-Agent than the vendor's (an older firmware, say). */
  userAgent?: string;
  /** The phone's SIP identities (user parts, e.g. extension numbers); default one, `201`. */
  identities?: string[];
  /** Registration expiry asked for, in seconds (default 300 as in the manual's examples). */
  expires?: number;
  /** Honour the server's Session-Expires: end a CSTA dialog (BYE) that no re-INVITE or UPDATE refreshed in time. */
  sessionTimer?: boolean;
  /** The phones this one can call (a fleet's, a demo's); without one every number is an outside party. */
  exchange?: SimExchange;
  logger?: SipLogger;
}

export type CallState = 'initiated' | 'alerting' | 'delivered' | 'connected' | 'held';

export interface SimCall {
  id: string;
  /** The phone's identity (device ID) on this call. */
  device: string;
  /** The other party's number. */
  peer: string;
  direction: 'in' | 'out';
  state: CallState;
  /** The same call's legs at other phones of the exchange (two in a conference; none with an outside party). */
  links: CallLink[];
}

export interface CallLink {
  phone: SimSipPhone;
  callId: string;
}

/** The phones of one fleet or process: a number one of them has (the user part of an identity) rings it. */
export class SimExchange {
  private readonly phones = new Set<SimSipPhone>();

  add(p: SimSipPhone): void {
    this.phones.add(p);
  }

  remove(p: SimSipPhone): void {
    this.phones.delete(p);
  }

  list(): SimSipPhone[] {
    return [...this.phones];
  }

  /** The phone a number reaches: the one with that identity, after its immediate forwarding (a few hops at most). */
  find(number: string): SimSipPhone | undefined {
    let phone: SimSipPhone | undefined;
    for (let hops = 0, target = number; hops < 5; hops++) {
      const user = userOf(target);
      phone = [...this.phones].find((p) => p.identities.some((x) => userOf(x) === user));
      const fwd = phone?.forwarding.get('forwardImmediate');
      if (!fwd?.forwardStatus || !fwd.forwardDN) break;
      target = fwd.forwardDN.id;
    }
    return phone;
  }
}

const failure = (error: string) => new CstaSessionError('CSTA_UNIVERSAL_FAILURE', error, { failure: { category: 'operation', error } });

export class SimSipPhone {
  readonly mac: string;
  readonly vendor: PhoneVendor;
  readonly identities: string[];
  /** From and Contact of each CSTA INVITE the server sent (the address it advertises). */
  readonly invites: Array<{ from: string; contact: string; sessionExpires?: string }> = [];
  /** Session refreshes the server sent in its CSTA dialogs (INVITE or UPDATE), in order. */
  readonly refreshes: string[] = [];
  /** The services the server asked for, in order (what a test checks arrived). */
  readonly requests: string[] = [];
  readonly calls = new Map<string, SimCall>();
  /** Monitor cross-reference IDs started by the server, with the device each watches. */
  readonly monitors = new Map<string, string>();
  /** A fault: the phone stops answering CSTA requests (the SIP dialog stays up). */
  unresponsive = false;
  /** Its last REGISTER was granted and nothing (unplug, dropped connection) ended it since. */
  registered = false;
  /** Do not disturb, as SetDoNotDisturb left it. */
  doNotDisturb = false;
  /** Call forwarding by type (immediate, busy, noAns …), as SetForwarding left it. */
  readonly forwarding = new Map<string, ForwardingListEntry>();
  /** The server registered for configuration changes (SystemRegister, not cancelled). */
  systemRegistered = false;
  /** DTMF digits sent per call (GenerateDigits). */
  readonly digits = new Map<string, string>();
  private readonly switches = new Set<XmlCstaSwitch>();
  private nextCall = 1;
  private nextMonitor = 1;
  private cseq = 1;
  private readonly callId: string;
  private refresh: NodeJS.Timeout | undefined;

  private constructor(readonly endpoint: SipEndpoint, private readonly o: SimSipPhoneOptions) {
    this.mac = normaliseMacUser(o.mac);
    this.vendor = o.vendor ?? 'snom';
    this.identities = (o.identities ?? ['201']).map((u) => VENDOR_PROFILES[this.vendor].deviceId(u, o.server.host, o.server.port));
    this.callId = `reg-${this.mac}-${Date.now().toString(36)}`;
    o.exchange?.add(this);
    endpoint.on('request', (inc) => {
      try {
        // NOTIFY with Event: uaCSTA belongs to the notify carrier (it answers them)
        if (inc.request.method === 'NOTIFY' && this.o.mode === 'notify') return;
        if (inc.request.method === 'INVITE') {
          const expires = header(inc.request, 'Session-Expires');
          this.invites.push({ from: header(inc.request, 'From') ?? '', contact: header(inc.request, 'Contact') ?? '', ...(expires ? { sessionExpires: expires } : {}) });
          const sw = acceptCstaDialog(endpoint, inc, (r) => this.handle(r), { edition: VENDOR_PROFILES[this.vendor].edition, logger: o.logger });
          this.accept(sw);
          this.watchSession(sw, inc.request);
        }
        else if (inc.request.method === 'OPTIONS') inc.respond(200);
        else inc.respond(405);
      } catch (e) {
        o.logger?.warn('simulated phone could not handle a request', { method: inc.request.method, message: (e as Error).message });
      }
    });
  }

  static async start(o: SimSipPhoneOptions): Promise<SimSipPhone> {
    const vendor = VENDOR_PROFILES[o.vendor ?? 'snom'];
    const mac = normaliseMacUser(o.mac);
    const ep = await SipEndpoint.start({ user: mac, credentials: { user: mac, password: o.password }, userAgent: o.userAgent ?? vendor.userAgent, logger: o.logger, timers: { tryingMs: 50 }, tls: o.tls });
    return new SimSipPhone(ep, o);
  }

  get userAgent(): string {
    return this.o.userAgent ?? VENDOR_PROFILES[this.vendor].userAgent;
  }

  /** True while the server holds a CSTA dialog to this phone. */
  get controlled(): boolean {
    return [...this.switches].some((s) => s.carrier.open);
  }

  /** REGISTER (or with 0, unregister); resolves with the final answer. */
  async register(expires = this.o.expires ?? 300): Promise<SipResponse> {
    const { host, port } = this.o.server;
    if (this.o.mode === 'notify' && expires > 0 && ![...this.switches].some((s) => s.carrier.open)) {
      // CSTA rides NOTIFYs on the connection the phone registers over
      const transport = this.o.tls ? 'TLS' : 'TCP';
      const connection = await this.endpoint.connectionTo({ host, port, transport });
      this.accept(new XmlCstaSwitch(new SipNotifyCarrier(this.endpoint, { uri: `sip:uacsta@${host}:${port};transport=${transport.toLowerCase()}`, connection }), (r) => this.handle(r), { edition: VENDOR_PROFILES[this.vendor].edition, logger: this.o.logger }));
    }
    const res = await this.endpoint.register({ registrar: `sip:${host}:${port};transport=${this.o.tls ? 'tls' : 'tcp'}`, aor: `sip:${this.mac}@${host}`, expires, callId: this.callId, cseq: this.cseq++ });
    if (res.status === 200) this.registered = expires > 0;
    return res;
  }

  /** Registers and refreshes the registration at half its granted time until close() (as a phone does). */
  async keepRegistered(): Promise<SipResponse> {
    clearTimeout(this.refresh);
    const res = await this.register();
    const granted = /;expires=(\d+)/.exec(header(res, 'Contact') ?? '')?.[1];
    const seconds = res.status === 200 ? Number(granted ?? this.o.expires ?? 300) : 30;
    this.refresh = setTimeout(() => void this.keepRegistered().catch((e: Error) => this.o.logger?.warn(`phone ${this.mac}: REGISTER failed: ${e.message}`)), (seconds * 1000) / 2);
    this.refresh.unref();
    this.o.logger?.info(`phone ${this.mac}: REGISTER answered ${res.status} ${res.reason}`);
    return res;
  }

  /** A call from `from` rings at the phone's first identity; Delivered goes to every monitor. */
  async ring(from: string): Promise<string> {
    const call = this.newCall(from, 'in', 'alerting');
    await this.reportAlerting(call);
    return call.id;
  }

  /** The called party of an outgoing call answers, or the user picks up a ringing call: Established, on both sides. */
  async connect(callId: string): Promise<void> {
    const call = this.calls.get(callId);
    if (!call) throw new Error(`no call ${callId}`);
    await this.established(call);
    for (const l of call.links) {
      const far = l.phone.calls.get(l.callId);
      if (far && far.state !== 'connected') await l.phone.established(far);
    }
  }

  /** This side hangs up: ConnectionCleared here and at the other phones of the call. */
  async hangup(callId: string): Promise<void> {
    const call = this.calls.get(callId);
    if (!call) throw new Error(`no call ${callId}`);
    this.calls.delete(callId);
    await this.report((x) => ({ category: 'callControl', name: 'connectionCleared', monitorCrossRefId: x, droppedConnection: this.conn(call), releasingDevice: { id: call.device }, localConnectionInfo: 'null', cause: 'normalClearing' }));
    for (const l of call.links) await l.phone.partyLeft(l.callId, { phone: this, callId }, call.device);
  }

  /** Ends the CSTA dialogs with BYE (as a phone whose CSTA control is switched off). */
  async dropDialogs(): Promise<void> {
    for (const s of [...this.switches]) await s.close();
    this.switches.clear();
    // monitors live in the dialog that started them (onClosed hears only of ends we did not cause)
    this.monitors.clear();
  }

  /** A fault: the phone's connection to the server breaks (no BYE, no unregister); it stops refreshing until register() is called again. */
  async dropConnection(): Promise<void> {
    clearTimeout(this.refresh);
    const { host, port } = this.o.server;
    const conn = await this.endpoint.connectionTo({ host, port, transport: this.o.tls ? 'TLS' : 'TCP' });
    conn.close();
    this.registered = false;
    this.switches.clear();
    this.monitors.clear();
  }

  /**
   * Its configuration changes to other accounts (user parts): a server that registered for changes (SystemRegister)
   * gets the new device list at once, in `segments` parts; any other reads it when it next asks.
   */
  async changeIdentities(users: string[], segments = 1): Promise<void> {
    this.identities.splice(0, this.identities.length, ...users.map((u) => VENDOR_PROFILES[this.vendor].deviceId(u, this.o.server.host, this.o.server.port)));
    if (this.systemRegistered) await this.sendDevices(segments);
  }

  /** A fault: the phone forgets its CSTA dialogs without a BYE (as after a crash); requests in them get 481. */
  forgetDialogs(): void {
    for (const s of this.switches) if (s.carrier instanceof SipDialogCarrier) s.carrier.dialog.terminate(undefined);
    this.switches.clear();
    this.monitors.clear();
  }

  /** A fault: the phone is unplugged, as the server sees it: it unregisters, its dialogs end, it refreshes no more. */
  async unplug(): Promise<void> {
    clearTimeout(this.refresh);
    this.registered = false;
    await this.register(0);
    await this.dropDialogs();
  }

  async close(): Promise<void> {
    clearTimeout(this.refresh);
    this.o.exchange?.remove(this);
    await this.dropDialogs();
    await this.endpoint.close();
  }

  private accept(sw: XmlCstaSwitch): void {
    this.switches.add(sw);
    this.o.logger?.info(`phone ${this.mac}: CSTA dialog opened by ${sw.carrier.peer}`);
    sw.carrier.onClosed(() => {
      this.o.logger?.info(`phone ${this.mac}: CSTA dialog ended by the server`);
      this.switches.delete(sw);
      this.monitors.clear();
    });
  }

  /** Notes the dialog's refreshes; with `sessionTimer`, a dialog not refreshed within its Session-Expires ends. */
  private watchSession(sw: XmlCstaSwitch, invite: SipRequest): void {
    if (!(sw.carrier instanceof SipDialogCarrier)) return;
    const dialog = sw.carrier.dialog;
    const seconds = (r: SipRequest) => Number(/^\s*(\d+)/.exec(header(r, 'Session-Expires') ?? '')?.[1] ?? 0);
    let timer: NodeJS.Timeout | undefined;
    const arm = (s: number) => {
      clearTimeout(timer);
      if (!this.o.sessionTimer || s <= 0) return;
      timer = setTimeout(() => {
        this.o.logger?.info(`phone ${this.mac}: CSTA dialog expired without a refresh`);
        this.switches.delete(sw);
        this.monitors.clear();
        void sw.close().catch(() => undefined);
      }, s * 1000);
      timer.unref();
    };
    dialog.on('request', (inc) => {
      if (inc.request.method !== 'INVITE' && inc.request.method !== 'UPDATE') return;
      this.refreshes.push(inc.request.method);
      arm(seconds(inc.request));
    });
    dialog.on('terminated', () => clearTimeout(timer));
    arm(seconds(invite));
  }

  private handle(r: CstaXmlRequest): unknown {
    if (this.unresponsive) return new Promise(() => undefined);
    this.requests.push(r.service);
    this.o.logger?.debug(`phone ${this.mac}: ${r.service}`);
    if (VENDOR_PROFILES[this.vendor].lacks.includes(r.service as CstaServiceName)) throw failure('serviceNotSupported');
    switch (r.service) {
      case 'requestSystemStatus':
        return { systemStatus: 'normal' };
      case 'systemRegister':
        this.systemRegistered = true;
        return { sysStatRegisterID: '1' };
      case 'systemRegisterCancel':
        this.systemRegistered = false;
        return {};
      case 'monitorStart': {
        const obj = r.args.monitorObject;
        if (!('device' in obj) || !this.owns(obj.device.id)) throw failure('invalidMonitorObject');
        const id = String(this.nextMonitor++);
        this.monitors.set(id, obj.device.id);
        return { crossRefIdentifier: id, monitorExistingCalls: true };
      }
      case 'monitorStop':
        if (!this.monitors.delete(r.args.crossRefIdentifier)) throw failure('invalidCrossRefID');
        return {};
      case 'getSwitchingFunctionDevices': {
        // the list follows the response as its own request, as the reference shows
        setTimeout(() => void this.sendDevices().catch(() => undefined), 0);
        return { serviceCrossRefID: '1' };
      }
      case 'snapshotDevice': {
        if (!this.owns(r.args.snapshotObject.id)) throw failure('invalidDeviceID');
        const calls: SnapshotDeviceCall[] = [...this.calls.values()].map((c) => ({ connectionIdentifier: this.conn(c), localCallState: { compound: [c.state === 'connected' ? 'connected' : c.state === 'held' ? 'hold' : c.state === 'alerting' ? 'alerting' : 'initiated'] } }));
        return { calls };
      }
      case 'snapshotCall': {
        const call = this.call(r.args.snapshotObject);
        return { participants: [{ deviceOnCall: { id: call.device }, localConnectionState: 'connected' }, { deviceOnCall: { id: call.peer } }] };
      }
      case 'makeCall': {
        if (!this.owns(r.args.callingDevice.id)) throw failure('invalidCallingDevice');
        const call = this.newCall(r.args.calledDirectoryNumber.id, 'out', 'initiated');
        call.device = this.identityOf(r.args.callingDevice.id);
        // the far end rings after the response went out
        this.later(() => this.dial(call));
        return { callingDevice: this.conn(call) };
      }
      case 'answerCall': {
        const call = this.call(r.args.callToBeAnswered, 'alerting');
        this.later(() => this.connect(call.id));
        return {};
      }
      case 'holdCall': {
        const call = this.call(r.args.callToBeHeld, 'connected');
        call.state = 'held';
        this.later(() => this.reportHeld(call));
        return {};
      }
      case 'retrieveCall': {
        const call = this.call(r.args.callToBeRetrieved, 'held');
        call.state = 'connected';
        this.later(async () => {
          await this.report((x) => ({ category: 'callControl', name: 'retrieved', monitorCrossRefId: x, retrievedConnection: this.conn(call), retrievingDevice: { id: call.device }, localConnectionInfo: 'connected', cause: 'normal' }));
          await this.tell(call, (far, x) => ({ category: 'callControl', name: 'retrieved', monitorCrossRefId: x, retrievedConnection: { callId: far.id, device: { id: call.device } }, retrievingDevice: { id: call.device }, localConnectionInfo: 'connected', cause: 'normal' }));
        });
        return {};
      }
      case 'clearConnection': {
        const call = this.call(r.args.connectionToBeCleared);
        this.later(() => this.hangup(call.id));
        return {};
      }
      case 'consultationCall': {
        // the existing call is held and a second one goes out to the consulted device
        const held = this.call(r.args.existingCall, 'connected');
        held.state = 'held';
        const consult = this.newCall(r.args.consultedDevice.id, 'out', 'initiated');
        consult.device = held.device;
        this.later(async () => {
          await this.reportHeld(held);
          await this.dial(consult);
        });
        return { initiatedCall: this.conn(consult) };
      }
      case 'transferCall': {
        const held = this.call(r.args.heldCall, 'held');
        const active = this.call(r.args.activeCall);
        this.calls.delete(held.id);
        this.calls.delete(active.id);
        this.later(async () => {
          await this.report((x) => ({ category: 'callControl', name: 'transferred', monitorCrossRefId: x, primaryOldCall: this.conn(held), secondaryOldCall: this.conn(active), transferringDevice: { id: held.device }, transferredToDevice: { id: active.peer }, transferredConnections: [], localConnectionInfo: 'null', cause: 'transfer' }));
          // the two far parties now talk to each other
          await this.joinFar(held, active.links, active.peer, active.peer);
          await this.joinFar(active, held.links, held.peer, active.peer);
        });
        return { transferredCall: { callId: active.id, device: { id: active.peer } } };
      }
      case 'conferenceCall': {
        // the held party joins the active call, which becomes the conference
        const held = this.call(r.args.heldCall, 'held');
        const active = this.call(r.args.activeCall, 'connected');
        this.calls.delete(held.id);
        active.peer = `${active.peer},${held.peer}`;
        // every simulated party's leg is linked to every other's, so one leaving clears only its own connection
        const parties = [...held.links, ...active.links];
        active.links = parties;
        this.later(async () => {
          await this.report((x) => ({ category: 'callControl', name: 'conferenced', monitorCrossRefId: x, primaryOldCall: this.conn(held), secondaryOldCall: this.conn(active), conferencingDevice: { id: active.device }, addedParty: { id: held.peer }, conferenceConnections: [], localConnectionInfo: 'connected', cause: 'conference' }));
          for (const p of parties) {
            const far = p.phone.calls.get(p.callId);
            if (!far) continue;
            far.links = [{ phone: this, callId: active.id }, ...parties.filter((q) => q !== p)];
            await p.phone.report((x) => ({ category: 'callControl', name: 'conferenced', monitorCrossRefId: x, primaryOldCall: { callId: far.id, device: { id: active.device } }, secondaryOldCall: p.phone.conn(far), conferencingDevice: { id: active.device }, addedParty: { id: held.peer }, conferenceConnections: [], localConnectionInfo: 'connected', cause: 'conference' }));
          }
        });
        return { conferenceCall: this.conn(active) };
      }
      case 'singleStepTransferCall': {
        const call = this.call(r.args.activeCall);
        const to = r.args.transferredTo.id;
        this.calls.delete(call.id);
        this.later(async () => {
          await this.report((x) => ({ category: 'callControl', name: 'transferred', monitorCrossRefId: x, primaryOldCall: this.conn(call), transferringDevice: { id: call.device }, transferredToDevice: { id: to }, transferredConnections: [], localConnectionInfo: 'null', cause: 'singleStepTransfer' }));
          for (const l of call.links) await l.phone.redirected(l.callId, to, (far, x) => ({ category: 'callControl', name: 'transferred', monitorCrossRefId: x, primaryOldCall: l.phone.conn(far), transferringDevice: { id: call.device }, transferredToDevice: { id: to }, transferredConnections: [], localConnectionInfo: 'connected', cause: 'singleStepTransfer' }));
        });
        return { transferredCall: { callId: call.id, device: { id: r.args.transferredTo.id } } };
      }
      case 'deflectCall': {
        const call = this.call(r.args.callToBeDiverted, 'alerting');
        const to = r.args.newDestination.id;
        this.calls.delete(call.id);
        this.later(async () => {
          await this.report((x) => ({ category: 'callControl', name: 'diverted', monitorCrossRefId: x, connection: this.conn(call), divertingDevice: { id: call.device }, newDestination: { id: to }, lastRedirectionDevice: { id: call.device }, localConnectionInfo: 'null', cause: 'redirected' }));
          for (const l of call.links) await l.phone.redirected(l.callId, to, (far, x) => ({ category: 'callControl', name: 'diverted', monitorCrossRefId: x, connection: { callId: far.id, device: { id: call.device } }, divertingDevice: { id: call.device }, newDestination: { id: to }, lastRedirectionDevice: { id: call.device }, localConnectionInfo: 'connected', cause: 'redirected' }));
        });
        return {};
      }
      case 'generateDigits': {
        const call = this.call(r.args.connectionToSendDigits, 'connected');
        if (!/^[0-9*#A-D]+$/.test(r.args.charactersToSend)) throw failure('invalidParameterValue');
        this.digits.set(call.id, (this.digits.get(call.id) ?? '') + r.args.charactersToSend);
        return {};
      }
      case 'setDoNotDisturb': {
        if (!this.owns(r.args.device.id)) throw failure('invalidDeviceID');
        this.doNotDisturb = r.args.doNotDisturbOn;
        const device = this.identityOf(r.args.device.id);
        this.later(() => this.report((x) => ({ category: 'logicalDeviceFeature', name: 'doNotDisturb', monitorCrossRefId: x, device: { id: device }, doNotDisturbOn: this.doNotDisturb })));
        return {};
      }
      case 'getDoNotDisturb':
        if (!this.owns(r.args.device.id)) throw failure('invalidDeviceID');
        return { doNotDisturbOn: this.doNotDisturb };
      case 'setForwarding': {
        if (!this.owns(r.args.device.id)) throw failure('invalidDeviceID');
        const type = r.args.forwardingType ?? 'forwardImmediate';
        if (r.args.activateForward && !r.args.forwardDN) throw failure('invalidForwardingDestination');
        const entry: ForwardingListEntry = { forwardingType: type, forwardStatus: r.args.activateForward, ...(r.args.activateForward ? { forwardDN: r.args.forwardDN } : {}) };
        this.forwarding.set(type, entry);
        const device = this.identityOf(r.args.device.id);
        this.later(() => this.report((x) => ({ category: 'logicalDeviceFeature', name: 'forwarding', monitorCrossRefId: x, device: { id: device }, forwardingType: type, forwardStatus: entry.forwardStatus, ...(entry.forwardDN ? { forwardTo: entry.forwardDN } : {}) })));
        return {};
      }
      case 'getForwarding':
        if (!this.owns(r.args.device.id)) throw failure('invalidDeviceID');
        return { forwardingList: [...this.forwarding.values()] };
      default:
        throw failure('serviceNotSupported');
    }
  }

  /** The call a connection names, in the state the service needs. */
  private call(ref: ConnectionRef, state?: CallState): SimCall {
    const call = this.calls.get(ref.callId ?? '');
    if (!call || (state && call.state !== state)) throw failure('invalidConnectionID');
    return call;
  }

  /** Events of a request go out after its response, as the phones send them. */
  private later(f: () => Promise<void>): void {
    setTimeout(() => void f().catch(() => undefined), 0);
  }

  /** Held here, and at the other phones of the call (their connection stays connected, held by this one). */
  private async reportHeld(call: SimCall): Promise<void> {
    await this.report((x) => ({ category: 'callControl', name: 'held', monitorCrossRefId: x, heldConnection: this.conn(call), holdingDevice: { id: call.device }, localConnectionInfo: 'hold', cause: 'normal' }));
    await this.tell(call, (far, x) => ({ category: 'callControl', name: 'held', monitorCrossRefId: x, heldConnection: { callId: far.id, device: { id: call.device } }, holdingDevice: { id: call.device }, localConnectionInfo: 'connected', cause: 'normal' }));
  }

  /**
   * An outgoing call reaches its number: another phone of the exchange rings (linked to this call), one with DND on
   * refuses it (Failed); any other number is an outside party that rings.
   */
  private async dial(call: SimCall): Promise<void> {
    const callee = this.o.exchange?.find(call.peer);
    if (callee?.doNotDisturb) {
      await this.report((x) => ({ category: 'callControl', name: 'failed', monitorCrossRefId: x, failedConnection: this.conn(call), failingDevice: { id: call.peer }, callingDevice: { id: call.device }, calledDevice: { id: call.peer }, lastRedirectionDevice: { unavailable: 'notKnown' }, localConnectionInfo: 'fail', cause: 'doNotDisturb' }));
      return;
    }
    call.state = 'delivered';
    await this.report((x) => ({ category: 'callControl', name: 'delivered', monitorCrossRefId: x, connection: this.conn(call), alertingDevice: { id: call.peer }, callingDevice: { id: call.device }, calledDevice: { id: call.peer }, lastRedirectionDevice: { unavailable: 'notKnown' }, localConnectionInfo: 'connected', cause: 'newCall' }));
    if (!callee || callee === this) return;
    const far = callee.newCall(call.device, 'in', 'alerting');
    far.links = [{ phone: this, callId: call.id }];
    call.links = [{ phone: callee, callId: far.id }];
    await callee.reportAlerting(far);
  }

  private reportAlerting(call: SimCall): Promise<void> {
    return this.report((x) => ({ category: 'callControl', name: 'delivered', monitorCrossRefId: x, connection: this.conn(call), alertingDevice: { id: call.device }, callingDevice: { id: call.peer }, calledDevice: { id: call.device }, lastRedirectionDevice: { unavailable: 'notKnown' }, localConnectionInfo: 'alerting', cause: 'newCall' }));
  }

  private async established(call: SimCall): Promise<void> {
    call.state = 'connected';
    const calling = call.direction === 'in' ? call.peer : call.device;
    const called = call.direction === 'in' ? call.device : call.peer;
    await this.report((x) => ({ category: 'callControl', name: 'established', monitorCrossRefId: x, establishedConnection: this.conn(call), answeringDevice: { id: called }, callingDevice: { id: calling }, calledDevice: { id: called }, lastRedirectionDevice: { unavailable: 'notKnown' }, localConnectionInfo: 'connected', cause: 'normal' }));
  }

  /** An event about this call at each other phone of it, with that phone's own leg. */
  private async tell(call: SimCall, event: (far: SimCall, crossRef: string) => CstaEvent): Promise<void> {
    for (const l of call.links) {
      const far = l.phone.calls.get(l.callId);
      if (far) await l.phone.report((x) => event(far, x));
    }
  }

  /** Another phone left this call: the call ends here when it was the last party, else only its connection goes. */
  private async partyLeft(callId: string, gone: CallLink, releasing: string): Promise<void> {
    const call = this.calls.get(callId);
    if (!call) return;
    call.links = call.links.filter((l) => l.phone !== gone.phone || l.callId !== gone.callId);
    const last = call.links.length === 0;
    if (last) this.calls.delete(callId);
    await this.report((x) => ({ category: 'callControl', name: 'connectionCleared', monitorCrossRefId: x, droppedConnection: last ? this.conn(call) : { callId, device: { id: releasing } }, releasingDevice: { id: releasing }, localConnectionInfo: last ? 'null' : 'connected', cause: 'normalClearing' }));
  }

  /** After a transfer, the far parties of `old` are on the call with `others` (the party `peer`); each side links the other's leg. */
  private async joinFar(old: SimCall, others: CallLink[], peer: string, transferredTo: string): Promise<void> {
    for (const l of old.links) {
      const far = l.phone.calls.get(l.callId);
      if (!far) continue;
      far.links = others.filter((o) => o.phone !== l.phone);
      far.peer = peer;
      await l.phone.report((x) => ({ category: 'callControl', name: 'transferred', monitorCrossRefId: x, primaryOldCall: l.phone.conn(far), transferringDevice: { id: old.device }, transferredToDevice: { id: transferredTo }, transferredConnections: [], localConnectionInfo: far.state === 'held' ? 'hold' : 'connected', cause: 'transfer' }));
    }
  }

  /** The other side sent this call elsewhere (single-step transfer, deflection): it now goes to `to` and rings there. */
  private async redirected(callId: string, to: string, event: (call: SimCall, crossRef: string) => CstaEvent): Promise<void> {
    const call = this.calls.get(callId);
    if (!call) return;
    call.peer = to;
    call.links = [];
    await this.report((x) => event(call, x));
    const callee = this.o.exchange?.find(to);
    if (!callee || callee === this || callee.doNotDisturb) return;
    const far = callee.newCall(call.device, 'in', 'alerting');
    far.links = [{ phone: this, callId }];
    call.links = [{ phone: callee, callId: far.id }];
    await callee.reportAlerting(far);
  }

  private async sendDevices(segments = 1): Promise<void> {
    const all = this.identities.map((id) => ({ deviceID: { id }, deviceCategory: 'station' as const }));
    const size = Math.ceil(all.length / segments);
    for (const s of this.switches) {
      for (let i = 0; i < segments && s.carrier.open; i++) await s.sendDevices({ serviceCrossRefID: '1', lastSegment: i === segments - 1, deviceList: all.slice(i * size, (i + 1) * size) });
    }
  }

  /** One event per monitor, on every open dialog. */
  private async report(event: (crossRef: string) => CstaEvent): Promise<void> {
    for (const s of this.switches) {
      if (!s.carrier.open) continue;
      for (const x of this.monitors.keys()) await s.sendEvent(event(x));
    }
  }

  private newCall(peer: string, direction: 'in' | 'out', state: CallState): SimCall {
    const call: SimCall = { id: String(this.nextCall++), device: this.identities[0], peer, direction, state, links: [] };
    this.calls.set(call.id, call);
    return call;
  }

  private conn(c: SimCall): ConnectionRef {
    return { callId: c.id, device: { id: c.device } };
  }

  /** Device IDs match by user part as Yealink does: `sip:`, `:port` and parameters do not count. */
  private identityOf(id: string): string {
    const user = userOf(id);
    return this.identities.find((x) => userOf(x) === user) ?? this.identities[0];
  }

  private owns(id: string): boolean {
    const user = userOf(id);
    return this.identities.some((x) => userOf(x) === user);
  }
}

function userOf(id: string): string {
  return id.replace(/^sips?:/i, '').split(/[@;]/)[0];
}
