// The Cisco CME driver. XML API half: "test connection" asks ISgetGlobal, discovery reads the phones, extensions,
// user profiles and SIP phones and turns them into lines (lines.ts). CSTA over SIP half (when `sip` is set): the
// session server link (sip-link.ts) carries the shared CSTA line driver for monitors and events. Without `sip`
// (the CLI's discovery) monitoring answers NOT_SUPPORTED.
import type { LineRef } from '../../../shared/model/line';
import { DriverErrorCodes as E, DriverFailure, type CallControlRequest, type CallControlResult, type DiscoverOptions, type DiscoveryResult, type Driver, type DriverLineEvent, type LineFeatures, type SnapshotCall } from '../driver';
import type { DriverSettings } from '../family';
import { connectFailure } from '../shared/network-errors';
import { child, CmeHttpError, CmeXmlClient, CmeXmlTimeout, CME_XML_PATH, IsError, NotXmlApiError, readInventory, text } from '../../protocols/cme-xml';
import { CstaLineDriver } from '../shared/csta-line-driver';
import { linesOf } from './lines';
import { CmeSipLink } from './sip-link';

export interface CmeSettings extends DriverSettings {
  /** The manual's "read line buttons": a phone's other buttons become addresses of its line. */
  readLineButtons: boolean;
  /** The CSTA over SIP half; absent, the driver only reads lines. */
  sip?: { localHost: string; localPort: number; cmeSipPort: number; sessionServerId: string };
}

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

  constructor(private readonly s: CmeSettings) {
    const sip = s.sip;
    if (!sip) return;
    this.csta = new CstaLineDriver({
      family: 'cme',
      peer: `${s.host}:${sip.cmeSipPort}`,
      open: async () => {
        await this.link?.close();
        const link = await CmeSipLink.open({ cmeHost: s.host, cmeSipPort: sip.cmeSipPort, localHost: sip.localHost, localPort: sip.localPort, sessionServerId: sip.sessionServerId, user: s.user ?? '', password: s.password ?? '', answerTimeoutMs: s.answerTimeoutMs });
        this.link = link;
        return { session: link.session, reply: `session server ${sip.sessionServerId} registered at ${s.host}:${sip.cmeSipPort}` };
      },
      kindOf: () => 'proprietary',
    });
  }

  get connected(): boolean {
    return !!this.client && (!this.csta || this.csta.connected);
  }

  onLost(listener: (error: DriverFailure) => void): void {
    // The XML API has no link to lose (each request stands alone); the CTI dialog has.
    this.csta?.onLost(listener);
  }

  onEvent(listener: (event: DriverLineEvent) => void): void {
    this.csta?.onEvent(listener);
  }

  /** Asks ISgetGlobal: proves TCP (and TLS), the login, and that the XML API answers. */
  async connect(): Promise<string> {
    const s = this.s;
    const client = new CmeXmlClient({ host: s.host, port: s.port, tls: s.tls, user: s.user ?? '', password: s.password ?? '', ca: s.ca, answerTimeoutMs: s.answerTimeoutMs });
    try {
      const global = child(await client.request('ISgetGlobal'), 'ISGlobal');
      if (!global) throw new NotXmlApiError('the answer to ISgetGlobal holds no ISGlobal');
      this.client = client;
      const version = text(global, 'ISVersion');
      const name = text(global, 'ISName');
      const sip = this.csta ? `; ${await this.csta.connect().catch((e: unknown) => Promise.reject(sipHalf(e)))}` : '';
      return `CME ${version || '(version not given)'}${name ? ` "${name}"` : ''}: ${text(global, 'ISConfiguredDevice') || '?'} phones, ${text(global, 'ISConfiguredExtension') || '?'} extensions, ${text(global, 'ISDeviceRegistered') || '?'} registered${sip}`;
    } catch (e) {
      client.close();
      this.client = undefined;
      throw await this.failure(e);
    }
  }

  async close(): Promise<void> {
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

  monitorStart(line: LineRef): Promise<void> {
    return this.csta ? this.csta.monitorStart(line) : this.notYet('monitoring');
  }

  async monitorStop(line: LineRef): Promise<void> {
    await this.csta?.monitorStop(line);
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
    const f = await connectFailure(e as Error, { host: s.host, port: s.port, tls: s.tls, connectTimeoutMs: s.connectTimeoutMs });
    return new DriverFailure(f.code, f.message, f.fingerprint, { ...f.params, half: 'axl' });
  }
}

/** A failure of the CSTA over SIP half, said so (test connection names the half that failed: `half` = sip). */
function sipHalf(e: unknown): DriverFailure {
  const f = e instanceof DriverFailure ? e : new DriverFailure(E.protocol, (e as Error).message);
  return new DriverFailure(f.code, `SIP (session server): ${f.message}`, f.fingerprint, { ...f.params, half: 'sip' });
}
