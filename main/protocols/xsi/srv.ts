// DNS SRV (RFC 2782): the targets of a service in the order to try them — lowest priority first, and within one
// priority a random order weighted by weight — each resolved through the same resolver.
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';

export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

export interface SrvTarget {
  /** The address to connect to (the target's A record, or its name when that did not resolve). */
  host: string;
  /** The target's name (TLS server name). */
  name: string;
  port: number;
}

/** RFC 2782 order: by priority; within a priority, drawn at random with chances proportional to the weights. */
export function orderSrv(records: readonly SrvRecord[], random: () => number = Math.random): SrvRecord[] {
  const out: SrvRecord[] = [];
  const priorities = [...new Set(records.map((r) => r.priority))].sort((a, b) => a - b);
  for (const p of priorities) {
    // Zero weights first, so they are chosen only when the draw lands on zero (RFC 2782 "ordering").
    const pool = records.filter((r) => r.priority === p).sort((a, b) => (a.weight === 0 ? -1 : 0) - (b.weight === 0 ? -1 : 0));
    while (pool.length) {
      const total = pool.reduce((s, r) => s + r.weight, 0);
      const draw = Math.floor(random() * (total + 1));
      let sum = 0;
      let at = pool.findIndex((r) => (sum += r.weight) >= draw);
      if (at < 0) at = pool.length - 1;
      out.push(pool.splice(at, 1)[0]);
    }
  }
  return out;
}

/** Whether a host is worth an SRV lookup: a DNS name with a dot (not an address, not `localhost`). */
export function srvApplies(host: string): boolean {
  return !isIP(host) && host.includes('.');
}

function resolverFor(opts: { dns?: string; timeoutMs?: number }): Resolver {
  const resolver = new Resolver({ timeout: opts.timeoutMs ?? 2000, tries: 1 });
  if (opts.dns) resolver.setServers([opts.dns]);
  return resolver;
}

/** The host itself as a target: with a resolver named, its A record through that resolver (else left to the system). */
export async function hostTarget(host: string, port: number, opts: { dns?: string; timeoutMs?: number } = {}): Promise<SrvTarget> {
  if (!opts.dns || isIP(host)) return { host, name: host, port };
  const found = await resolverFor(opts).resolve4(host).catch(() => [] as string[]);
  return { host: found[0] ?? host, name: host, port };
}

/**
 * The targets of `service` (e.g. `_ecsta._tls.web.provider.de`) in the order to try them; [] when there is no
 * record (the caller then uses the host itself). `dns` is `host:port` of the resolver (tests), else the system's.
 */
export async function srvTargets(service: string, opts: { dns?: string; timeoutMs?: number; random?: () => number } = {}): Promise<SrvTarget[]> {
  const resolver = resolverFor(opts);
  let records: SrvRecord[];
  try {
    records = await resolver.resolveSrv(service);
  } catch {
    return [];
  }
  const out: SrvTarget[] = [];
  for (const r of orderSrv(records, opts.random)) {
    const name = r.name.replace(/\.$/, '');
    const host = isIP(name) ? name : ((await resolver.resolve4(name).catch(() => [] as string[]))[0] ?? name);
    out.push({ host, name, port: r.port });
  }
  return out;
}
