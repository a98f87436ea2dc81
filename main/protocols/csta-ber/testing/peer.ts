// A minimal CSTA switch built from this codec, for the connection and fuzz tests (the Panasonic simulator
// in main/sim is the full one). Loopback only, ephemeral port.
import net from 'node:net';
import tls from 'node:tls';
import { aarqCredentials, buildAare } from '../acse';
import { decodeApdu, encodeApdu, type CstaApdu, type InvokeApdu } from '../apdu';
import { encodeFrame, FrameDecoder } from '../framing';
import type { OperationName } from '../operations';

export interface PeerSession {
  socket: net.Socket;
  received: CstaApdu[];
  send(apdu: CstaApdu): void;
  sendRaw(bytes: Uint8Array): void;
}

export interface TestPeerOptions {
  login?: { user: string; password: string };
  /** Answer to an invoke; undefined = stay silent. */
  answer?: (invoke: InvokeApdu, session: PeerSession) => CstaApdu | undefined;
  /** Send SystemStatus after the AARE, as the Panasonic PBX does (default true). */
  systemStatusAfterLogin?: boolean;
  tls?: { cert: string; key: string };
}

export interface TestPeer {
  port: number;
  sessions: PeerSession[];
  /** Resolves with the next session that completes its association. */
  nextSession(): Promise<PeerSession>;
  close(): Promise<void>;
}

export async function startTestPeer(opts: TestPeerOptions = {}, port = 0): Promise<TestPeer> {
  const sessions: PeerSession[] = [];
  const sockets = new Set<net.Socket>();
  let waiters: Array<(s: PeerSession) => void> = [];
  const onSocket = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const dec = new FrameDecoder({ maxApduSize: 65535 });
    const s: PeerSession = {
      socket,
      received: [],
      send: (a) => socket.write(encodeFrame(encodeApdu(a, { engine: 'lean' }))),
      sendRaw: (b) => socket.write(b),
    };
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      let apdus: Uint8Array[];
      try {
        apdus = dec.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const bytes of apdus) {
        let a: CstaApdu;
        try {
          a = decodeApdu(bytes, { engine: 'lean' });
        } catch {
          socket.destroy();
          return;
        }
        s.received.push(a);
        if (a.kind === 'aarq') {
          const cred = aarqCredentials(a);
          const ok = !opts.login || (cred?.user === opts.login.user && cred?.password === opts.login.password);
          s.send({ kind: 'aare', ...buildAare(ok ? {} : { result: 'rejectedPermanent', diagnostic: { acseServiceUser: 13 } }) });
          if (!ok) continue;
          sessions.push(s);
          if (opts.systemStatusAfterLogin !== false) s.send({ kind: 'invoke', invokeId: 1, opcode: 211, operation: 'systemStatus', argument: { systemStatus: 'normal' } });
          const w = waiters;
          waiters = [];
          w.forEach((f) => f(s));
        } else if (a.kind === 'rlrq') {
          s.send({ kind: 'rlre', reason: 0 });
          socket.end();
        } else if (a.kind === 'invoke') {
          const reply = opts.answer?.(a, s);
          if (reply) s.send(reply);
        }
      }
    });
  };
  const server = opts.tls ? tls.createServer({ cert: opts.tls.cert, key: opts.tls.key }, onSocket) : net.createServer(onSocket);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    sessions,
    nextSession: () => new Promise((resolve) => waiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/** A switch that answers every modelled invoke with a plausible result. */
export function answerWith(results: Partial<Record<OperationName, unknown>>): (inv: InvokeApdu) => CstaApdu | undefined {
  return (inv) => {
    if (inv.operation === undefined || !(inv.operation in results)) return undefined;
    return { kind: 'returnResult', invokeId: inv.invokeId, opcode: inv.opcode, operation: inv.operation, result: results[inv.operation] } as CstaApdu;
  };
}
