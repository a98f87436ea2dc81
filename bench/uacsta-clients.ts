// The client side of bench/uacsta.bench.ts in a process of its own, so the server's process does only the server's
// work: two CTI clients monitoring every line, and two bare sockets for the baseline. IPC messages:
//   {collect: n}                     answers {received: [[device|callId, at]]} once both clients have n Delivered
//   {bare: port, size, seqAt}        connects two sockets to the forwarder; answers {connected: true}
//   {bareCollect: n}                 answers {bareReceived: [[seq, at]]} once both sockets have n messages
import { connect } from 'node:net';
import type { CstaEvent } from '../main/protocols/csta/model';
import { openCstaDialog } from '../main/protocols/csta-xml';
import { SipEndpoint } from '../main/protocols/sip';

const [port, phones] = [Number(process.argv[2]), Number(process.argv[3])];
const at = () => performance.timeOrigin + performance.now();
const wait = async (f: () => boolean, ms = 120_000) => {
  for (const end = Date.now() + ms; !f() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
};

async function client(name: string) {
  const ep = await SipEndpoint.start({ user: name, credentials: { user: 'cti', password: 'c' } });
  const s = await openCstaDialog(ep, { uri: `sip:uacsta@127.0.0.1:${port};transport=tcp`, invokeTimeoutMs: 60_000 });
  const received: Array<[string, number]> = [];
  let inService = 0;
  s.onEvent((e: CstaEvent) => {
    if (e.name === 'backInService') inService++;
    if (e.name === 'delivered') received.push([`${(e.connection.device as { id: string }).id}|${e.connection.callId}`, at()]);
  });
  const numbers = Array.from({ length: phones }, (_, i) => String(1000 + i));
  await Promise.all(Array.from({ length: 32 }, async () => { for (let n = numbers.shift(); n; n = numbers.shift()) await s.invoke('monitorStart', { monitorObject: { device: { id: n } } }); }));
  await wait(() => inService >= phones);
  return { received };
}
const clients = [await client('cti-a'), await client('cti-b')];
const bare: Array<Array<[number, number]>> = [[], []];

process.on('message', (m: { collect?: number; bare?: number; size?: number; seqAt?: number; bareCollect?: number }) => {
  if (m.collect) {
    const n = m.collect;
    const cpu0 = process.cpuUsage();
    void wait(() => clients.every((c) => c.received.length >= n)).then(() => { const u = process.cpuUsage(cpu0); process.send!({ received: clients.flatMap((c) => c.received), cpuMs: (u.user + u.system) / 1000 }); });
  } else if (m.bare) {
    const { size, seqAt } = m as { size: number; seqAt: number };
    let open = 0;
    for (const got of bare) {
      const s = connect(m.bare, '127.0.0.1').setNoDelay(true);
      let buf = Buffer.alloc(0);
      s.on('connect', () => ++open === 2 && process.send!({ connected: true }));
      s.on('data', (d) => {
        buf = buf.length ? Buffer.concat([buf, d]) : d;
        while (buf.length >= size) {
          got.push([Number(buf.toString('latin1', seqAt, seqAt + 10)), at()]);
          buf = buf.subarray(size);
        }
      });
    }
  } else if (m.bareCollect) {
    const n = m.bareCollect;
    void wait(() => bare.every((b) => b.length >= n)).then(() => process.send!({ bareReceived: bare.flat() }));
  }
});
process.send!({ ready: true });
