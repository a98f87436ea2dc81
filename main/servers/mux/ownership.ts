// Services only one application may hold at a time: CDR transmission, data collection and the hotel
// application. A second claimant is refused (the multiplexer answers "operations error – generic").

export type OwnedService = 'cdr' | 'dataCollection' | 'hotel';

export interface Claim<C> {
  client: C;
  /** The PBX's cross-reference ID for the registration (hex), while it is registered on the current link. */
  ref?: string;
  /** The ID the holder was given (its first registration's); reports and stops are rewritten between it and `ref`. */
  appRef?: string;
  /** The Start request's argument (BER), to register again after the PBX link came back. */
  argument?: Uint8Array;
  /** The first registration's result (BER): a holder starting again while registered is answered with it. */
  result?: Uint8Array;
  since: number;
}

export class Ownership<C> {
  private readonly claims = new Map<OwnedService, Claim<C>>();

  owner(service: OwnedService): C | undefined {
    return this.claims.get(service)?.client;
  }

  claim(service: OwnedService): Claim<C> | undefined {
    return this.claims.get(service);
  }

  /** Claims the service for `client`; false when another application holds it. Re-claiming by the holder is fine. */
  acquire(service: OwnedService, client: C, now = Date.now()): boolean {
    const c = this.claims.get(service);
    if (c && c.client !== client) return false;
    if (!c) this.claims.set(service, { client, since: now });
    return true;
  }

  setRef(service: OwnedService, ref: string): void {
    const c = this.claims.get(service);
    if (c) c.ref = ref;
  }

  release(service: OwnedService, client?: C): Claim<C> | undefined {
    const c = this.claims.get(service);
    if (!c || (client !== undefined && c.client !== client)) return undefined;
    this.claims.delete(service);
    return c;
  }

  /** Releases everything an application held; returns the claims so the caller can stop them upstream. */
  releaseAll(client: C): [OwnedService, Claim<C>][] {
    const out: [OwnedService, Claim<C>][] = [];
    for (const [s, c] of this.claims) {
      if (c.client === client) {
        out.push([s, c]);
        this.claims.delete(s);
      }
    }
    return out;
  }

  servicesOf(client: C): OwnedService[] {
    return [...this.claims].filter(([, c]) => c.client === client).map(([s]) => s);
  }

  ownerOfRef(service: OwnedService, ref: string): C | undefined {
    const c = this.claims.get(service);
    return c && c.ref === ref ? c.client : undefined;
  }
}
