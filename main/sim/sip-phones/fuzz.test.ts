// The simulated phone under a seeded storm from its server: mutated CSTA XML bodies in raw INFOs of the CSTA
// dialog, and random sequences of well-formed requests of every service with call IDs and devices drawn from a
// small set (so they hit the call model's states), with a second phone of its exchange as a party (202). Nothing may end or wedge the phone: afterwards it still answers
// MonitorStart and reports a call on it, and every raw INFO got a final answer.
import { afterEach, describe, expect, it } from 'vitest';
import type { CstaEvent } from '../../protocols/csta/model';
import { CSTA_CONTENT_TYPE, encodeRequest, openCstaDialog, type XmlServiceName } from '../../protocols/csta-xml';
import { sampleRequests } from '../../protocols/csta-xml/testing/samples';
import { DigestServer, Registrar, SipEndpoint } from '../../protocols/sip';
import { byteMutation, rng } from '../../protocols/sip/testing/mutations';
import { SimExchange, SimSipPhone, PHONE_VENDORS } from './phone';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** Replaces call IDs and devices in sample arguments by ones from a small set, so requests meet real calls. */
function retarget(args: unknown, r: () => number): unknown {
  const json = JSON.stringify(args)
    .replace(/"callId":"[^"]*"/g, () => `"callId":"${1 + Math.floor(r() * 4)}"`)
    .replace(/"id":"[^"]*"/g, () => `"id":"${['201', 'sip:201@127.0.0.1', '0301', '999', '202'][Math.floor(r() * 5)]}"`);
  return JSON.parse(json);
}

describe('simulated phone under a fuzzing server', () => {
  it.each(PHONE_VENDORS)('%s: 600 mutated CSTA bodies and 600 random requests leave it answering', async (vendor) => {
    const registrar = new Registrar({ auth: { server: new DigestServer({ realm: 'uacsta', algorithms: ['MD5'] }), password: () => 'phones' } });
    const ep = await SipEndpoint.start({ user: 'uacsta', listen: [{ host: '127.0.0.1', port: 0 }], timers: { tryingMs: 50 } });
    cleanup.push(() => registrar.close(), () => ep.close());
    ep.on('request', (inc) => (inc.request.method === 'REGISTER' ? registrar.handle(inc) : inc.respond(405)));
    const exchange = new SimExchange();
    const phone = await SimSipPhone.start({ mac: '000413000001', password: 'phones', server: { host: '127.0.0.1', port: ep.servers[0].port }, vendor, exchange });
    const other = await SimSipPhone.start({ mac: '000413000002', password: 'phones', server: { host: '127.0.0.1', port: ep.servers[0].port }, identities: ['202'], exchange });
    cleanup.push(() => phone.close(), () => other.close());
    await phone.register();
    const b = registrar.lookup(phone.mac)[0];
    const s = await openCstaDialog(ep, { uri: b.contact, connection: b.connection, to: b.aor, invokeTimeoutMs: 5000 });
    cleanup.push(() => s.close());
    const r = rng(0x5eed + vendor.length);
    const services = Object.keys(sampleRequests) as XmlServiceName[];

    // random well-formed requests: every one is answered, a result or a CSTA error, never a timeout
    for (let i = 0; i < 600; i++) {
      if (i % 20 === 0) await phone.ring('0301').catch(() => undefined);
      // the other party answers or hangs up now and then
      const far = [...other.calls.values()][Math.floor(r() * 4)];
      if (far && i % 7 === 0) await (far.state === 'alerting' ? other.connect(far.id) : other.hangup(far.id));
      const service = services[Math.floor(r() * services.length)];
      const samples = sampleRequests[service] as unknown[];
      const args = retarget(samples[Math.floor(r() * samples.length)], r);
      await s.invoke(service as never, args as never).catch((e: { code?: string }) => expect(e.code, service).not.toBe('CSTA_TIMEOUT'));
    }

    // mutated bodies in raw INFOs of the same dialog: each gets a final answer
    const { dialog } = s.carrier as unknown as { dialog: { request(m: string, o: { body: Buffer; contentType: string }): Promise<{ status: number }> } };
    let answered = 0;
    for (let i = 0; i < 600; i++) {
      const service = services[Math.floor(r() * services.length)];
      const samples = sampleRequests[service] as unknown[];
      const xml = Buffer.from(encodeRequest(service, samples[Math.floor(r() * samples.length)] as never));
      const res = await dialog.request('INFO', { body: Buffer.from(byteMutation(r, xml)), contentType: CSTA_CONTENT_TYPE });
      if (res.status >= 200) answered++;
    }
    expect(answered).toBe(600);

    const events: CstaEvent[] = [];
    s.onEvent((e) => events.push(e));
    const m = await s.invoke('monitorStart', { monitorObject: { device: { id: '201' } } });
    const call = await phone.ring('0309');
    for (let t = 0; t < 200 && !events.some((e) => e.name === 'delivered' && e.monitorCrossRefId === m.crossRefIdentifier); t++) await new Promise((res) => setTimeout(res, 10));
    expect(events.find((e) => e.name === 'delivered' && e.monitorCrossRefId === m.crossRefIdentifier)).toMatchObject({ connection: { callId: call } });
    // the exchange still rings the other phone
    const before = other.calls.size;
    await s.invoke('makeCall', { callingDevice: { id: '201' }, calledDirectoryNumber: { id: '202' } });
    for (let t = 0; t < 200 && other.calls.size === before; t++) await new Promise((res) => setTimeout(res, 10));
    expect([...other.calls.values()].at(-1)).toMatchObject({ state: 'alerting', peer: phone.identities[0] });
  }, 120_000);
});
