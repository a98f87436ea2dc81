import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

/** The simulator's CSTA ports: plain TCP (the PBX's 33333) and optionally TLS with a given certificate. */
export interface ListenerOptions {
  host: string;
  port: number;
  tls?: { port: number; cert: string | Buffer; key: string | Buffer };
}

export interface Listeners {
  tcpPort: number;
  tlsPort?: number;
  /** Stops accepting and destroys every open connection. */
  close(): Promise<void>;
}

export class ListenError extends Error {
  readonly code = 'SIM_LISTEN_FAILED';
  constructor(host: string, port: number, cause: Error) {
    super(`cannot listen on ${host}:${port}: ${cause.message}`);
    this.name = 'ListenError';
  }
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(new ListenError(host, port, e));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startListeners(opts: ListenerOptions, onConnection: (socket: Socket, transport: 'tcp' | 'tls') => void): Promise<Listeners> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket, transport: 'tcp' | 'tls') => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    // A client that vanishes without closing must not hold the PBX's one association for ever.
    socket.setKeepAlive(true, 10_000);
    onConnection(socket, transport);
  };
  const servers: Server[] = [];
  const tcp = createTcpServer((s) => track(s, 'tcp'));
  const tcpPort = await listen(tcp, opts.host, opts.port);
  servers.push(tcp);
  let tlsPort: number | undefined;
  if (opts.tls) {
    const tls = createTlsServer({ cert: opts.tls.cert, key: opts.tls.key }, (s) => track(s, 'tls'));
    // A failed handshake (wrong CA, plain TCP on the TLS port) only ends that client's attempt.
    tls.on('tlsClientError', (_e, s) => s.destroy());
    try {
      tlsPort = await listen(tls, opts.host, opts.tls.port);
    } catch (e) {
      tcp.close();
      throw e;
    }
    servers.push(tls);
  }
  return {
    tcpPort,
    tlsPort,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((srv) => new Promise<void>((resolve) => srv.close(() => resolve()))));
    },
  };
}
