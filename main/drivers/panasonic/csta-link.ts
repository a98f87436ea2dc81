// The Panasonic link: one CSTA association over BER (TCP, or TLS to a multiplexer), opened with the stack's
// client with its reconnect off (the runtime decides when to reconnect), as a model session. This layer turns
// the failures of connecting and logging in into the causes "test connection" shows — network causes through the
// shared classification, and the AARE's answers: login rejected, PBX busy — each naming host and port.
import { BerCstaSession, CstaError } from '../../protocols/csta-ber';
import { DriverErrorCodes as E, DriverFailure, type DriverConnection } from '../driver';
import { connectFailure, connectTimedOut, pinMismatch } from '../shared/network-errors';

export interface LinkOptions extends DriverConnection {
  /** Send SystemStatus after this much silence to notice a dead link (0 = never); default 20000 ms. */
  keepAliveMs?: number;
}

/** Connects and logs in; throws DriverFailure with the cause. */
export async function openLink(o: LinkOptions): Promise<{ session: BerCstaSession; reply: string }> {
  const timeout = o.connectTimeoutMs ?? 5000;
  try {
    const session = await BerCstaSession.connect({
      host: o.host,
      port: o.port,
      tls: o.tls ? { ca: o.ca, fingerprint256: o.fingerprint } : undefined,
      user: o.user || undefined,
      password: o.user ? (o.password ?? '') : undefined,
      connectTimeoutMs: timeout,
      loginTimeoutMs: timeout,
      invokeTimeoutMs: o.answerTimeoutMs ?? 10_000,
      keepAliveIntervalMs: o.keepAliveMs ?? 20_000,
      engine: 'lean',
    });
    return { session, reply: `association accepted by ${session.peer}` };
  } catch (e) {
    throw await loginFailure(e, o);
  }
}

async function loginFailure(e: unknown, o: LinkOptions): Promise<DriverFailure> {
  const where = `${o.host}:${o.port}`;
  const params = { host: o.host, port: o.port };
  if (!(e instanceof CstaError)) return new DriverFailure(E.linkLost, `connection to ${where} failed: ${String(e)}`, undefined, params);
  const d = e.details as { cause?: string; result?: number; diagnostic?: { acseServiceUser?: number } };
  switch (e.code) {
    case 'CSTA_LOGIN_REJECTED': {
      const diag = e.message.replace(/^.*diag=/, '');
      if (d.result === 2) return new DriverFailure(E.busy, `${where} refused the CSTA login for now (${diag}): the PBX is busy with another CSTA client, which it allows only one of at a time`, undefined, { ...params, cause: diag });
      const userDiag = d.diagnostic?.acseServiceUser;
      if (userDiag === 13 || userDiag === 14) return new DriverFailure(E.loginRejected, `${where} rejected the login of ${o.user ? `user "${o.user}"` : 'no user and password'} (${diag})`, undefined, { ...params, cause: diag });
      return new DriverFailure(E.loginRejected, `${where} refused the CSTA association (${diag})`, undefined, { ...params, cause: diag });
    }
    case 'CSTA_LOGIN_TIMEOUT':
      return new DriverFailure(E.timedOut, `${where} accepted the connection but did not answer the CSTA login within ${o.connectTimeoutMs ?? 5000} ms`, undefined, params);
    case 'CSTA_TLS_PIN_MISMATCH':
      return pinMismatch(o, o.fingerprint ?? '');
    case 'CSTA_CONNECT_FAILED':
      if (!d.cause) return connectTimedOut(o, o.connectTimeoutMs ?? 5000);
      return connectFailure(Object.assign(new Error(e.message), { code: d.cause }), o);
    case 'CSTA_PROTOCOL':
    case 'CSTA_ABORTED':
      return new DriverFailure(E.protocol, `${where} did not complete the CSTA login: ${e.message}`, undefined, params);
    default:
      return new DriverFailure(E.linkLost, `${where} closed the connection before answering the CSTA login (${e.message})`, undefined, params);
  }
}
