// A simulated phone as it comes out of the box: no uaCSTA account yet, but its web interface (per vendor, with
// the vendor's own setting names) takes one, after which the phone registers at the server it was given. It
// refuses wrong web credentials (HTTP Basic, 401), can be restarted, and its provisioning can be deleted again.
// snom and Yealink phones also announce themselves by plug and play: a SIP SUBSCRIBE for the ua-profile event over
// UDP (reference addendum: vendor token and model in the Event header; Yealink's User-Agent carries its MAC).
import { createSocket } from 'node:dgram';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SipLogger } from '../../protocols/sip';
import { SimSipPhone, type PhoneVendor, type SimExchange } from './phone';

/** The vendors whose phones take provisioning through their web interface (Auerswald and Mitel need the guides). */
export type WebVendor = Extract<PhoneVendor, 'snom' | 'yealink'>;

export interface ProvisionablePhoneOptions {
  vendor: WebVendor;
  mac: string;
  identities?: string[];
  /** The web interface's login (the vendors ship admin/admin). */
  web?: { user: string; password: string };
  /** The address the web interface listens on (default 127.0.0.1). */
  host?: string;
  /** Trust for the server's TLS certificate, when it is provisioned to use TLS. */
  ca?: string | Buffer;
  /** Once registered it calls and is called through this exchange. */
  exchange?: SimExchange;
  logger?: SipLogger;
}

/** What provisioning wrote into the phone. */
export interface PhoneAccount {
  host: string;
  port: number;
  transport: 'tcp' | 'tls';
  user: string;
  password: string;
  /** snom's csta_legacy_control, Yealink's features.csta_control.enable: CSTA control switched on. */
  csta: boolean;
}

const MODEL: Record<WebVendor, { model: string; firmware: string }> = {
  snom: { model: 'snomD785', firmware: '10.1.73.14' },
  yealink: { model: 'SIP-T46G', firmware: '28.73.98.4' },
};

export class ProvisionablePhone {
  account: PhoneAccount | undefined;
  restarts = 0;
  phone: SimSipPhone | undefined;
  readonly mac: string;
  private constructor(
    private readonly server: Server,
    private readonly o: ProvisionablePhoneOptions,
  ) {
    this.mac = o.mac.replace(/[:.-]/g, '').toLowerCase();
  }

  static async start(o: ProvisionablePhoneOptions): Promise<ProvisionablePhone> {
    let self: ProvisionablePhone | undefined;
    const server = createServer((req, res) => {
      // a handler failure answers that request alone; the phone keeps serving
      self!.serve(req, res).catch((e: Error) => {
        o.logger?.warn(`phone ${self!.mac} web: ${e.message}`);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    // an unreadable request gets a 400 and loses its connection; the phone keeps serving the others
    server.on('clientError', (_e, socket) => (socket.writable ? socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n') : socket.destroy()));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, o.host ?? '127.0.0.1', () => resolve());
    });
    self = new ProvisionablePhone(server, o);
    return self;
  }

  get vendor(): WebVendor {
    return this.o.vendor;
  }

  get host(): string {
    return this.o.host ?? '127.0.0.1';
  }

  get webPort(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Where its web interface is, as an admin types it: host:port. */
  get address(): string {
    return `${this.host}:${this.webPort}`;
  }

  get webLogin(): { user: string; password: string } {
    return this.o.web ?? { user: 'admin', password: 'admin' };
  }

  /** snom's plug and play: SUBSCRIBE sip:MAC%3a…@224.0.1.75 with Event ua-profile, here to a given UDP address. */
  async announce(to: { host: string; port: number }): Promise<void> {
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, this.host, () => r()));
    const port = sock.address().port;
    const { model, firmware } = MODEL[this.o.vendor];
    const yealink = this.o.vendor === 'yealink';
    const msg = [
      `SUBSCRIBE sip:MAC%3a${this.mac}@224.0.1.75 SIP/2.0`,
      `Via: SIP/2.0/UDP ${this.host}:${port};branch=z9hG4bK${Math.random().toString(36).slice(2)};rport`,
      `From: <sip:MAC%3a${this.mac}@224.0.1.75>;tag=${Math.random().toString(36).slice(2)}`,
      `To: <sip:MAC%3a${this.mac}@224.0.1.75>`,
      `Call-ID: ${Math.random().toString(36).slice(2)}@${this.host}`,
      'CSeq: 1 SUBSCRIBE',
      'Max-Forwards: 70',
      `Contact: <sip:${this.host}:${port}>`,
      `Event: ua-profile;profile-type="device";vendor="${yealink ? 'Yealink' : 'snom'}";model="${model}";version="${firmware}"`,
      'Expires: 0',
      'Accept: application/url',
      `User-Agent: ${yealink ? `Yealink ${model} ${firmware} ${this.mac.replace(/(..)(?!$)/g, '$1:')}` : `${model}/${firmware}`}`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    await new Promise<void>((resolve, reject) => sock.send(msg, to.port, to.host, (e) => (e ? reject(e) : resolve())));
    sock.close();
  }

  async close(): Promise<void> {
    await this.phone?.close().catch(() => undefined);
    this.phone = undefined;
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://phone');
    const body = req.method === 'POST' ? await readBody(req) : '';
    if (!this.authorised(req)) {
      res.writeHead(401, { 'WWW-Authenticate': `Basic realm="${this.o.vendor === 'snom' ? 'snom' : 'Yealink'}"` });
      res.end('login required');
      return;
    }
    const answer = this.o.vendor === 'snom' ? await this.snom(url) : await this.yealink(url, new URLSearchParams(body));
    if (answer === undefined) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': answer.type });
    res.end(answer.body);
  }

  private authorised(req: IncomingMessage): boolean {
    const m = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (!m) return false;
    const [user, ...rest] = Buffer.from(m[1], 'base64').toString('utf8').split(':');
    return user === this.webLogin.user && rest.join(':') === this.webLogin.password;
  }

  /** snom: /info.htm, /dummy.htm?settings=save&… with the identity's user_* settings, /confirm.html?REBOOT=yes. */
  private async snom(url: URL): Promise<{ type: string; body: string } | undefined> {
    const q = url.searchParams;
    const { model, firmware } = MODEL.snom;
    switch (url.pathname) {
      case '/info.htm':
        return { type: 'text/html', body: `<html><body><table><tr><td>Phone-Model:</td><td>${model}</td></tr><tr><td>Firmware-Version:</td><td>${model}-SIP ${firmware}</td></tr><tr><td>MAC-Address:</td><td>${this.mac.toUpperCase()}</td></tr></table>${this.account ? `<p>Identity 12: ${this.account.user}@${this.account.host}</p>` : ''}</body></html>` };
      case '/dummy.htm':
      case '/settings.htm': {
        if (q.get('settings') !== 'save') return { type: 'text/html', body: '<html>settings</html>' };
        const id = [...q.keys()].map((k) => /^user_active(\d+)$/.exec(k)?.[1]).find(Boolean) ?? '12';
        if (q.get(`user_active${id}`) === 'off') {
          await this.unprovision();
          return { type: 'text/html', body: '<html>saved</html>' };
        }
        const outbound = /^([^:;]+):(\d+);transport=(tcp|tls)$/i.exec(q.get(`user_outbound${id}`) ?? '');
        const host = q.get(`user_host${id}`);
        const user = q.get(`user_name${id}`);
        const password = q.get(`user_pass${id}`);
        if (!outbound || !host || !user || password === null) return { type: 'text/html', body: '<html>incomplete settings, nothing saved</html>' };
        await this.provision({ host, port: Number(outbound[2]), transport: outbound[3].toLowerCase() as 'tcp' | 'tls', user, password, csta: Number(q.get('csta_legacy_control') ?? 0) >= 3 });
        return { type: 'text/html', body: '<html>saved</html>' };
      }
      case '/confirm.html':
        if (q.get('REBOOT') !== 'yes') return undefined;
        await this.restart();
        return { type: 'text/html', body: '<html>rebooting</html>' };
      default:
        return undefined;
    }
  }

  /** Yealink: /servlet?p=status&q=load (JSON), POST /servlet?p=account-register&q=write with account.N.* keys, POST /servlet?p=settings-upgrade&q=reboot. */
  private async yealink(url: URL, form: URLSearchParams): Promise<{ type: string; body: string } | undefined> {
    if (url.pathname !== '/servlet') return undefined;
    const page = `${url.searchParams.get('p')}/${url.searchParams.get('q')}`;
    const { model, firmware } = MODEL.yealink;
    switch (page) {
      case 'status/load':
        return { type: 'application/json', body: JSON.stringify({ Model: model, FirmwareVersion: firmware, MAC: this.mac.replace(/(..)(?!$)/g, '$1:') }) };
      case 'account-register/write': {
        const n = [...form.keys()].map((k) => /^account\.(\d+)\.enable$/.exec(k)?.[1]).find(Boolean) ?? '16';
        const key = (k: string) => form.get(`account.${n}.${k}`);
        if (key('enable') === '0') {
          await this.unprovision();
          return { type: 'application/json', body: '{"ret":"ok"}' };
        }
        const host = key('sip_server.1.address');
        const port = Number(key('sip_server.1.port'));
        const transport = key('sip_server.1.transport_type') === '2' ? 'tls' : key('sip_server.1.transport_type') === '1' ? 'tcp' : undefined;
        const user = key('user_name');
        const password = key('password');
        if (!host || !port || !transport || !user || password === null) return { type: 'application/json', body: '{"ret":"failed","reason":"incomplete account"}' };
        await this.provision({ host, port, transport, user, password, csta: form.get('features.csta_control.enable') === '1' });
        return { type: 'application/json', body: '{"ret":"ok"}' };
      }
      case 'settings-upgrade/reboot':
        await this.restart();
        return { type: 'application/json', body: '{"ret":"ok"}' };
      default:
        return undefined;
    }
  }

  /** The account takes effect at once, as on the real phones. */
  private async provision(a: PhoneAccount): Promise<void> {
    await this.unprovision();
    this.account = a;
    await this.registerWith(a);
  }

  private async unprovision(): Promise<void> {
    this.account = undefined;
    const p = this.phone;
    this.phone = undefined;
    if (p) {
      await p.register(0).catch(() => undefined);
      await p.close();
    }
  }

  private async restart(): Promise<void> {
    this.restarts++;
    const p = this.phone;
    this.phone = undefined;
    await p?.close();
    if (this.account) await this.registerWith(this.account);
  }

  private async registerWith(a: PhoneAccount): Promise<void> {
    const phone = await SimSipPhone.start({
      // it logs in with the user name it was given (the server expects its MAC)
      mac: a.user,
      password: a.password,
      server: { host: a.host, port: a.port },
      vendor: this.o.vendor,
      identities: this.o.identities,
      tls: a.transport === 'tls' ? { ca: this.o.ca } : undefined,
      exchange: this.o.exchange,
      logger: this.o.logger,
    });
    this.phone = phone;
    await phone.keepRegistered().catch((e: Error) => this.o.logger?.warn(`phone ${this.mac}: ${e.message}`));
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 65_536) throw new Error('request body too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
