// Test support for the HTTP servers (serve, the simulators' control APIs); product code never imports it.
import { connect } from 'node:net';

/** Sends raw bytes (so malformed requests reach the server) and collects the answer until the server closes. */
export function rawHttp(port: number, request: string | Buffer, quietMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let got = '';
    socket.on('data', (d) => (got += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
    socket.setTimeout(quietMs, () => socket.destroy());
  });
}
