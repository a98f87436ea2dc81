// A simulated Cisco CME on loopback: the XML API over HTTP (and HTTPS when given a certificate) with a
// configurable set of SCCP phones, shared lines, extension mobility profiles and SIP phones, plus a JSON control API.
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { plainText, rateLimited } from '../../log/rate-limit';
import { guardRequests, guardServer } from '../../web/http-guard';
import { handleControl } from './control-api';
import { defaultLayout, defaultVoiceConfig, MAX_PHONES, type CmeLayout } from './model';
import { CmeSipService, type CmeSipVariant } from './sip';
import { CmeXmlService } from './xml-api';

export { defaultLayout, MAX_PHONES, SHARED_NUMBER, type CmeLayout, type CmeVoiceConfig } from './model';
export { CME_SERVICES, type CmeSipFaults, type CmeSipVariant } from './sip';

export interface CmeSimOptions {
  host?: string;
  /** XML API over HTTP; 0 = any free port. */
  port?: number;
  /** XML API over HTTPS with this certificate. */
  tls?: { port: number; cert: string | Buffer; key: string | Buffer };
  controlPort?: number;
  /** SCCP phones of the default layout (ignored when `layout` is given). */
  phones?: number;
  layout?: CmeLayout;
  user?: string;
  password?: string;
  /** The `xml user` privilege (15 lets ISexecCLI run). */
  level?: number;
  /** The CSTA over SIP side (session server registrar and CTI dialogs) on this port; 0 = any free port. */
  sip?: { port: number; registerId?: string; authenticateRegister?: boolean; cstaModeBasic?: boolean; variant?: Partial<CmeSipVariant> };
  logger?: { info(m: string): void; warn(m: string): void; error(m: string): void };
}

export interface CmeSim {
  host: string;
  port: number;
  tlsPort: number | undefined;
  controlPort: number;
  controlUrl: string;
  xml: CmeXmlService;
  sip: CmeSipService | undefined;
  login: { user: string; password: string };
  close(): Promise<void>;
}

async function listen(server: Server, host: string, port: number): Promise<number> {
  await once(server.listen(port, host), 'listening');
  return (server.address() as AddressInfo).port;
}

export async function startCmeSim(opts: CmeSimOptions = {}): Promise<CmeSim> {
  const host = opts.host ?? '127.0.0.1';
  const log = rateLimited(plainText(opts.logger ?? { warn() {}, error() {} }));
  const phones = opts.phones ?? 10;
  if (!opts.layout && !(Number.isInteger(phones) && phones >= 1 && phones <= MAX_PHONES)) throw new Error(`phones must be 1-${MAX_PHONES}, got ${phones}`);
  const login = { user: opts.user ?? 'cisco', password: opts.password ?? 'cisco' };
  const voice = defaultVoiceConfig(opts.sip?.registerId, opts.sip?.authenticateRegister);
  voice.cstaModeBasic = opts.sip?.cstaModeBasic ?? false;
  const xml = new CmeXmlService(opts.layout ?? defaultLayout(phones), { ...login, level: opts.level ?? 15, routerName: 'sim-cme', voice });
  const servers: Server[] = [];
  let sip: CmeSipService | undefined;
  const handler = guardRequests((req, res) => xml.handle(req, res), log);
  try {
    const http = createServer(handler);
    servers.push(http);
    guardServer(http, log);
    const port = await listen(http, host, opts.port ?? 0);
    let tlsPort: number | undefined;
    if (opts.tls) {
      const https = createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, handler);
      servers.push(https);
      guardServer(https, log);
      https.on('tlsClientError', (e) => log.warn(`TLS handshake failed: ${e.message}`));
      tlsPort = await listen(https, host, opts.tls.port);
    }
    const o = opts.sip;
    sip = o ? await CmeSipService.start(xml.layout, { host, port: o.port, voice, login, variant: o.variant }, log) : undefined;
    const control = createServer(guardRequests((req, res) => handleControl(xml, sip, log, req, res), log));
    servers.push(control);
    guardServer(control, log);
    const controlPort = await listen(control, host, opts.controlPort ?? 0);
    const shown = host.includes(':') ? `[${host}]` : host;
    return {
      host,
      port,
      tlsPort,
      controlPort,
      controlUrl: `http://${shown}:${controlPort}`,
      xml,
      sip,
      login,
      close: () => Promise.all([sip?.close(), ...servers.map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); }))]).then(() => undefined),
    };
  } catch (e) {
    await sip?.close();
    for (const s of servers) s.close();
    throw e;
  }
}
