// The simulated CME's XML API: POST /ios_xml_app/cme with Basic auth, requests and responses in the shapes of
// Cisco's admin guide, `all` refused with ISError above a buffer limit (so clients fall back to allTag + per ID),
// and ISexecCLI applying the configuration lines it knows to the model.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { axlPart, CME_XML_PATH, child, elements, esc, operationOf, parseDocument, responseDocument, text, XmlError, type XmlNode } from '../../protocols/cme-xml';
import { requestTarget } from '../../web/http-guard';
import type { CmeLayout, CmeVoiceConfig, SimEphone, SimExtension, SimSessionServer, SimUserProfile } from './model';

const MAX_REQUEST = 1024 * 1024;

export interface CmeXmlFaults {
  /** `ISKeyword all` over more entities than this answers ISError (the XML buffer size); 0 = never. */
  allLimit: number;
  /** The ISErrorCode it then answers (codes are not documented, so clients must not depend on them). */
  isErrorCode: string;
  /** ISexecCLI refuses a line containing this text (an IOS release without that command); '' = none. */
  refuseCli: string;
}

export interface CmeXmlOptions {
  user: string;
  password: string;
  /** The `xml user` privilege; ISexecCLI runs only with 15. */
  level: number;
  routerName: string;
  /** The session servers and global voice settings, shared with the SIP side (ISexecCLI changes them). */
  voice: CmeVoiceConfig;
}

type Handler = (request: XmlNode) => string;

export class CmeXmlService {
  readonly faults: CmeXmlFaults = { allLimit: 1000, isErrorCode: 'BUFFER_OVERFLOW', refuseCli: '' };
  requests = 0;
  /** Requests answered, per operation (ISgetDevice …), for tests that count polls and logins. */
  readonly operations = new Map<string, number>();
  refusedLogins = 0;
  private readonly handlers: Record<string, Handler>;
  private readonly indexes = new Map<string, { size: number; byId: Map<string, unknown[]> }>();
  private extensionPhones: { size: number; map: Map<number, SimEphone[]> } | undefined;
  private goodAuthorization: { header: string; login: string } | undefined;

  constructor(
    readonly layout: CmeLayout,
    readonly options: CmeXmlOptions,
  ) {
    this.handlers = {
      ISgetGlobal: () => this.global(),
      ISgetDevice: (r) => this.list(r, 'ISDevices', this.layout.ephones, [['ISDevID', (e) => String(e.id)], ['ISDevName', (e) => `SEP${e.mac}`]], (e, tagOnly) => this.ephone(e, tagOnly)),
      ISgetExtension: (r) => this.list(r, 'ISExtensions', this.layout.extensions, [['ISExtID', (x) => String(x.id)], ['ISExtNumber', (x) => x.number]], (x, tagOnly) => this.extension(x, tagOnly)),
      ISgetUserProfile: (r) => this.list(r, 'ISUserProfiles', this.layout.profiles, [['ISUserProfileID', (p) => String(p.id)], ['ISuserID', (p) => p.userId]], (p, tagOnly) => this.profile(p, tagOnly)),
      ISgetSipDevice: (r) =>
        this.list(r, 'ISSipDevices', this.layout.sipPhones, [['ISPoolID', (s) => String(s.id)]], (s, tagOnly) =>
          tagOnly
            ? `<ISSipDevice>${elements([['ISPoolID', s.id]])}</ISSipDevice>`
            : `<ISSipDevice>${elements([['ISPoolID', s.id], ['ISDevMac', s.mac], ['ISSessionServerID', 0]])}<ISSipPhoneLineList>${s.numbers.map((n, i) => `<ExtMapStatus>${elements([['LineId', i + 1], ['ExtId', i + 1], ['ExtNumber', n], ['LineState', 'idle']])}</ExtMapStatus>`).join('')}</ISSipPhoneLineList></ISSipDevice>`,
        ),
      ISgetSessionServer: () =>
        `<ISSessionServers>${this.options.voice.sessionServers.map((v) => `<ISSessionServer>${elements([['ISSessionServerID', v.tag], ['ISSessionRegisterID', v.registerId], ['ISSessionKeepAlives', v.keepalive]])}</ISSessionServer>`).join('')}</ISSessionServers>`,
      // The answer's members beyond ISMode are the simulator's guess: the reference names only the root (ISSipGlobal).
      ISgetVoiceRegGlobal: () => `<ISSipGlobal>${elements([['ISMode', 'cme'], ['ISAuthenticateRegister', this.options.voice.authenticateRegister]])}</ISSipGlobal>`,
      ISexecCLI: (r) => this.execCli(cliLines(r.CLI)),
    };
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The usual target needs no URL parsing (10,000 requests in a discovery).
    const path = req.url === CME_XML_PATH ? CME_XML_PATH : requestTarget(req).path;
    if (path !== CME_XML_PATH) return plain(res, 404, 'Not Found');
    if (req.method !== 'POST') return plain(res, 405, 'Method Not Allowed', { Allow: 'POST' });
    if (!this.authorised(req.headers.authorization)) {
      this.refusedLogins++;
      return plain(res, 401, 'Unauthorized', { 'WWW-Authenticate': 'Basic realm="level_15 or view_access"' });
    }
    const body = await readBody(req);
    if (body === null) return;
    if (!body) return plain(res, 413, `request body over ${MAX_REQUEST} bytes`);
    this.requests++;
    let request: XmlNode | undefined;
    try {
      request = axlPart(parseDocument(body.toString('utf8')), 'request');
    } catch (e) {
      if (!(e instanceof XmlError)) throw e;
      return xml(res, 400, responseDocument('ISError', isError('XML_PARSE', e.message)));
    }
    if (!request) return xml(res, 400, responseDocument('ISError', isError('NO_REQUEST', 'expected <axl><request>')));
    const operation = operationOf(request);
    const handler = Object.hasOwn(this.handlers, operation) ? this.handlers[operation] : undefined;
    if (!handler) return xml(res, 200, responseDocument('ISError', isError('UNKNOWN_REQUEST', `unknown request ${operation.slice(0, 64)}`)));
    this.operations.set(operation, (this.operations.get(operation) ?? 0) + 1);
    const selectors = child(request, operation) ?? {};
    xml(res, 200, responseDocument(`${operation}Response`, handler(selectors)));
  }

  private authorised(header: string | undefined): boolean {
    // The header last found good is good while the login is unchanged (a client sends the same one every time).
    const login = `${this.options.user}:${this.options.password}`;
    if (header !== undefined && header === this.goodAuthorization?.header && login === this.goodAuthorization.login) return true;
    if (!this.checkAuthorization(header)) return false;
    this.goodAuthorization = { header: header!, login };
    return true;
  }

  private checkAuthorization(header: string | undefined): boolean {
    const m = /^Basic ([A-Za-z0-9+/=]{1,400})$/.exec(header ?? '');
    if (!m) return false;
    const [user, ...rest] = Buffer.from(m[1], 'base64').toString('utf8').split(':');
    return user === this.options.user && rest.join(':') === this.options.password;
  }

  private global(): string {
    const l = this.layout;
    return `<ISGlobal>${elements([
      ['ISAddress', '127.0.0.1'],
      ['ISMode', 'ITS'],
      ['ISVersion', '12.5'],
      ['ISDeviceRegistered', l.ephones.filter((e) => e.registered).length],
      ['ISConfiguredDevice', l.ephones.length],
      ['ISConfiguredExtension', l.extensions.length],
      ['ISName', this.options.routerName],
      ['ISPortNumber', 2000],
      ['ISMaxEphone', 5000],
      ['ISMaxDN', 15000],
    ])}</ISGlobal>`;
  }

  /** One list request: by one of the ID selectors, or by keyword (all / allTag / available). */
  private list<T>(request: XmlNode, listTag: string, all: T[], ids: Array<[string, (t: T) => string]>, render: (t: T, tagOnly: boolean) => string): string {
    for (const [tag, idOf] of ids) {
      const want = text(request, tag);
      if (want) return `<${listTag}>${(this.indexed(`${listTag}/${tag}`, all, idOf).get(want) ?? []).map((t) => render(t, false)).join('')}</${listTag}>`;
    }
    const keyword = text(request, 'ISKeyword');
    if (keyword === 'allTag') return `<${listTag}>${all.map((t) => render(t, true)).join('')}</${listTag}>`;
    if (keyword === 'all' || keyword === 'available') {
      if (this.faults.allLimit > 0 && all.length > this.faults.allLimit) return isError(this.faults.isErrorCode, 'XML buffer size exceeded; query one entity per request');
      const chosen = keyword === 'available' ? all.filter((t) => (t as { registered?: boolean }).registered !== false) : all;
      return `<${listTag}>${chosen.map((t) => render(t, false)).join('')}</${listTag}>`;
    }
    return isError('INVALID_SELECTOR', `give ${ids.map(([t]) => t).join(', ')} or ISKeyword all, allTag or available`);
  }

  /**
   * Entities by one of their IDs, so a per-ID request (5,000 of them when `all` is refused) does not scan the
   * layout; rebuilt when the list's length changes and after ISexecCLI (which may renumber).
   */
  private indexed<T>(key: string, all: T[], idOf: (t: T) => string): Map<string, T[]> {
    let index = this.indexes.get(key) as { size: number; byId: Map<string, T[]> } | undefined;
    if (!index || index.size !== all.length) {
      const byId = new Map<string, T[]>();
      for (const t of all) byId.set(idOf(t), [...(byId.get(idOf(t)) ?? []), t]);
      this.indexes.set(key, (index = { size: all.length, byId }));
    }
    return index.byId;
  }

  /** The ephones carrying an extension on a button (ISDevList), by extension ID; rebuilt like `indexed`. */
  private phonesByExtension(): Map<number, SimEphone[]> {
    const size = this.layout.ephones.length;
    if (this.extensionPhones?.size !== size) {
      const map = new Map<number, SimEphone[]>();
      for (const e of this.layout.ephones) for (const id of new Set(e.buttons.values())) map.set(id, [...(map.get(id) ?? []), e]);
      this.extensionPhones = { size, map };
    }
    return this.extensionPhones.map;
  }

  private lineList(tag: string, buttons: Map<number, number>): string {
    const rows = [...buttons].sort(([a], [b]) => a - b).map(([button, extId]) => {
      const x = this.indexed('extensions/id', this.layout.extensions, (e) => String(e.id)).get(String(extId))?.[0];
      return x ? `<ExtMapStatus>${elements([['LineId', button], ['ExtId', x.id], ['ExtNumber', x.number], ['ExtStatus', false], ['LineState', 'idle']])}</ExtMapStatus>` : '';
    });
    return `<${tag}>${rows.join('')}</${tag}>`;
  }

  private ephone(e: SimEphone, tagOnly: boolean): string {
    if (tagOnly) return `<ISDevice>${elements([['ISDevID', e.id], ['ISDevName', `SEP${e.mac}`]])}</ISDevice>`;
    const buttons = [...e.buttons.keys()].sort((a, b) => a - b).map((b) => `<ISDevLineButton>${elements([['ISDevLineButtonID', b], ['ISDevLineButtonMode', 'NORMAL']])}</ISDevLineButton>`).join('');
    return (
      `<ISDevice>${elements([['ISDevID', e.id], ['ISDevName', `SEP${e.mac}`], ['ISDevType', 'Others'], ['ISconfigDevType', e.type], ['ISDevUsername', e.user]])}` +
      `<ISDevLineButtons>${buttons}</ISDevLineButtons>${elements([['description', e.description]])}` +
      `<ISDevAddr><Xipv4Address>${e.registered ? '127.0.0.1' : '0.0.0.0'}</Xipv4Address></ISDevAddr>${this.lineList('ISPhoneLineList', e.buttons)}` +
      `${elements([['ISKeyPhone', false], ['ISDevStatus', e.registered ? 'registered' : 'unregistered'], ['ISDevDND', 'no']])}</ISDevice>`
    );
  }

  private extension(x: SimExtension, tagOnly: boolean): string {
    if (tagOnly) return `<ISExtension>${elements([['ISExtID', x.id], ['ISExtNumber', x.number]])}</ISExtension>`;
    const onPhones = (this.phonesByExtension().get(x.id) ?? []).map((e) => `<ISDeviceID>${e.id}</ISDeviceID>`).join('');
    return (
      `<ISExtension>${elements([['ISExtID', x.id], ['ISExtNumber', x.number], ['ISExtType', 'normal'], ['ISExtStatus', 'up'], ['ISAllowWatch', x.ctiWatch]])}` +
      `<ISDevList>${onPhones}</ISDevList><cti>${elements([['notify', x.ctiNotify], ['watch', x.ctiWatch]])}</cti>${elements([['description', x.name], ['name', x.name]])}</ISExtension>`
    );
  }

  private profile(p: SimUserProfile, tagOnly: boolean): string {
    if (tagOnly) return `<ISUserProfile>${elements([['ISUserProfileID', p.id], ['ISuserID', p.userId]])}</ISUserProfile>`;
    return `<ISUserProfile>${elements([['ISUserProfileID', p.id], ['ISuserID', p.userId]])}${this.lineList('ISUserProfileLineList', p.buttons)}</ISUserProfile>`;
  }

  /** Runs configuration lines until one fails: 0, or the failing line's number with the reason (Cisco's contract). */
  private execCli(lines: string[]): string {
    const answer = (n: number, error = '') => `<ISexecCLIResponse>${n}</ISexecCLIResponse><ISexecCLIError>${esc(error)}</ISexecCLIError>`;
    if (this.options.level < 15) return answer(1, 'insufficient privilege: the xml user needs level 15');
    // Lines may renumber extensions or change buttons: the lookups are rebuilt.
    this.indexes.clear();
    this.extensionPhones = undefined;
    let mode: CliMode = {};
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim().replace(/\s+/g, ' ');
      const refused = this.faults.refuseCli && line.includes(this.faults.refuseCli);
      const error = refused ? `invalid input detected: ${line.slice(0, 80)}` : this.cliLine(line, mode, (m) => (mode = m));
      if (error) return answer(i + 1, error);
    }
    return answer(0);
  }

  private cliLine(line: string, mode: CliMode, setMode: (m: CliMode) => void): string | undefined {
    const l = this.layout;
    let m: RegExpExecArray | null;
    if (line === '' || line === '!' || line === 'exit' || line === 'end') return void (line === 'end' && setMode({}));
    if ((m = /^ephone-dn (\d{1,5})( dual-line| octo-line)?$/.exec(line))) {
      const id = Number(m[1]);
      let dn = l.extensions.find((x) => x.id === id);
      if (!dn) l.extensions.push((dn = { id, number: '', name: '', ctiWatch: false, ctiNotify: false }));
      return void setMode({ dn });
    }
    if ((m = /^ephone (\d{1,5})$/.exec(line))) {
      const id = Number(m[1]);
      let ephone = l.ephones.find((e) => e.id === id);
      if (!ephone) l.ephones.push((ephone = { id, mac: '', type: '', description: '', registered: false, buttons: new Map() }));
      return void setMode({ ephone });
    }
    const voice = this.options.voice;
    if ((m = /^voice register session-server ([1-8])$/.exec(line))) {
      const tag = Number(m[1]);
      let server = voice.sessionServers.find((v) => v.tag === tag);
      if (!server) voice.sessionServers.push((server = { tag, registerId: '', keepalive: 300 }));
      return void setMode({ other: true, server });
    }
    if (/^(voice service voip|voice register global|telephony-service|sip)$/.test(line)) return void setMode({ other: true, server: undefined });
    if (mode.server) {
      if ((m = /^register-id (\w{1,30})$/.exec(line))) return void (mode.server.registerId = m[1]);
      if ((m = /^keepalive (\d{1,5})$/.exec(line))) {
        const seconds = Number(m[1]);
        if (seconds < 60 || seconds > 3600) return `invalid input: keepalive must be 60-3600, got ${seconds}`;
        return void (mode.server.keepalive = seconds);
      }
    }
    if (mode.other && (m = /^(no )?authenticate register$/.exec(line))) return void (voice.authenticateRegister = !m[1]);
    if (mode.other && (m = /^(no )?cti csta mode basic$/.exec(line))) return void (voice.cstaModeBasic = !m[1]);
    if (mode.dn) {
      const dn = mode.dn;
      if ((m = /^number ([0-9*#+]{1,32})$/.exec(line))) return void (dn.number = m[1]);
      if ((m = /^(name|label|description) (.{1,64})$/.exec(line))) return void (dn.name = m[2]);
      if ((m = /^(no )?cti (watch|notify)$/.exec(line))) return void (m[2] === 'watch' ? (dn.ctiWatch = !m[1]) : (dn.ctiNotify = !m[1]));
      if (/^(allow watch|session-server [\d,]+)$/.test(line)) return undefined;
    }
    if (mode.ephone) {
      const e = mode.ephone;
      if ((m = /^mac-address ([0-9A-Fa-f]{4})\.([0-9A-Fa-f]{4})\.([0-9A-Fa-f]{4})$/.exec(line))) return void (e.mac = (m[1] + m[2] + m[3]).toUpperCase());
      if ((m = /^type (\w{1,16})$/.exec(line))) return void (e.type = m[1]);
      if ((m = /^description (.{1,64})$/.exec(line))) return void (e.description = m[1]);
      if ((m = /^button ((\d{1,2}:\d{1,5} ?)+)$/.exec(line))) {
        const pairs = m[1].trim().split(' ').map((p) => p.split(':').map(Number) as [number, number]);
        const missing = pairs.find(([, dn]) => !l.extensions.some((x) => x.id === dn));
        if (missing) return `invalid input dn parameter for button ${missing[0]}`;
        e.buttons = new Map(pairs);
        return undefined;
      }
    }
    if (mode.other && /^(cti-aware|cti aware|mode cme|allow-connections sip to sip|(no )?cti shutdown|gcid|registrar server expires max \d+ min \d+)$/.test(line)) return undefined;
    return `invalid input detected: ${line.slice(0, 80)}`;
  }
}

/** Where ISexecCLI is in the configuration tree: an ephone-dn, an ephone, a session server, or another mode. */
interface CliMode {
  dn?: SimExtension;
  ephone?: SimEphone;
  server?: SimSessionServer;
  other?: boolean;
}

/** `<CLI>` elements: one is a string, several an array; anything else (attributes, children) counts as empty. */
function cliLines(v: XmlNode[string]): string[] {
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.map((x) => (typeof x === 'string' ? x : text({ x }, 'x')));
}

/**
 * The body up to MAX_REQUEST bytes, or undefined when it is longer. A longer body is still read to its end (up to
 * 16 times the limit), so the requests pipelined behind it are served: leaving the loop early would pause the
 * connection's parser for good. null: the connection is gone (cut by the peer, or by us past 16 times the limit).
 */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size <= MAX_REQUEST) chunks.push(chunk as Buffer);
      else if (size > 16 * MAX_REQUEST) {
        req.socket.destroy();
        return null;
      }
    }
  } catch (e) {
    // The peer went away in the middle of its body: nobody is left to answer.
    if (req.socket.destroyed) return null;
    throw e;
  }
  return size > MAX_REQUEST ? undefined : Buffer.concat(chunks);
}

function isError(code: string, message: string): string {
  return `<ISError>${elements([['ISErrorCode', code], ['ISErrorMsg', message]])}</ISError>`;
}

function plain(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function xml(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/xml; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
