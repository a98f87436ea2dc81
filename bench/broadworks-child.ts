// The platform side of bench/broadworks.bench.ts in a process of its own, so the benchmark's process does only the
// client's work: the simulator (Xsi for the driver) and a bare streaming server (the baseline). IPC messages:
//   {burst: n}     n incoming calls on the simulator; answers {sent: [[callId, at]]}
//   {baseline: n}  n event documents on the bare stream; answers {sent: [at]}
// The simulator serves Xsi over HTTP and the CTI socket; the driver runs once over each.
// Times are absolute (performance.timeOrigin + now), comparable between the two processes.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBroadWorksSim } from '../main/sim/broadworks';

const users = Number(process.argv[2] ?? 5000);
const at = () => performance.timeOrigin + performance.now();
const sim = await startBroadWorksSim({ users, eventResponseTimeoutMs: 120_000, ctiPort: 0 });

let stream: ServerResponse | undefined;
const bare = createServer((req, res) => {
  req.socket.setNoDelay(true);
  res.writeHead(200, { 'Content-Type': 'application/xml' });
  res.flushHeaders();
  stream = res;
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));

export const sample = (i: number) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<xsi:Event xmlns:xsi="http://schema.broadsoft.com/xsi" xmlns:xsi1="http://www.w3.org/2001/XMLSchema-instance" xsi1:type="xsi:SubscriptionEvent"><xsi:eventID>${i}</xsi:eventID><xsi:sequenceNumber>${i}</xsi:sequenceNumber><xsi:userId>admin@sim.test</xsi:userId><xsi:externalApplicationId>linekeeper</xsi:externalApplicationId><xsi:subscriptionId>0f5a3c2e-5a1b-4f7e-9d5e-7f0c1a2b3c4d</xsi:subscriptionId><xsi:channelId>8b1e2d3c-4f5a-6b7c-8d9e-0f1a2b3c4d5e</xsi:channelId><xsi:targetId>2000@sim.test</xsi:targetId><xsi:eventData xsi1:type="xsi:CallReceivedEvent"><xsi:call><xsi:callId>callhalf-${i}:0</xsi:callId><xsi:extTrackingId>${i}:1</xsi:extTrackingId><xsi:personality>Terminator</xsi:personality><xsi:state>Alerting</xsi:state><xsi:remoteParty><xsi:address>tel:0301000000</xsi:address><xsi:callType>Network</xsi:callType></xsi:remoteParty><xsi:appearance>1</xsi:appearance><xsi:startTime>1765000000000</xsi:startTime></xsi:call></xsi:eventData></xsi:Event>`;

process.on('message', (m: { burst?: number; baseline?: number; stop?: boolean }) => {
  if (m.burst) {
    const sent: [string, number][] = [];
    for (let i = 0; i < m.burst; i++) sent.push([sim.xsi.calls.incoming(`030${1_000_000 + i}`, String(2000 + (i % users))).callId, at()]);
    process.send!({ sent });
  } else if (m.baseline) {
    const sent: number[] = [];
    for (let i = 0; i < m.baseline; i++) {
      sent.push(at());
      stream!.write(sample(i));
    }
    process.send!({ sent });
  } else if (m.stop) {
    stream?.end();
    void sim.close().then(() => process.exit(0));
  }
});
process.send!({ port: sim.port, ctiPort: sim.ctiPort, bare: (bare.address() as AddressInfo).port, admin: sim.admin });
