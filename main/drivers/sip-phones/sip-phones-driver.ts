// The SIP phones driver: a CTI client of our uaCSTA server's client interface (docs/uacsta.md). It registers with
// the client login, opens the CSTA dialog (INVITE, CSTA XML in INFO) and is then the shared CSTA line driver:
// discovery by GetSwitchingFunctionDevices (the server lists its controllable phones' numbers), monitors, events,
// call control. The registration is refreshed while the session lasts.
import type { SwitchingFunctionDevice } from '../../protocols/csta/model';
import { openCstaDialog, type XmlCstaSession } from '../../protocols/csta-xml';
import { SipEndpoint, SipError } from '../../protocols/sip';
import type { DeviceKind } from '../../../shared/api/drivers';
import { DriverErrorCodes as E, DriverFailure, type DriverConnection } from '../driver';
import { CstaLineDriver, type CstaDialect } from '../shared/csta-line-driver';
import { classifyNetworkError } from '../shared/network-errors';

export interface SipPhonesDriverOptions extends DriverConnection {
  /** RequestSystemStatus in the dialog this often (default 60 s; 0: none). */
  keepAliveMs?: number;
  /** Registration expiry asked for, in seconds (default 300). */
  expires?: number;
}

/** Every phone the server lists is a SIP phone. */
const kindOf = (_d: SwitchingFunctionDevice): DeviceKind => 'sip';

async function openSession(o: SipPhonesDriverOptions): Promise<{ session: XmlCstaSession; reply: string }> {
  const transport = o.tls ? 'tls' : 'tcp';
  const endpoint = { host: o.host, port: o.port, tls: o.tls };
  const user = o.user ?? '';
  // 0 turns the keep-alive off (as for the other families' links)
  const keepAliveMs = o.keepAliveMs ?? 60_000;
  const ep = await SipEndpoint.start({
    user, credentials: { user, password: o.password ?? '' }, connectTimeoutMs: o.connectTimeoutMs ?? 5000,
    tls: o.tls ? { ca: o.ca, fingerprint256: o.fingerprint } : undefined,
  });
  let refresh: NodeJS.Timeout | undefined;
  try {
    const register = () => ep.register({ registrar: `sip:${o.host}:${o.port};transport=${transport}`, aor: `sip:${user}@${o.host}`, expires: o.expires ?? 300 });
    const reg = await register();
    if (reg.status === 401 || reg.status === 403) throw new DriverFailure(E.loginRejected, `${o.host}:${o.port} refused the client login "${user}" (${reg.status} ${reg.reason})`, undefined, { host: o.host, port: o.port });
    if (reg.status >= 300) throw new DriverFailure(E.rejected, `${o.host}:${o.port} answered the registration ${reg.status} ${reg.reason}`, undefined, { host: o.host, port: o.port });
    const session = await openCstaDialog(ep, { uri: `sip:uacsta@${o.host}:${o.port};transport=${transport}`, ...(keepAliveMs > 0 ? { keepAlive: { intervalMs: keepAliveMs } } : {}) });
    refresh = setInterval(() => void register().catch(() => undefined), ((o.expires ?? 300) * 1000) / 2);
    refresh.unref();
    const end = () => {
      clearInterval(refresh);
      void ep.close();
    };
    session.onLost(end);
    const close = session.close.bind(session);
    session.close = async () => {
      await close();
      end();
    };
    return { session, reply: `uaCSTA server at ${o.host}:${o.port}, logged in as ${user}` };
  } catch (e) {
    clearInterval(refresh);
    await ep.close();
    if (e instanceof DriverFailure) throw e;
    if (e instanceof SipError && e.code === 'SIP_CONNECT_FAILED') throw classifyNetworkError(Object.assign(new Error(e.message), { code: String(e.params.cause ?? '') }), endpoint);
    if (e instanceof SipError && e.code === 'SIP_TLS_PIN_MISMATCH') throw new DriverFailure(E.tls, e.message, undefined, { host: o.host, port: o.port });
    const code = (e as { code?: string }).code;
    if (code === 'CSTA_REJECTED') throw new DriverFailure(E.loginRejected, `${o.host}:${o.port} refused the CSTA session: ${(e as Error).message}`, undefined, { host: o.host, port: o.port });
    throw new DriverFailure(E.protocol, `${o.host}:${o.port}: ${(e as Error).message}`, undefined, { host: o.host, port: o.port });
  }
}

/** The phones name devices `sip:user@server[:port]`; the party is its user part, as the line's number is. */
const userPart = (id: string | null) => (id === null ? null : (/^sips?:([^@;]+)@/i.exec(id)?.[1] ?? id));

export function sipPhonesDialect(o: SipPhonesDriverOptions): CstaDialect {
  return {
    family: 'sip-phones', peer: `${o.host}:${o.port}`, open: () => openSession(o), kindOf,
    refine: (out) => {
      out.calling = userPart(out.calling);
      out.called = userPart(out.called);
    },
  };
}

export class SipPhonesDriver extends CstaLineDriver {
  constructor(readonly options: SipPhonesDriverOptions) {
    super(sipPhonesDialect(options), { answerTimeoutMs: options.answerTimeoutMs });
  }
}
