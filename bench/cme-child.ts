// The CME side of bench/cme.bench.ts in a process of its own: the simulator (XML API and SIP) and, for the
// baseline, a bare HTTP server answering every POST with a fixed small document.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCmeSim } from '../main/sim/cme';

const phones = Number(process.argv[2] ?? 5000);
const sim = await startCmeSim({ phones, sip: { port: 0 } });
const doc = '<?xml version="1.0"?><response><ISDevices/></response>';
const bare = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(doc) }).end(doc));
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
process.on('message', (m: { stop?: boolean }) => {
  if (m.stop) void sim.close().then(() => process.exit(0));
});
process.send!({ port: sim.port, sipPort: sim.sip!.port, bare: (bare.address() as AddressInfo).port });
