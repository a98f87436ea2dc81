// The CME side of bench/cme.bench.ts in a process of its own: the simulator (XML API and SIP) and, for the
// baselines, a bare HTTP server answering every POST with a fixed small document and a SIP endpoint answering 200.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCmeSim } from '../main/sim/cme';
import { SipEndpoint } from '../main/protocols/sip';

const phones = Number(process.argv[2] ?? 5000);
const sim = await startCmeSim({ phones, sip: { port: 0 } });
const doc = '<?xml version="1.0"?><response><ISDevices/></response>';
const bare = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(doc) }).end(doc));
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
// The SIP baseline: an endpoint that answers every request 200 at once (no CSTA behind it).
const bareSip = await SipEndpoint.start({ user: 'bare', listen: [{ host: '127.0.0.1', port: 0 }] });
bareSip.on('request', (inc) => inc.respond(200));
process.on('message', (m: { stop?: boolean }) => {
  if (m.stop) void sim.close().then(() => process.exit(0));
});
process.send!({ port: sim.port, sipPort: sim.sip!.port, bare: (bare.address() as AddressInfo).port, bareSip: bareSip.servers[0].port });
