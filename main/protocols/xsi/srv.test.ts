import { afterEach, describe, expect, it } from 'vitest';
import { orderSrv, srvApplies, srvTargets } from './srv';
import { startDnsServer } from './testing/dns-server';
import { rng } from '../csta-ber/testing/mutations';

let dns: Awaited<ReturnType<typeof startDnsServer>> | undefined;
afterEach(async () => {
  await dns?.close();
  dns = undefined;
});

describe('SRV order (RFC 2782)', () => {
  it('tries lower priorities first and draws within a priority by weight', () => {
    const records = [
      { name: 'b', port: 1, priority: 20, weight: 20 },
      { name: 'a1', port: 1, priority: 10, weight: 60 },
      { name: 'a2', port: 1, priority: 10, weight: 40 },
      { name: 'a0', port: 1, priority: 10, weight: 0 },
    ];
    const r = rng(7);
    let a1First = 0;
    for (let i = 0; i < 2000; i++) {
      const order = orderSrv(records, r).map((x) => x.name);
      expect(order.slice(3)).toEqual(['b']);
      expect(order.slice(0, 3).sort()).toEqual(['a0', 'a1', 'a2']);
      if (order[0] === 'a1') a1First++;
    }
    // 60 of 101 draws pick a1 first.
    expect(a1First / 2000).toBeGreaterThan(0.54);
    expect(a1First / 2000).toBeLessThan(0.65);
    // A zero weight is chosen first only when the draw is zero.
    expect(orderSrv(records, () => 0)[0].name).toBe('a0');
  });

  it('looks up names with a dot only', () => {
    expect(srvApplies('web.provider.de')).toBe(true);
    expect(srvApplies('127.0.0.1')).toBe(false);
    expect(srvApplies('::1')).toBe(false);
    expect(srvApplies('localhost')).toBe(false);
  });
});

describe('SRV lookup against a DNS server on loopback', () => {
  it('returns the targets in order with their addresses, and nothing when there is no record', async () => {
    dns = await startDnsServer({
      srv: { '_ecsta._tls.web.provider.test': [{ target: 'web1.provider.test', port: 443, priority: 20, weight: 20 }, { target: 'web2.provider.test', port: 8443, priority: 10, weight: 20 }] },
      a: { 'web1.provider.test': '127.0.0.1', 'web2.provider.test': '127.0.0.2' },
    });
    expect(await srvTargets('_ecsta._tls.web.provider.test', { dns: dns.address })).toEqual([
      { host: '127.0.0.2', name: 'web2.provider.test', port: 8443 },
      { host: '127.0.0.1', name: 'web1.provider.test', port: 443 },
    ]);
    expect(await srvTargets('_ecsta._tcp.web.provider.test', { dns: dns.address })).toEqual([]);
    expect(dns.queries).toContain('SRV _ecsta._tcp.web.provider.test');
  });
});
