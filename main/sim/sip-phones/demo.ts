// The SIP phone server's demo fleet: two snom phones and a Yealink registered at the server (extensions 201-203),
// and a fourth snom phone out of the box (204) that waits to be provisioned through its web interface. They share
// one exchange: 201 calling 202 rings 202.
import type { SipLogger } from '../../protocols/sip';
import { fleetMac } from './fleet';
import { SimExchange, SimSipPhone, type PhoneVendor } from './phone';
import { ProvisionablePhone } from './web';

const REGISTERED: Array<[PhoneVendor, number, string]> = [
  ['snom', 0, '201'],
  ['snom', 1, '202'],
  ['yealink', 0, '203'],
];

export async function startDemoFleet(o: { server: { host: string; port: number }; password: string; logger: SipLogger }) {
  const phones: SimSipPhone[] = [];
  const exchange = new SimExchange();
  let waiting: ProvisionablePhone | undefined;
  const close = async () => {
    for (const p of phones) await p.close().catch(() => undefined);
    await waiting?.close().catch(() => undefined);
  };
  try {
    for (const [vendor, i, number] of REGISTERED) {
      const p = await SimSipPhone.start({ mac: fleetMac(vendor, i), password: o.password, server: o.server, vendor, identities: [number], exchange, logger: o.logger });
      phones.push(p);
      await p.keepRegistered();
    }
    waiting = await ProvisionablePhone.start({ vendor: 'snom', mac: fleetMac('snom', 3), identities: ['204'], web: { user: 'admin', password: 'admin' }, exchange, logger: o.logger });
  } catch (e) {
    await close();
    throw e;
  }
  const w = waiting;
  return {
    phones: phones.map((p) => ({ mac: p.mac, vendor: p.vendor as string, numbers: REGISTERED.filter(([v, i]) => fleetMac(v, i) === p.mac).map(([, , n]) => n) })),
    waiting: { address: w.address, mac: w.mac, vendor: w.vendor as string, numbers: ['204'], web: w.webLogin },
    close,
  };
}
