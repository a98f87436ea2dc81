import { afterEach, describe, expect, it } from 'vitest';
import { DigestServer } from './digest';
import { SipEndpoint } from './endpoint';
import { headerValues } from './message';
import { Registrar, type Binding, type RegistrarOptions, type RemovalReason } from './registrar';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const MAC = '000413aabbcc';
const passwords: Record<string, string> = { [MAC]: 's3cret', other: 'x' };

/** A registrar on a listening endpoint, its events recorded, and a phone endpoint that registers to it. */
async function setup(o: RegistrarOptions = {}, creds = { user: MAC, password: 's3cret' }) {
  let now = 1_000_000;
  const registrar = new Registrar({ minExpires: 60, maxExpires: 600, now: () => now, ...o });
  const server = await SipEndpoint.start({ listen: [{ host: '127.0.0.1', port: 0 }] });
  server.on('request', (inc) => (inc.request.method === 'REGISTER' ? registrar.handle(inc) : inc.respond(405)));
  const phone = await SipEndpoint.start({ user: MAC, credentials: creds });
  cleanup.push(() => registrar.close(), () => server.close(), () => phone.close());
  const events: string[] = [];
  registrar.on('added', (b) => events.push(`added ${b.key}`));
  registrar.on('refreshed', (b) => events.push(`refreshed ${b.key}`));
  registrar.on('removed', (b: Binding, why: RemovalReason) => events.push(`removed ${b.key} ${why}`));
  const port = server.servers[0].port;
  const register = (expires: number, user = MAC, extra: { callId?: string; cseq?: number; contact?: string } = {}) =>
    phone.register({
      registrar: `sip:127.0.0.1:${port};transport=tcp`, aor: `sip:${user}@127.0.0.1`, expires, callId: extra.callId, cseq: extra.cseq,
      headers: extra.contact ? [{ name: 'Contact', value: extra.contact }] : [],
    });
  return { registrar, server, phone, events, register, advance: (ms: number) => (now += ms) };
}

describe('registrar', () => {
  it('adds, refreshes and removes a binding, and lists the contacts with their remaining time', async () => {
    const { registrar, events, register } = await setup();
    const r1 = await register(300, MAC, { callId: 'reg-1', cseq: 1 });
    expect(r1.status).toBe(200);
    expect(headerValues(r1, 'Contact')).toEqual([expect.stringMatching(new RegExp(`^<sip:${MAC}@127\\.0\\.0\\.1:\\d+;transport=tcp>;expires=300$`))]);
    expect((await register(300, MAC, { callId: 'reg-1', cseq: 2 })).status).toBe(200);
    expect(registrar.lookup(MAC)).toHaveLength(1);
    expect((await register(0, MAC, { callId: 'reg-1', cseq: 3 })).status).toBe(200);
    expect(registrar.size).toBe(0);
    expect(events).toEqual([`added ${MAC}`, `refreshed ${MAC}`, `removed ${MAC} unregistered`]);
  });

  it('refuses a registration shorter than the minimum with 423 and Min-Expires, shortens one above the maximum', async () => {
    const { registrar, register } = await setup();
    const short = await register(30);
    expect(short.status).toBe(423);
    expect(headerValues(short, 'Min-Expires')).toEqual(['60']);
    expect(registrar.size).toBe(0);
    const long = await register(86400);
    expect(headerValues(long, 'Contact')[0]).toMatch(/;expires=600$/);
  });

  it('keys a binding by MAC address whatever its spelling', async () => {
    const { registrar, register } = await setup({}, { user: '0004.13AA.BBCC', password: 's3cret' });
    expect((await register(120, '0004.13AA.BBCC')).status).toBe(200);
    expect(registrar.lookup('00-04-13-aa-bb-cc')[0]).toMatchObject({ key: MAC });
    expect(registrar.lookup(MAC.toUpperCase())).toHaveLength(1);
  });

  it('lets a binding expire and says so', async () => {
    const { registrar, events, register, advance } = await setup();
    await register(60);
    advance(59_000);
    expect(registrar.sweep()).toBe(0);
    advance(2_000);
    expect(registrar.lookup(MAC)).toEqual([]);
    expect(registrar.sweep()).toBe(1);
    expect(events).toEqual([`added ${MAC}`, `removed ${MAC} expired`]);
  });

  it('drops the bindings of a connection that closes', async () => {
    const { registrar, events, register, phone } = await setup();
    await register(120);
    const removed = new Promise((r) => registrar.once('removed', r));
    await phone.close();
    await removed;
    expect(events.at(-1)).toBe(`removed ${MAC} connection-closed`);
  });

  it('removes all of a user\'s contacts with Contact: * and Expires: 0', async () => {
    const { registrar, phone, server, register } = await setup();
    await register(120);
    await register(120, MAC, { contact: `<sip:${MAC}@10.0.0.9:5060;transport=tcp>` });
    expect(registrar.lookup(MAC)).toHaveLength(2);
    const res = await phone.request({ method: 'REGISTER', uri: `sip:127.0.0.1:${server.servers[0].port}`, to: `sip:${MAC}@127.0.0.1`, from: `sip:${MAC}@127.0.0.1`, contact: false, headers: [{ name: 'Contact', value: '*' }, { name: 'Expires', value: '0' }] });
    expect(res.status).toBe(200);
    expect(registrar.size).toBe(0);
  });

  it('answers a REGISTER without Contact with the bindings it holds, changing nothing', async () => {
    const { registrar, phone, server, register, events } = await setup();
    await register(120);
    const res = await phone.request({ method: 'REGISTER', uri: `sip:127.0.0.1:${server.servers[0].port}`, to: `sip:${MAC}@127.0.0.1`, from: `sip:${MAC}@127.0.0.1`, contact: false });
    expect(res.status).toBe(200);
    expect(headerValues(res, 'Contact')).toEqual([expect.stringMatching(new RegExp(`^<sip:${MAC}@127\\.0\\.0\\.1:\\d+;transport=tcp>;expires=120$`))]);
    expect(registrar.size).toBe(1);
    expect(events).toEqual([`added ${MAC}`]);
  });

  it('ignores a REGISTER older than the last one of the same Call-ID', async () => {
    const { register } = await setup();
    expect((await register(120, MAC, { callId: 'c', cseq: 5 })).status).toBe(200);
    expect((await register(120, MAC, { callId: 'c', cseq: 4 })).status).toBe(500);
  });

  it('with digest required: registers with the right password, refuses a user registering another address', async () => {
    const auth = { server: new DigestServer({ realm: 'uacsta' }), password: (u: string) => passwords[u] };
    const ok = await setup({ auth });
    expect((await ok.register(120)).status).toBe(200);
    const wrong = await setup({ auth }, { user: MAC, password: 'guess' });
    expect((await wrong.register(120)).status).toBe(401);
    expect(wrong.registrar.size).toBe(0);
    const other = await setup({ auth }, { user: 'other', password: 'x' });
    expect((await other.register(120)).status).toBe(403);
  });
});
