/**
 * CME driver benchmark: 5,000 SCCP phones in the simulator (in a child process) — test connection with both halves,
 * read the lines over the XML API (`all` is refused above 1,000 entities, so phones and extensions are read one per
 * request as on a real CME) and open every line over CSTA in the SIP dialog. Beside it, in the same run, as many
 * bare HTTP round trips (POST, fixed small answer, same concurrency) as the discovery made: the XML API's share is
 * the ratio; and as many bare SIP transactions (INFO answered 200, 32 at a time) as lines were opened.
 *
 * Run: npx tsx bench/cme.bench.ts [phones]   (default 5,000)
 */
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { CmeDriver } from '../main/drivers/cme/cme-driver';
import { SipEndpoint } from '../main/protocols/sip';

const PHONES = Number(process.argv[2] ?? 5000);
const CONCURRENCY = 3;
const ms = (n: number) => `${n.toFixed(0)} ms`;

const child = fork(new URL('./cme-child.ts', import.meta.url), [String(PHONES)], { execArgv: ['--import', 'tsx'] });
const { port, sipPort, bare, bareSip } = await new Promise<{ port: number; sipPort: number; bare: number; bareSip: number }>((r) => child.once('message', (m) => r(m as never)));
const driver = new CmeDriver({ host: '127.0.0.1', port, tls: false, user: 'cisco', password: 'cisco', readLineButtons: true, answerTimeoutMs: 60_000, sip: { localHost: '127.0.0.1', localPort: 0, cmeSipPort: sipPort, sessionServerId: 'ss_ecsta' } });

let t = performance.now();
await driver.connect();
const connectMs = performance.now() - t;
const before = driver.stats().requests;
t = performance.now();
const found = await driver.discover({ readNames: true });
const discoverMs = performance.now() - t;
const httpRequests = driver.stats().requests - before;
t = performance.now();
const queue = [...found.devices];
await Promise.all(
  Array.from({ length: 32 }, async () => {
    for (let d = queue.shift(); d; d = queue.shift()) await driver.monitorStart({ key: `${d.number}|${d.deviceId ?? ''}`, number: d.number, deviceId: d.deviceId });
  }),
);
const openMs = performance.now() - t;
await driver.close();

// ---- baseline: the same number of bare HTTP round trips, 3 at a time ------------------------------------------
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const body = '<request><ISgetDevice><ISDevID>1</ISDevID></ISgetDevice></request>';
const once = () =>
  new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: bare, method: 'POST', path: '/ios_xml_app/cme', agent, headers: { 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(body);
  });
t = performance.now();
let left = httpRequests;
await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (left-- > 0) await once(); }));
const bareMs = performance.now() - t;
agent.destroy();

// ---- baseline: as many bare SIP transactions (INFO answered 200) as lines were opened, 32 at a time, one TCP connection
const sip = await SipEndpoint.start({ user: 'bench', listen: [{ host: '127.0.0.1', port: 0 }] });
const sipTarget = { host: '127.0.0.1', port: bareSip, transport: 'TCP' as const };
await sip.request({ method: 'OPTIONS', uri: `sip:bare@127.0.0.1:${bareSip};transport=tcp`, target: sipTarget });
t = performance.now();
let sipLeft = found.devices.length;
await Promise.all(Array.from({ length: 32 }, async () => { while (sipLeft-- > 0) await sip.request({ method: 'INFO', uri: `sip:bare@127.0.0.1:${bareSip};transport=tcp`, target: sipTarget }); }));
const bareSipMs = performance.now() - t;
await sip.close();
child.send({ stop: true });

console.log(`test connection (XML API + SIP registration + CTI dialog): ${ms(connectMs)}`);
console.log(`${found.devices.length} lines read in ${ms(discoverMs)} with ${httpRequests} XML API requests (${(httpRequests / (discoverMs / 1000)).toFixed(0)}/s), opened in ${ms(openMs)} (${(found.devices.length / (openMs / 1000)).toFixed(0)} MonitorStart/s in one SIP dialog)`);
console.log(`bare HTTP: ${httpRequests} round trips, ${CONCURRENCY} at a time, in ${ms(bareMs)} (${(httpRequests / (bareMs / 1000)).toFixed(0)}/s)`);
console.log(`ratio discovery / bare round trips: ${(discoverMs / bareMs).toFixed(2)}x`);
console.log(`bare SIP: ${found.devices.length} transactions (INFO, 200), 32 at a time, in ${ms(bareSipMs)} (${(found.devices.length / (bareSipMs / 1000)).toFixed(0)}/s); ratio opening / bare SIP: ${(openMs / bareSipMs).toFixed(2)}x`);
process.exit(0);
