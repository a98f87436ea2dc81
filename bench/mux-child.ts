// The process the benchmark (bench/mux.bench.ts) measures, so its memory is the server's alone:
//   mux-child.ts mux <pbxPort>    the multiplexer in front of the PBX
//   mux-child.ts relay <pbxPort>  the baseline: every frame from the PBX written unchanged to every socket
// Prints "ready <port>" and answers "mem" on stdin with the process's memory usage as JSON.
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { buildAarq, encodeApdu, frameOf } from '../main/protocols/csta-ber';
import { startMultiplexer } from '../main/servers/mux';

const [mode, pbxPortText] = process.argv.slice(2);
const pbxPort = Number(pbxPortText);

async function startRelay(): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    s.setNoDelay(true);
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const pbx = connect({ host: '127.0.0.1', port: pbxPort }, () => pbx.write(frameOf(encodeApdu({ kind: 'aarq', ...buildAarq() }))));
  pbx.setNoDelay(true);
  let first = true;
  pbx.on('data', (chunk: Buffer) => {
    if (first) {
      first = false; // the AARE
      return;
    }
    for (const s of sockets) s.write(chunk);
  });
  return (server.address() as AddressInfo).port;
}

const port =
  mode === 'relay'
    ? await startRelay()
    : (await startMultiplexer({ pbx: { host: '127.0.0.1', port: pbxPort }, bind: '127.0.0.1', tcpPort: 0, keepAliveMs: 0, maxBufferedBytes: 64 << 20 })).tcpPort;
process.stdout.write(`ready ${port}\n`);
process.stdin.on('data', (d) => {
  if (String(d).trim() === 'mem') {
    globalThis.gc?.();
    process.stdout.write(`mem ${JSON.stringify(process.memoryUsage())}\n`);
  }
});
process.stdin.on('end', () => process.exit(0));
