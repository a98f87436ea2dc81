// A fleet of simulated uaCSTA phones for demos and manual tests: consecutive MAC addresses and extension numbers,
// each registering (and refreshing) at the server.
import type { SipLogger } from '../../protocols/sip';
import { SimExchange, SimSipPhone, VENDOR_PROFILES, type PhoneVendor } from './phone';

export const MAX_FLEET = 500;

export interface FleetOptions {
  server: { host: string; port: number };
  password: string;
  /** Register over TLS, trusting `ca`. */
  tls?: { ca?: string | Buffer };
  count: number;
  vendor: PhoneVendor;
  /** Extension of the first phone; the others count up (default 201). */
  firstNumber?: number;
  /** The exchange the phones call each other through (default a new one for this fleet). */
  exchange?: SimExchange;
  logger?: SipLogger;
}

export interface Fleet {
  phones: SimSipPhone[];
  exchange: SimExchange;
  close(): Promise<void>;
}

/** A fleet's MACs: the vendor's OUI, then 0x000001 counting up. */
export function fleetMac(vendor: PhoneVendor, i: number): string {
  return VENDOR_PROFILES[vendor].oui + (i + 1).toString(16).padStart(6, '0');
}

/** Starts every phone and its first registration; a phone whose REGISTER fails keeps trying (and logs it). */
export async function startFleet(o: FleetOptions): Promise<Fleet> {
  const phones: SimSipPhone[] = [];
  const exchange = o.exchange ?? new SimExchange();
  const close = async () => {
    for (const p of phones) await p.close().catch(() => undefined);
  };
  try {
    for (let i = 0; i < o.count; i++) {
      phones.push(await SimSipPhone.start({ mac: fleetMac(o.vendor, i), password: o.password, server: o.server, tls: o.tls, vendor: o.vendor, identities: [String((o.firstNumber ?? 201) + i)], exchange, logger: o.logger }));
    }
  } catch (e) {
    await close();
    throw e;
  }
  await Promise.all(phones.map((p) => p.keepRegistered().catch((e: Error) => o.logger?.warn(`phone ${p.mac}: ${e.message}`))));
  return { phones, exchange, close };
}
