// A registrar-and-proxy server built from the stack, as a uaCSTA server would be: REGISTER goes to the
// registrar, everything else is proxied to the registered bindings. Test support only.
import { DigestServer, type DigestAlgorithm } from '../digest';
import { SipEndpoint } from '../endpoint';
import { BindingProxy } from '../proxy';
import { Registrar, type RegistrarOptions } from '../registrar';
import type { TlsServerOptions } from '../transport';

export interface TestServerOptions extends Omit<RegistrarOptions, 'auth'> {
  /** Users and passwords; digest is required when given. */
  users?: Record<string, string>;
  algorithms?: DigestAlgorithm[];
  tls?: TlsServerOptions;
}

export async function startTestServer(o: TestServerOptions = {}) {
  const { users, algorithms, tls, ...reg } = o;
  const registrar = new Registrar({ ...reg, auth: users ? { server: new DigestServer({ realm: 'uacsta', algorithms }), password: (u) => users[u] } : undefined });
  const endpoint = await SipEndpoint.start({ user: 'uacsta', listen: [{ host: '127.0.0.1', port: 0, tls }] });
  const proxy = new BindingProxy(endpoint, registrar);
  const events: string[] = [];
  const methods: string[] = [];
  registrar.on('added', (b) => events.push(`added ${b.key}`));
  registrar.on('refreshed', (b) => events.push(`refreshed ${b.key}`));
  registrar.on('removed', (b, why) => events.push(`removed ${b.key} ${why}`));
  endpoint.on('request', (inc) => {
    methods.push(inc.request.method);
    if (inc.request.method === 'REGISTER') registrar.handle(inc);
    else if (inc.request.method === 'OPTIONS' && !/^sip:[^@]+@/.test(inc.request.uri)) inc.respond(200);
    else void proxy.route(inc);
  });
  return {
    endpoint, registrar, proxy, events, methods,
    port: endpoint.servers[0].port,
    close: async () => {
      registrar.close();
      await endpoint.close();
    },
  };
}
