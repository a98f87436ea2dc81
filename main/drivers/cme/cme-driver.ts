// The Cisco CME driver. XML API half: "test connection" asks ISgetGlobal, discovery reads the phones, extensions,
// user profiles and SIP phones and turns them into lines (lines.ts). CSTA over SIP half (when `sip` is set): the
// session server link (sip-link.ts) carries the shared CSTA line driver for monitors and events. Without `sip`
// (the CLI's discovery) monitoring answers NOT_SUPPORTED.
import type { LineRef } from '../../../shared/model/line';
import { DriverErrorCodes as E, DriverFailure, type CallControlRequest, type CallControlResult, type DiscoverOptions, type DiscoveryResult, type Driver, type DriverLineEvent, type LineFeatures, type SettingTaken, type SnapshotCall } from '../driver';
import type { DriverSettings } from '../family';
import { connectFailure, pinMismatch } from '../shared/network-errors';
import { child, CmeHttpError, CmeXmlClient, CmeXmlTimeout, CME_XML_PATH, IsError, NotXmlApiError, PinMismatchError, readExtensions, readInventory, readRegistered, readSessionServers, text, type Extension } from '../../protocols/cme-xml';
import { applyCommands, type ApplyResult } from './config-helper';
import { macDigits } from '../../../shared/families/cme';
import { CstaLineDriver } from '../shared/csta-line-driver';
import { linesOf } from './lines';
import { CmeSipLink, DEFAULT_EXPIRES } from './sip-link';
import type { CtiDialogs } from './cti-session';

export interface CmeSettings extends DriverSettings {
  /** The manual's "read line buttons": a phone's other buttons become addresses of its line. */
  readLineButtons: boolean;
  /** The CSTA over SIP half; absent, the driver only reads lines. */
  sip?: {
    localHost: string;
    localPort: number;
    cmeSipPort: number;
    sessionServerId: string;
    /** One CTI dialog for all lines, or one per line (UNSURE, reference addendum §2.2). */
    ctiDialogs?: CtiDialogs;
    /** Refresh the dialogs by re-INVITE, every this many seconds unless the CME names a Session-Expires; 0 = never. */
    refreshS?: number;
    /** Renew the registration at this share of the granted time (tests shorten it). */
    renewAt?: number;
  };
  /** "Update available lines": how often registered phones are polled over the XML API (ms); 0 or absent = never. */
  updateLinesMs?: number;
  /** RequestSystemStatus in the CTI dialog this often, to notice a CME that stops answering (default 60 s; 0 = never). */
  keepAliveMs?: number;
}

/** How often the CTI dialog is asked RequestSystemStatus when the settings do not say. */
const KEEPALIVE_MS = 60_000;

/** Failure codes of this family beside the shared ones. */
export const CmeErrors = {
  /** Something answers HTTP on that port, but not the XML API (`ixi application cme` missing, or another server). */
  noXmlApi: 'XML_API_NOT_FOUND',
} as const;

export class CmeDriver implements Driver {
  readonly family = 'cme' as const;
  private client: CmeXmlClient | undefined;
  private link: CmeSipLink | undefined;
  private readonly csta: CstaLineDriver | undefined;
  private eventListener: (event: DriverLineEvent) => void = () => {};
  /** Monitored lines by key, and whether each is in service as last reported. */
  private readonly opened = new Map<string, LineRef>();
  private readonly inService = new Map<string, boolean>();
  private pollTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  /** Polls done, and why the last one failed (the next one tries again). */
  polls = 0;
  lastPollError: DriverFailure | undefined;
  /** The session server as the XML API reports it (keepalive, authenticate register), read at connect. */
  sessionServer: { keepalive: number | undefined; authenticateRegister: boolean | undefined; configured: boolean | undefined } = { keepalive: undefined, authenticateRegister: undefined, configured: undefined };

  constructor(private s: CmeSettings) {
    const sip = s.sip;
    if (!sip) return;
    this.csta = new CstaLineDriver({
      family: 'cme',
      peer: `${s.host}:${sip.cmeSipPort}`,
      open: async () => {
        await this.link?.close();
        const ss = this.sessionServer;
        if (ss.authenticateRegister && !s.password) throw new DriverFailure(E.loginRejected, `the CME has "authenticate register": the session server logs in with the AXL login, which has no password here`, undefined, { host: s.host, port: sip.cmeSipPort });
        const link = await CmeSipLink.open({
          cmeHost: s.host, cmeSipPort: sip.cmeSipPort, localHost: sip.localHost, localPort: sip.localPort, sessionServerId: sip.sessionServerId, user: s.user ?? '', password: s.password ?? '',
          answerTimeoutMs: s.answerTimeoutMs, keepAliveMs: s.keepAliveMs ?? KEEPALIVE_MS, expires: ss.keepalive ?? DEFAULT_EXPIRES, ctiDialogs: sip.ctiDialogs, refreshS: sip.refreshS, renewAt: sip.renewAt,
        });
        this.link = link;
        const unknown = ss.configured === false ? ` (not among the CME's session servers in ISgetSessionServer)` : '';
        return { session: link.session, reply: `session server ${sip.sessionServerId}${unknown} registered at ${s.host}:${sip.cmeSipPort} for ${link.granted} s` };
      },
      kindOf: () => 'proprietary',
    });
  }

  get connected(): boolean {
    return !!this.client && (!this.csta || this.csta.connected);
  }

  onLost(listener: (error: DriverFailure) => void): void {
    // The XML API has no link to lose (each request stands alone); the CTI dialog has. The runtime makes a new
    // driver to reconnect, so this one stops polling and lets its client go.
    this.csta?.onLost((e) => {
      clearInterval(this.pollTimer);
      this.pollTimer = undefined;
      this.client?.close();
      listener(e);
    });
  }

  /** The link's registration and CTI dialogs, for tests and status. */
  get sipLink(): CmeSipLink | undefined {
    return this.link;
  }

  onEvent(listener: (event: DriverLineEvent) => void): void {
    this.eventListener = listener;
    this.csta?.onEvent((e) => {
      if (e.event === 'outOfService' || e.event === 'backInService') this.inService.set(e.line, e.event === 'backInService');
      listener(e);
    });
  }

  /** Asks ISgetGlobal: proves TCP (and TLS), the login, and that the XML API answers. */
  async connect(): Promise<string> {
    const s = this.s;
    const client = new CmeXmlClient({ host: s.host, port: s.port, tls: s.tls, user: s.user ?? '', password: s.password ?? '', ca: s.ca, fingerprint256: s.fingerprint, answerTimeoutMs: s.answerTimeoutMs });
    try {
      const global = child(await client.request('ISgetGlobal'), 'ISGlobal');
      if (!global) throw new NotXmlApiError('the answer to ISgetGlobal holds no ISGlobal');
      this.client = client;
      const version = text(global, 'ISVersion');
      const name = text(global, 'ISName');
      if (this.csta) await this.readSessionServer(client);
      const sip = this.csta ? `; ${await this.csta.connect().catch((e: unknown) => Promise.reject(sipHalf(e)))}` : '';
      this.startPolling();
      return `CME ${version || '(version not given)'}${name ? ` "${name}"` : ''}: ${text(global, 'ISConfiguredDevice') || '?'} phones, ${text(global, 'ISConfiguredExtension') || '?'} extensions, ${text(global, 'ISDeviceRegistered') || '?'} registered${sip}`;
    } catch (e) {
      client.close();
      this.client = undefined;
      throw await this.failure(e);
    }
  }

  /**
   * The session server's keepalive (the registration asked for is no longer) and authenticate register, from the
   * XML API. A CME that answers neither leaves the defaults (600 s; digest answered when asked for).
   */
  private async readSessionServer(client: CmeXmlClient): Promise<void> {
    const id = this.s.sip!.sessionServerId.toLowerCase();
    const { servers, authenticateRegister } = await readSessionServers(client);
    const mine = servers.find((v) => v.registerId.toLowerCase() === id);
    const keepalive = mine && Number.isFinite(mine.keepalive) && mine.keepalive > 0 ? mine.keepalive : undefined;
    this.sessionServer = { keepalive, authenticateRegister, configured: servers.length ? !!mine : undefined };
  }

  async close(): Promise<void> {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    await this.polling;
    this.client?.close();
    this.client = undefined;
    await this.csta?.close();
    await this.link?.close();
    this.link = undefined;
  }

  async discover(options: DiscoverOptions): Promise<DiscoveryResult> {
    const client = this.client;
    if (!client) throw new DriverFailure(E.notConnected, 'not connected to the CME');
    options.onProgress?.({ phase: 'reading', method: 'phoneInventory', found: 0, probed: 0, total: 0 });
    let inventory;
    try {
      inventory = await readInventory(client);
    } catch (e) {
      throw await this.failure(e);
    }
    const lines = linesOf(inventory, { readButtons: this.s.readLineButtons, readNames: options.readNames, inRange: options.inRange });
    options.onProgress?.({ phase: 'reading', method: 'phoneInventory', found: lines.devices.length, probed: inventory.phones.length, total: inventory.phones.length });
    return { method: 'phoneInventory', devices: lines.devices, outOfRange: lines.outOfRange, warnings: lines.warnings };
  }

  async monitorStart(line: LineRef): Promise<void> {
    if (!this.csta) return this.notYet('monitoring');
    await this.csta.monitorStart(line);
    this.opened.set(line.key, line);
  }

  async monitorStop(line: LineRef): Promise<void> {
    this.opened.delete(line.key);
    this.inService.delete(line.key);
    await this.csta?.monitorStop(line);
  }

  /**
   * "Update available lines": asks the XML API which phones are registered and who is logged in on them, and
   * reports each monitored line whose service state differs from what was last said (the CTI side tells nothing of
   * extension mobility logins). A phone's line is in service while that phone is registered; a mobility user's
   * line while a registered phone carries its number or the user is logged in on one.
   */
  async updateLines(): Promise<void> {
    const client = this.client;
    if (!client || this.opened.size === 0) return;
    const lines = [...this.opened.values()];
    let found;
    try {
      found = await readRegistered(client, lines.some((l) => !l.deviceId));
    } catch (e) {
      this.lastPollError = await this.failure(e);
      return;
    }
    this.polls++;
    this.lastPollError = undefined;
    const registered = new Set(found.phones.map((p) => macDigits(p.name)));
    const loggedIn = new Set(found.phones.map((p) => p.user).filter(Boolean));
    const carried = new Set([...found.phones.flatMap((p) => p.buttons), ...found.profiles.filter((p) => loggedIn.has(p.userId)).flatMap((p) => p.buttons)].map((b) => b.number));
    for (const line of lines) {
      if (!this.opened.has(line.key)) continue;
      const up = line.deviceId ? registered.has(macDigits(line.deviceId)) : carried.has(line.number);
      if (this.inService.get(line.key) === up) continue;
      this.inService.set(line.key, up);
      this.eventListener({ line: line.key, event: up ? 'backInService' : 'outOfService', callId: null, callState: null, calling: null, called: null, cause: null, featureOn: up });
    }
  }

  /**
   * A changed update-lines interval counts from now on, "read line buttons" for the next discovery, both without a
   * new link (the rest of a change reconnects).
   */
  updateSettings(settings: DriverSettings): SettingTaken[] {
    const { updateLinesMs: every, readLineButtons = this.s.readLineButtons } = settings as CmeSettings;
    const same = every === this.s.updateLinesMs;
    this.s = { ...this.s, updateLinesMs: every, readLineButtons };
    if (same) return [];
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    if (this.connected) this.startPolling();
    return [{ code: 'logApp.updateLinesInterval', params: { seconds: (every ?? 0) / 1000 } }];
  }

  private startPolling(): void {
    const every = this.s.updateLinesMs ?? 0;
    if (!this.csta || every <= 0 || this.pollTimer) return;
    this.pollTimer = setInterval(() => {
      this.polling ??= this.updateLines().finally(() => (this.polling = undefined));
    }, every);
    this.pollTimer.unref();
  }

  snapshot(line: LineRef): Promise<SnapshotCall[]> {
    return this.csta ? this.csta.snapshot(line) : this.notYet('snapshots');
  }

  makeCall(line: LineRef, number: string): Promise<{ callId: string }> {
    return this.csta ? this.csta.makeCall(line, number) : this.notYet('call control');
  }

  clearCall(line: LineRef, callId: string): Promise<void> {
    return this.csta ? this.csta.clearCall(line, callId) : this.notYet('call control');
  }

  setForwarding(line: LineRef, on: boolean, to?: string): Promise<void> {
    return this.csta ? this.csta.setForwarding(line, on, to) : this.notYet('forwarding');
  }

  /** The manual's TAPI list for CME, as ECMA-269 services in the CTI dialog (the shared CSTA line driver). */
  callControl(line: LineRef, request: CallControlRequest): Promise<CallControlResult> {
    return this.csta ? this.csta.callControl(line, request) : this.notYet('call control');
  }

  readFeatures(line: LineRef): Promise<LineFeatures> {
    return this.csta ? this.csta.readFeatures(line) : this.notYet('reading forwarding and do not disturb');
  }

  setDoNotDisturb(line: LineRef, on: boolean): Promise<void> {
    return this.csta ? this.csta.setDoNotDisturb(line, on) : this.notYet('do not disturb');
  }

  /** The ephone-dns, for the CSTA helper's choice (connected first). */
  async readExtensions(): Promise<Extension[]> {
    try {
      return await readExtensions(this.requireClient());
    } catch (e) {
      throw await this.failure(e);
    }
  }

  /** Configuration lines in one ISexecCLI (config-helper.ts); connected first. */
  async applyConfig(lines: string[]): Promise<ApplyResult> {
    try {
      return await applyCommands(this.requireClient(), lines);
    } catch (e) {
      throw await this.failure(e);
    }
  }

  private requireClient(): CmeXmlClient {
    if (!this.client) throw new DriverFailure(E.notConnected, 'not connected to the CME');
    return this.client;
  }

  stats(): { requests: number; events: number } {
    const csta = this.csta?.stats() ?? { requests: 0, events: 0 };
    return { requests: (this.client?.requests ?? 0) + csta.requests, events: csta.events };
  }

  private async notYet<T>(what: string): Promise<T> {
    throw new DriverFailure(E.notSupported, `${what} on a CME needs CSTA over SIP, which this driver was made without (line discovery only)`, undefined, { what });
  }

  private async failure(e: unknown): Promise<DriverFailure> {
    const s = this.s;
    const at = { host: s.host, port: s.port, half: 'axl' };
    if (e instanceof DriverFailure) return e.params.half ? e : new DriverFailure(e.code, e.message, e.fingerprint, { ...e.params, half: 'axl' });
    if (e instanceof CmeHttpError && (e.status === 401 || e.status === 403)) {
      return new DriverFailure(E.loginRejected, `${s.host}:${s.port} refused the XML API login of "${s.user ?? ''}" (HTTP ${e.status}): check the xml user and password under telephony-service`, undefined, { ...at, status: e.status });
    }
    if (e instanceof CmeHttpError || e instanceof NotXmlApiError) {
      const why = e instanceof CmeHttpError ? `HTTP ${e.status}` : e.message;
      return new DriverFailure(CmeErrors.noXmlApi, `${s.host}:${s.port} answers HTTP but not as a CME XML API at ${CME_XML_PATH} (${why}): is "ixi application cme" enabled, and is this the router's ${s.tls ? 'HTTPS' : 'HTTP'} port?`, undefined, { ...at, cause: why });
    }
    if (e instanceof IsError) return new DriverFailure(E.rejected, `the CME refused ${e.operation}: ISError ${e.code}${e.detail ? ` (${e.detail})` : ''}`, undefined, { ...at, cause: e.code });
    if (e instanceof CmeXmlTimeout) return new DriverFailure(E.noAnswer, `${s.host}:${s.port}: ${e.message}`, undefined, at);
    if (e instanceof PinMismatchError) {
      const f = await pinMismatch({ host: s.host, port: s.port, connectTimeoutMs: s.connectTimeoutMs }, e.accepted);
      return new DriverFailure(f.code, f.message, f.fingerprint, { ...f.params, half: 'axl' });
    }
    const f = await connectFailure(e as Error, { host: s.host, port: s.port, tls: s.tls, connectTimeoutMs: s.connectTimeoutMs });
    return new DriverFailure(f.code, f.message, f.fingerprint, { ...f.params, half: 'axl' });
  }
}

/** A failure of the CSTA over SIP half, said so (test connection names the half that failed: `half` = sip). */
function sipHalf(e: unknown): DriverFailure {
  const f = e instanceof DriverFailure ? e : new DriverFailure(E.protocol, (e as Error).message);
  return new DriverFailure(f.code, `SIP (session server): ${f.message}`, f.fingerprint, { ...f.params, half: 'sip' });
}
