// Proof against real peers: SIPp (and sipsak) drive our registrar and proxy, and play the phone for our client.
// Debian's SIPp has no TLS, so over TLS it runs through socat (OpenSSL, checking our certificate); sipsak speaks
// TLS itself (GnuTLS). Each test starts its peers and fails when SIPp reports a failed call.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCert } from './testing/certs';
import { freePort, listening, requireTool, startSipp, type SippResult } from './testing/sipp';
import { startTestServer } from './testing/server';

const MAC = '000413aabbcc';
const users = { [MAC]: 's3cret' };
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function server(o: Parameters<typeof startTestServer>[0] = {}) {
  const s = await startTestServer(o);
  cleanup.push(() => s.close());
  return s;
}

function passed(r: SippResult): void {
  expect({ code: r.code, successful: r.successful, failed: r.failed }, r.log).toEqual({ code: 0, successful: expect.any(Number), failed: 0 });
  expect(r.successful, r.log).toBeGreaterThan(0);
}

/** A TCP port that socat relays over TLS to `tlsPort`, checking the certificate against `caFile` and `localhost`. */
async function tlsTunnel(tlsPort: number, caFile: string): Promise<number> {
  requireTool('socat', 'socat');
  const port = await freePort();
  const p = spawn('socat', [`TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr`, `OPENSSL:127.0.0.1:${tlsPort},cafile=${caFile},commonname=localhost,verify=1`], { stdio: 'ignore' });
  cleanup.push(() => p.kill());
  await listening(port);
  return port;
}

describe('SIPp drives our registrar', () => {
  it('REGISTER with digest (MD5), OPTIONS keep-alive and unregister over TCP', async () => {
    const s = await server({ users, algorithms: ['MD5'] });
    const r = await startSipp({ scenario: 'register-digest.xml', remote: `127.0.0.1:${s.port}`, args: ['-s', MAC, '-ap', 's3cret'] }).done;
    passed(r);
    expect(s.events).toEqual([`added ${MAC}`, `removed ${MAC} unregistered`]);
    expect(s.methods).toEqual(['REGISTER', 'REGISTER', 'OPTIONS', 'REGISTER']);
  });

  it('REGISTER with digest over TLS (SIPp through an OpenSSL tunnel that checks our certificate)', async () => {
    const cert = makeTestCert();
    const s = await server({ users, algorithms: ['MD5'], tls: cert });
    const port = await tlsTunnel(s.port, cert.certPath);
    const r = await startSipp({ scenario: 'register-digest.xml', remote: `127.0.0.1:${port}`, args: ['-s', MAC, '-ap', 's3cret'] }).done;
    passed(r);
    expect(s.events).toEqual([`added ${MAC}`, `removed ${MAC} unregistered`]);
    expect(s.endpoint.servers[0].transport).toBe('TLS');
  });

  it('a wrong password is refused: SIPp reports the call failed and no binding appears', async () => {
    const s = await server({ users, algorithms: ['MD5'] });
    const r = await startSipp({ scenario: 'register-digest.xml', remote: `127.0.0.1:${s.port}`, args: ['-s', MAC, '-ap', 'guess'], timeoutS: 5 }).done;
    expect(r.failed, r.log).toBe(1);
    expect(s.registrar.size).toBe(0);
  });
});

describe('sipsak registers over TLS', () => {
  it('REGISTER with digest over TLS from GnuTLS', async () => {
    requireTool('sipsak', 'sipsak');
    const cert = makeTestCert();
    const s = await server({ users, algorithms: ['MD5'], minExpires: 10, tls: { ...cert, maxVersion: 'TLSv1.2' } });
    const contact = `sip:${MAC}@127.0.0.1:5099`;
    // sipsak 0.9.8 compares the certificate's name with "host:port" (and cuts a 5-digit port), so it cannot
    // verify any certificate here (the socat test above proves the certificate); it knows MD5 only, and fails
    // to read TLS 1.3 records, hence MD5 and TLS 1.2
    const args = ['-U', '-C', contact, '-s', `sip:${MAC}@localhost:${s.port}`, '--transport', 'tls', '--tls-ignore-cert-failure', '-u', MAC, '-a', 's3cret', '-x', '120', '-i', '-vv'];
    const added = new Promise<string>((r) => s.registrar.once('added', (b) => r(b.contact)));
    const removed = new Promise((r) => s.registrar.once('removed', r));
    const r = await run('sipsak', args);
    expect(r.code, r.out).toBe(0);
    expect(await added).toBe(contact);
    // sipsak closes its connection when done, and the binding goes with it
    await removed;
    expect(s.events).toEqual([`added ${MAC}`, `removed ${MAC} connection-closed`]);
    expect(s.methods).toEqual(['REGISTER', 'REGISTER']);
  });
});

function run(cmd: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => p.kill(), 15_000);
    p.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}
