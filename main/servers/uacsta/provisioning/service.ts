// "Manage telephones" (manual §3.5.1): find phones by address or plug and play, provide them with this server's
// account through their web interface, delete it again, restart them. The options (web login, transport,
// restart, web port) are kept: the password in the secret store, the rest as a configuration document.
import { hostname } from 'node:os';
import { z } from 'zod';
import type { DocumentSpec, DocumentStore, SecretStore } from '../../../store';
import type { ProvisioningCandidate, ProvisioningGuide, ProvisioningOptions, ProvisioningResult, UacstaSettings } from '../../../../shared/api/uacsta';
import { UACSTA_PHONE_PASSWORD_SECRET } from '../secrets';
import { PnpListener, type PnpListenOptions } from './pnp';
import { identify, mitelStartupCfg, provide, ProvisioningError, restart, unprovide, type ServerAccount, type WebTarget } from './web-clients';
import { coded, type Coded } from '../../../../shared/problems';

export const PROVISIONING_WEB_PASSWORD_SECRET = 'uacsta/phone-web-password';
const DOC = 'uacsta-provisioning';
const schema = z.object({ webUser: z.string(), transport: z.enum(['tcp', 'tls']), restart: z.boolean(), webPort: z.number().int().min(1).max(65535) });
type Stored = z.output<typeof schema>;
const SPEC: DocumentSpec<Stored> = { kind: 'uacsta-provisioning', version: 1, schema };
const DEFAULTS: Stored = { webUser: 'admin', transport: 'tcp', restart: false, webPort: 80 };

export interface ProvisioningDeps {
  docs: DocumentStore;
  secrets: SecretStore;
  settings(): Promise<UacstaSettings>;
  /** The ports the running server listens on (a port 0 in the settings is only known once it runs). */
  listening(): { tcpPort: number; tlsPort?: number } | undefined;
  /** Where plug and play listens (tests: 127.0.0.1, port 0, no multicast group). */
  pnp?: PnpListenOptions;
  logger?: { info: (m: string | Coded) => void; warn: (m: string | Coded) => void };
}

export class ProvisioningService {
  /** The plug-and-play listener while a search runs (tests read its port). */
  pnpListener: PnpListener | undefined;

  constructor(private readonly d: ProvisioningDeps) {}

  async options(): Promise<ProvisioningOptions> {
    const o = (await this.d.docs.read(DOC, SPEC)) ?? DEFAULTS;
    return { ...o, webPasswordSet: (await this.d.secrets.get(PROVISIONING_WEB_PASSWORD_SECRET)) !== undefined };
  }

  async saveOptions(input: { webUser: string; webPassword?: string; transport: 'tcp' | 'tls'; restart: boolean; webPort: number }): Promise<ProvisioningOptions> {
    const { webPassword, ...rest } = input;
    if (webPassword !== undefined) await this.d.secrets.set(PROVISIONING_WEB_PASSWORD_SECRET, webPassword);
    await this.d.docs.write(DOC, SPEC, rest);
    return this.options();
  }

  async find(addresses: string[]): Promise<ProvisioningCandidate[]> {
    const o = await this.options();
    return Promise.all(addresses.map((a) => this.read(a, 'address', o)));
  }

  /** Listens for `seconds`, then reads each announcing phone's web interface at its address. */
  async discover(seconds: number): Promise<ProvisioningCandidate[]> {
    const listener = await PnpListener.listen({ ...this.d.pnp, logger: this.d.logger });
    this.pnpListener = listener;
    try {
      await new Promise((r) => setTimeout(r, seconds * 1000));
    } finally {
      this.pnpListener = undefined;
      await listener.close();
    }
    const o = await this.options();
    return Promise.all(
      listener.found().map(async (p) => {
        const c = await this.read(p.ip, 'pnp', o);
        // the announcement says who it is even when the web interface cannot be read
        return c.problem ? { ...c, vendor: p.vendor === 'snom' || p.vendor === 'yealink' ? p.vendor : 'unknown', mac: p.mac, model: p.model, firmware: p.firmware } : c;
      }),
    );
  }

  provide(addresses: string[]): Promise<ProvisioningResult[]> {
    return this.each(addresses, async (t, phone, o) => {
      await provide(t, phone, await this.account(o.transport));
    });
  }

  remove(addresses: string[]): Promise<ProvisioningResult[]> {
    return this.each(addresses, (t, phone) => unprovide(t, phone));
  }

  async guide(): Promise<ProvisioningGuide> {
    const o = await this.options();
    const a = await this.account(o.transport);
    return { address: a.host, port: a.port, transport: a.transport, password: a.password, mitelStartupCfg: mitelStartupCfg(a) };
  }

  /** The account phones get: the phone interface's public WAN name, else its LAN address (all interfaces: the computer name). */
  private async account(transport: 'tcp' | 'tls'): Promise<ServerAccount> {
    const s = await this.d.settings();
    const password = await this.d.secrets.get(UACSTA_PHONE_PASSWORD_SECRET);
    if (password === undefined) throw new ProvisioningError(coded('uacstaServer.notConfigured', { missing: 'phonePassword' }));
    const host = s.phone.wan?.publicHost ?? (s.phone.lan === '0.0.0.0' ? hostname() : s.phone.lan);
    const ports = this.d.listening() ?? s.phone;
    const port = transport === 'tls' ? ports.tlsPort : ports.tcpPort;
    if (port === undefined) throw new ProvisioningError(coded('uacstaProvisioning.noTlsPort'));
    return { host, port, transport, password };
  }

  private async target(address: string, o: ProvisioningOptions): Promise<WebTarget> {
    const withPort = /:\d+$/.test(address) ? address : `${address}:${o.webPort}`;
    return { address: withPort, user: o.webUser, password: (await this.d.secrets.get(PROVISIONING_WEB_PASSWORD_SECRET)) ?? 'admin' };
  }

  private async read(address: string, via: 'address' | 'pnp', o: ProvisioningOptions): Promise<ProvisioningCandidate> {
    const t = await this.target(address, o);
    try {
      const p = await identify(t);
      return { address: t.address, via, vendor: p.vendor, model: p.model, mac: p.mac, firmware: p.firmware };
    } catch (e) {
      if (!(e instanceof ProvisioningError)) throw e;
      return { address: t.address, via, vendor: 'unknown', problem: e.problem };
    }
  }

  /** One phone after the other (a failure is that phone's result, never the others'); restarts when the options say so. */
  private async each(addresses: string[], act: (t: WebTarget, phone: Awaited<ReturnType<typeof identify>>, o: ProvisioningOptions) => Promise<void>): Promise<ProvisioningResult[]> {
    const o = await this.options();
    const out: ProvisioningResult[] = [];
    for (const address of addresses) {
      const t = await this.target(address, o);
      try {
        const phone = await identify(t);
        await act(t, phone, o);
        if (o.restart) await restart(t, phone);
        this.d.logger?.info(coded(o.restart ? 'logServers.provisionedRestarted' : 'logServers.provisioned', { mac: phone.mac, address: t.address }));
        out.push({ address: t.address, ok: true, mac: phone.mac, ...(o.restart ? { restarted: true } : {}) });
      } catch (e) {
        if (!(e instanceof ProvisioningError)) throw e;
        this.d.logger?.warn(coded('logServers.provisioningFailed', { reason: e.problem }));
        out.push({ address: t.address, ok: false, problem: e.problem });
      }
    }
    return out;
  }
}
