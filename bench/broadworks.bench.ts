/**
 * BroadWorks driver benchmark: 5,000 users in server mode against the simulator — read the group directory and
 * open every line (three Xsi-Events subscriptions each, 32 at a time), then a burst of incoming calls: events per
 * second and p99 latency from the platform's call model to the driver's line event (streamed, parsed, mapped and
 * acknowledged). Beside it, in the same run, the bare HTTP streaming of the same event documents: a plain HTTP
 * server writes them on one chunked response, the client only finds where each ends.
 *
 * Run: npx tsx bench/broadworks.bench.ts [users] [calls]   (defaults 5,000 and 2,000; well under a minute)
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBroadWorksSim } from '../main/sim/broadworks';
import { BroadWorksDriver } from '../main/drivers/broadworks/broadworks-driver';
import type { DriverLineEvent } from '../main/drivers';

const USERS = Number(process.argv[2] ?? 5000);
const CALLS = Number(process.argv[3] ?? 2000);
const CONCURRENCY = 32;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const ms = (n: number) => `${n.toFixed(2)} ms`;

const sim = await startBroadWorksSim({ users: USERS, eventResponseTimeoutMs: 120_000 });
const driver = new BroadWorksDriver({ host: '127.0.0.1', port: sim.port, xsiPort: sim.port, tls: false, user: sim.admin.userId, password: sim.admin.password, scope: 'server', urlPrefix: '', groupUser: '2000@sim.test', lineNameFormat: 'standard', answerTimeoutMs: 60_000 });

// ---- query and open all lines --------------------------------------------------------------------------------
let t = performance.now();
await driver.connect();
const found = await driver.discover({ readNames: true });
const discoverMs = performance.now() - t;
t = performance.now();
const queue = [...found.devices];
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    for (let d = queue.shift(); d; d = queue.shift()) await driver.monitorStart({ key: d.userId!, number: d.number, userId: d.userId });
  }),
);
const openMs = performance.now() - t;
console.log(`${found.devices.length} lines read in ${ms(discoverMs)}, opened (${sim.xsi.status().subscriptions} subscriptions) in ${ms(openMs)}`);

// ---- a burst of calls through the driver -----------------------------------------------------------------------
const sentAt = new Map<string, number>();
const latencies: number[] = [];
let last = 0;
let done!: () => void;
const all = new Promise<void>((r) => (done = r));
driver.onEvent((e: DriverLineEvent) => {
  if (e.event !== 'delivered' || !e.callId) return;
  const at = sentAt.get(e.callId);
  if (at === undefined) return;
  const now = performance.now();
  latencies.push(now - at);
  last = now;
  if (latencies.length === CALLS) done();
});
const burstStart = performance.now();
for (let i = 0; i < CALLS; i++) {
  const h = sim.xsi.calls.incoming(`030${1_000_000 + i}`, String(2000 + (i % USERS)));
  sentAt.set(h.callId, performance.now());
}
await all;
const driverRate = (CALLS * 1000) / (last - burstStart);
const driverP99 = pct(latencies, 0.99);
await driver.close();
await sim.close();

// ---- baseline: the same documents over bare HTTP streaming -------------------------------------------------------
const sample = (i: number) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<xsi:Event xmlns:xsi="http://schema.broadsoft.com/xsi" xmlns:xsi1="http://www.w3.org/2001/XMLSchema-instance" xsi1:type="xsi:SubscriptionEvent"><xsi:eventID>${i}</xsi:eventID><xsi:sequenceNumber>${i}</xsi:sequenceNumber><xsi:userId>admin@sim.test</xsi:userId><xsi:externalApplicationId>linekeeper</xsi:externalApplicationId><xsi:subscriptionId>0f5a3c2e-5a1b-4f7e-9d5e-7f0c1a2b3c4d</xsi:subscriptionId><xsi:channelId>8b1e2d3c-4f5a-6b7c-8d9e-0f1a2b3c4d5e</xsi:channelId><xsi:targetId>2000@sim.test</xsi:targetId><xsi:eventData xsi1:type="xsi:CallReceivedEvent"><xsi:call><xsi:callId>callhalf-${i}:0</xsi:callId><xsi:extTrackingId>${i}:1</xsi:extTrackingId><xsi:personality>Terminator</xsi:personality><xsi:state>Alerting</xsi:state><xsi:remoteParty><xsi:address>tel:0301000000</xsi:address><xsi:callType>Network</xsi:callType></xsi:remoteParty><xsi:appearance>1</xsi:appearance><xsi:startTime>1765000000000</xsi:startTime></xsi:call></xsi:eventData></xsi:Event>`;
let stream!: (doc: string) => void;
const ready = new Promise<void>((r) => {
  const srv: Server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/xml' });
    stream = (d) => res.write(d);
    r();
  });
  srv.listen(0, '127.0.0.1', () => {
    const req = request({ host: '127.0.0.1', port: (srv.address() as AddressInfo).port, method: 'POST', path: '/channel' }, (res) => {
      res.setEncoding('utf8');
      let seen = 0;
      let tail = '';
      res.on('data', (chunk: string) => {
        const text = tail + chunk;
        let from = 0;
        for (let at = text.indexOf('</xsi:Event>', from); at >= 0; at = text.indexOf('</xsi:Event>', from)) {
          const now = performance.now();
          baseLat.push(now - baseSent[seen++]);
          baseLast = now;
          from = at + 12;
        }
        tail = text.slice(from);
        if (seen === CALLS) {
          baseDone();
          srv.closeAllConnections();
          srv.close();
        }
      });
    });
    req.end('<Channel/>');
  });
});
const baseSent: number[] = [];
const baseLat: number[] = [];
let baseLast = 0;
let baseDone!: () => void;
const baseAll = new Promise<void>((r) => (baseDone = r));
await ready;
const baseStart = performance.now();
for (let i = 0; i < CALLS; i++) {
  baseSent.push(performance.now());
  stream(sample(i));
}
await baseAll;
const baseRate = (CALLS * 1000) / (baseLast - baseStart);
const baseP99 = pct(baseLat, 0.99);

console.log(`burst of ${CALLS} calls through the driver: ${driverRate.toFixed(0)} events/s, p99 ${ms(driverP99)}`);
console.log(`bare HTTP streaming of the same documents: ${baseRate.toFixed(0)} events/s, p99 ${ms(baseP99)}`);
console.log(`ratio driver / bare: throughput ${(driverRate / baseRate).toFixed(3)}, p99 latency ${(driverP99 / baseP99).toFixed(1)}x`);
process.exit(0);
