// Test support: our uaCSTA server (phone and client interfaces on 127.0.0.1, free ports) with simulated phones
// 000413aabb01 … (numbers 201 …, phone password "phones") registered and controllable.
import { ClientInterface, PhoneInterface } from '../../../servers/uacsta';
import { SimSipPhone } from '../phone';

export async function startServerWithPhones(o: { clients: Array<{ user: string; password: string }>; numbers?: string[]; reopenMs?: number; clientTls?: { key: string; cert: string }; userAgents?: string[] }) {
  const phones = await PhoneInterface.start({ host: '127.0.0.1', port: 0, password: 'phones', reopenMs: o.reopenMs });
  const startClients = (port: number) => ClientInterface.start(phones, { host: '127.0.0.1', port, clients: o.clients, tls: o.clientTls && { port: 0, ...o.clientTls } });
  let clients = await startClients(0);
  const sims: SimSipPhone[] = [];
  const close = async () => {
    for (const s of sims) await s.close();
    await clients.close();
    await phones.close();
  };
  const numbers = o.numbers ?? ['201', '202'];
  for (const [i, n] of numbers.entries()) {
    const p = await SimSipPhone.start({ mac: `000413aabb${(i + 1).toString(16).padStart(2, '0')}`, password: 'phones', server: { host: '127.0.0.1', port: phones.port }, identities: [n], userAgent: o.userAgents?.[i] });
    sims.push(p);
    await p.register();
  }
  for (let t = 0; t < 3000 && phones.phones().filter((p) => p.status === 'controllable').length < numbers.length; t += 10) await new Promise((r) => setTimeout(r, 10));
  if (phones.phones().filter((p) => p.status === 'controllable').length < numbers.length) {
    await close();
    throw new Error(`not every simulated phone became controllable: ${JSON.stringify(phones.phones())}`);
  }
  /** The client interface stops (its clients' links go) and starts again on the same port. */
  const restartClients = async () => {
    const port = clients.port;
    await clients.close();
    clients = await startClients(port);
    return clients;
  };
  return { phones, clients, sims, close, restartClients };
}
