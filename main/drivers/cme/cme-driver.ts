// The Cisco CME driver, XML API half: "test connection" asks ISgetGlobal, discovery reads the phones, extensions,
// user profiles and SIP phones and turns them into lines (lines.ts). Monitoring and call control need the CSTA
// over SIP half, which is not built yet: those operations answer NOT_SUPPORTED.
import type { LineRef } from '../../../shared/model/line';
import { DriverErrorCodes as E, DriverFailure, type DiscoverOptions, type DiscoveryResult, type Driver, type DriverLineEvent, type SnapshotCall } from '../driver';
import type { DriverSettings } from '../family';
import { connectFailure } from '../shared/network-errors';
import { child, CmeHttpError, CmeXmlClient, CmeXmlTimeout, CME_XML_PATH, IsError, NotXmlApiError, readInventory, text } from '../../protocols/cme-xml';
import { linesOf } from './lines';

export interface CmeSettings extends DriverSettings {
  /** The manual's "read line buttons": a phone's other buttons become addresses of its line. */
  readLineButtons: boolean;
}

/** Failure codes of this family beside the shared ones. */
export const CmeErrors = {
  /** Something answers HTTP on that port, but not the XML API (`ixi application cme` missing, or another server). */
  noXmlApi: 'XML_API_NOT_FOUND',
} as const;

export class CmeDriver implements Driver {
  readonly family = 'cme' as const;
  private client: CmeXmlClient | undefined;

  constructor(private readonly s: CmeSettings) {}

  get connected(): boolean {
    return !!this.client;
  }

  onLost(): void {
    // Each XML API request is a request of its own; there is no link to lose until the SIP half exists.
  }

  onEvent(_listener: (event: DriverLineEvent) => void): void {}

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
      return `CME ${version || '(version not given)'}${name ? ` "${name}"` : ''}: ${text(global, 'ISConfiguredDevice') || '?'} phones, ${text(global, 'ISConfiguredExtension') || '?'} extensions, ${text(global, 'ISDeviceRegistered') || '?'} registered`;
    } catch (e) {
      client.close();
      throw await this.failure(e);
    }
  }

  async close(): Promise<void> {
    this.client?.close();
    this.client = undefined;
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

  monitorStart(_line: LineRef): Promise<void> {
    return this.notYet('monitoring');
  }

  async monitorStop(_line: LineRef): Promise<void> {}

  snapshot(_line: LineRef): Promise<SnapshotCall[]> {
    return this.notYet('snapshots');
  }

  makeCall(_line: LineRef, _number: string): Promise<{ callId: string }> {
    return this.notYet('call control');
  }

  clearCall(_line: LineRef, _callId: string): Promise<void> {
    return this.notYet('call control');
  }

  setForwarding(): Promise<void> {
    return this.notYet('forwarding');
  }

  setDoNotDisturb(): Promise<void> {
    return this.notYet('do not disturb');
  }

  stats(): { requests: number; events: number } {
    return { requests: this.client?.requests ?? 0, events: 0 };
  }

  private async notYet<T>(what: string): Promise<T> {
    throw new DriverFailure(E.notSupported, `${what} on a CME needs CSTA over SIP, which this driver does not speak yet`, undefined, { what });
  }

  private async failure(e: unknown): Promise<DriverFailure> {
    const s = this.s;
    const at = { host: s.host, port: s.port };
    if (e instanceof DriverFailure) return e;
    if (e instanceof CmeHttpError && (e.status === 401 || e.status === 403)) {
      return new DriverFailure(E.loginRejected, `${s.host}:${s.port} refused the XML API login of "${s.user ?? ''}" (HTTP ${e.status}): check the xml user and password under telephony-service`, undefined, { ...at, status: e.status });
    }
    if (e instanceof CmeHttpError || e instanceof NotXmlApiError) {
      const why = e instanceof CmeHttpError ? `HTTP ${e.status}` : e.message;
      return new DriverFailure(CmeErrors.noXmlApi, `${s.host}:${s.port} answers HTTP but not as a CME XML API at ${CME_XML_PATH} (${why}): is "ixi application cme" enabled, and is this the router's ${s.tls ? 'HTTPS' : 'HTTP'} port?`, undefined, { ...at, cause: why });
    }
    if (e instanceof IsError) return new DriverFailure(E.rejected, `the CME refused ${e.operation}: ISError ${e.code}${e.detail ? ` (${e.detail})` : ''}`, undefined, { ...at, cause: e.code });
    if (e instanceof CmeXmlTimeout) return new DriverFailure(E.noAnswer, `${s.host}:${s.port}: ${e.message}`, undefined, at);
    return connectFailure(e as Error, { host: s.host, port: s.port, tls: s.tls, connectTimeoutMs: s.connectTimeoutMs });
  }
}
