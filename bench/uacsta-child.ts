// The phone side of bench/uacsta.bench.ts in a process of its own: N simulated snom phones registering at the
// server, and the same event bytes written to a bare TCP forwarder (the baseline). IPC messages:
//   {burst: n}               n incoming calls, round robin over the phones; answers {sent: [[device|callId, at]], lost}
//   {baseline: n, port, bytes} n messages of the given bytes to the forwarder over 50 connections; answers {sent: [at]}
// Times are absolute (performance.timeOrigin + now), comparable between the processes.
import { connect, type Socket } from 'node:net';
import { SimSipPhone } from '../main/sim/sip-phones/phone';
import { fleetMac } from '../main/sim/sip-phones/fleet';

const [host, port, count] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const at = () => performance.timeOrigin + performance.now();
const cpuMs = (since: NodeJS.CpuUsage) => { const u = process.cpuUsage(since); return (u.user + u.system) / 1000; };
const phones: SimSipPhone[] = [];
for (let i = 0; i < count; i++) phones.push(await SimSipPhone.start({ mac: fleetMac('snom', i), password: 'phones', server: { host, port }, identities: [String(1000 + i)], expires: 3600 }));
const queue = [...phones];
await Promise.all(Array.from({ length: 16 }, async () => { for (let p = queue.shift(); p; p = queue.shift()) await p.register(); }));

process.on('message', (m: { burst?: number; baseline?: number; port?: number; bytes?: string; stop?: boolean }) => {
  if (m.burst) {
    const n = m.burst;
    const cpu0 = process.cpuUsage();
    let lost = 0;
    const sent: Array<[string, number]> = [];
    const rings: Array<Promise<unknown>> = [];
    for (let i = 0; i < n; i++) {
      const p = phones[i % phones.length];
      const t = at();
      // a ring whose INFO the server leaves unanswered (SIP timer F, 32 s) counts as lost
      rings.push(p.ring(`030${1_000_000 + i}`).then((id) => sent.push([`${p.identities[0]}|${id}`, t]), () => lost++));
    }
    void Promise.all(rings).then(() => process.send!({ sent, lost, cpuMs: cpuMs(cpu0) }));
  } else if (m.baseline) {
    const socks: Socket[] = Array.from({ length: 50 }, () => connect(m.port!, '127.0.0.1').setNoDelay(true));
    void Promise.all(socks.map((s) => new Promise((r) => s.once('connect', r)))).then(() => {
      const sent: number[] = [];
      const bytes = Buffer.from(m.bytes!);
      for (let i = 0; i < m.baseline!; i++) {
        // the sequence number goes into the message's fixed-width field, so the client can match it
        const msg = Buffer.from(bytes);
        msg.write(String(i).padStart(10, '0'), bytes.indexOf('0000000000'));
        sent.push(at());
        socks[i % socks.length].write(msg);
      }
      process.send!({ sent });
    });
  } else if (m.stop) {
    void Promise.all(phones.map((p) => p.close())).then(() => process.exit(0));
  }
});
process.send!({ ready: phones.length });
