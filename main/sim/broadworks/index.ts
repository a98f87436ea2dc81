// A simulated BroadWorks platform on loopback: Xsi over HTTP (and HTTPS when given a certificate) and the CTI
// interface over TCP (and TLS) for one group of up to 5,000 users and its group administrator, plus a JSON control API.
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { CtiFraming } from '../../protocols/xsi/cti-framing';
import { serveCtiSocket } from './cti-server';
import { guardRequests, guardServer } from '../../web/http-guard';
import { plainText, rateLimited } from '../../log/rate-limit';
import { handleControl } from './control-api';
import { SimGroup } from './users';
import { XsiService } from './xsi-server';

export { SIM_DOMAIN, SIM_GROUP, MAX_USERS } from './users';

export interface BroadWorksSimOptions {
  host?: string;
  /** Xsi over HTTP; 0 = any free port. */
  port?: number;
  /** Xsi over HTTPS with this certificate. */
  tls?: { port: number; cert: string | Buffer; key: string | Buffer };
  controlPort?: number;
  /** The CTI interface over TCP (8011 on a real platform); undefined = none, 0 = any free port. */
  ctiPort?: number;
  /** The CTI interface over TLS (8012), with the certificate of `tls`. */
  ctiTlsPort?: number;
  /** How the CTI socket frames its documents (default `xml`). */
  ctiFraming?: CtiFraming;
  users?: number;
  /** The context prefix of the Xsi paths (default com.broadsoft). */
  prefix?: string;
  adminPassword?: string;
  userPassword?: string;
  eventResponseTimeoutMs?: number;
  ringMs?: number;
  logger?: { info(m: string): void; warn(m: string): void; error(m: string): void };
}

export interface BroadWorksSim {
  host: string;
  port: number;
  tlsPort: number | undefined;
  ctiPort: number | undefined;
  ctiTlsPort: number | undefined;
  controlPort: number;
  controlUrl: string;
  xsi: XsiService;
  group: SimGroup;
  admin: { userId: string; password: string };
  close(): Promise<void>;
}

async function listen(server: Server | NetServer, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

export async function startBroadWorksSim(opts: BroadWorksSimOptions = {}): Promise<BroadWorksSim> {
  const host = opts.host ?? '127.0.0.1';
  const log = rateLimited(plainText(opts.logger ?? { warn() {}, error() {} }));
  const group = new SimGroup(opts.users ?? 20, { adminPassword: opts.adminPassword ?? 'admin-secret', userPassword: opts.userPassword ?? 'secret' });
  const xsi = new XsiService(group, { prefix: opts.prefix ?? 'com.broadsoft', eventResponseTimeoutMs: opts.eventResponseTimeoutMs ?? 15_000, maxExpiresSeconds: 7200 }, log, opts.ringMs);
  const servers: Array<Server | NetServer> = [];
  const track = <S extends Server | NetServer>(s: S): S => {
    servers.push(s);
    return s;
  };
  const xsiHandler = guardRequests((req, res) => xsi.handle(req, res), log);
  try {
    const http = track(createServer(xsiHandler));
    guardServer(http, log);
    const port = await listen(http, host, opts.port ?? 0);
    let tlsPort: number | undefined;
    if (opts.tls) {
      const https = track(createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }, xsiHandler));
      guardServer(https, log);
      https.on('tlsClientError', (e) => log.warn(`TLS handshake failed: ${e.message}`));
      tlsPort = await listen(https, host, opts.tls.port);
    }
    const framing = opts.ctiFraming ?? 'xml';
    const ctiSockets = new Set<import('node:net').Socket>();
    const serveCti = (socket: import('node:net').Socket) => {
      ctiSockets.add(socket);
      socket.on('close', () => ctiSockets.delete(socket));
      serveCtiSocket(xsi, framing, log, socket);
    };
    let ctiPort: number | undefined;
    let ctiTlsPort: number | undefined;
    if (opts.ctiPort !== undefined) ctiPort = await listen(track(createNetServer(serveCti)), host, opts.ctiPort);
    if (opts.ctiTlsPort !== undefined) {
      if (!opts.tls) throw new Error('the CTI interface over TLS needs the certificate of the HTTPS port (tls)');
      const ctis = track(createTlsServer({ cert: opts.tls.cert, key: opts.tls.key }, serveCti));
      ctis.on('tlsClientError', (e) => log.warn(`CTI TLS handshake failed: ${e.message}`));
      ctiTlsPort = await listen(ctis, host, opts.ctiTlsPort);
    }
    const control = track(createServer(guardRequests((req, res) => handleControl(xsi, log, req, res), log)));
    guardServer(control, log);
    const controlPort = await listen(control, host, opts.controlPort ?? 0);
    const shown = host.includes(':') ? `[${host}]` : host;
    return {
      host,
      port,
      tlsPort,
      ctiPort,
      ctiTlsPort,
      controlPort,
      controlUrl: `http://${shown}:${controlPort}`,
      xsi,
      group,
      admin: group.admin,
      async close() {
        xsi.close();
        for (const s of ctiSockets) s.destroy();
        await Promise.all(servers.map((s) => new Promise<void>((r) => { if ('closeAllConnections' in s) s.closeAllConnections(); s.close(() => r()); })));
      },
    };
  } catch (e) {
    xsi.close();
    for (const s of servers) s.close();
    throw e;
  }
}
