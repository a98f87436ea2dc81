// The driver's CSTA over SIP link against the simulator over SIP/TCP on 127.0.0.1: register as the session
// server (digest with the AXL login under "authenticate register"), open the CTI dialog, monitor, see a call.
import { describe, expect, it } from 'vitest';
import type { CstaEvent } from '../../protocols/csta/model';
import type { CmeSim } from '../../sim/cme';
import { failureOf } from '../testing/failure-of';
import { CmeSipLink, type CmeSipSettings } from './sip-link';
import { sipSimsPerTest } from '../../sim/cme/testing/sip-sim';

const { cleanup, sim } = sipSimsPerTest();

async function link(s: CmeSim, over: Partial<CmeSipSettings> = {}): Promise<CmeSipLink> {
  const l = await CmeSipLink.open({ cmeHost: '127.0.0.1', cmeSipPort: s.sip!.port, localHost: '127.0.0.1', localPort: 0, sessionServerId: 'ss_ecsta', user: 'cisco', password: 'cisco', ...over });
  cleanup.push(() => l.close());
  return l;
}

describe('CME CSTA over SIP link', () => {
  it('registers as the session server, opens the CTI dialog, monitors a number and receives its call', async () => {
    const s = await sim();
    const l = await link(s);
    expect(s.sip!.registered).toBe(true);
    const events: CstaEvent[] = [];
    l.session.onEvent((e) => events.push(e));
    const monitor = await l.session.invoke('monitorStart', { monitorObject: { device: { id: '2001' } } });
    await fetch(`${s.controlUrl}/calls`, { method: 'POST', body: JSON.stringify({ from: '0301234', to: '2001' }) });
    for (let i = 0; i < 100 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(events).toMatchObject([{ name: 'delivered', monitorCrossRefId: monitor.crossRefIdentifier }]);
  });

  it('answers the digest of "authenticate register" with the AXL login, and names a wrong one LOGIN_REJECTED', async () => {
    const s = await sim(true);
    expect((await failureOf(link(s, { password: 'wrong' }))).code).toBe('LOGIN_REJECTED');
    expect(s.sip!.registered).toBe(false);
    await link(s);
    expect(s.sip!.registered).toBe(true);
  });

  it('names an unknown session server ID and a CME that does not listen', async () => {
    const s = await sim();
    const unknown = await failureOf(link(s, { sessionServerId: 'ss_other' }));
    expect(unknown.code).toBe('REQUEST_REJECTED');
    expect(unknown.params).toMatchObject({ status: 404 });
    const port = s.sip!.port;
    await s.close();
    expect((await failureOf(link(s, { cmeSipPort: port }))).code).toBe('CONNECT_REFUSED');
  });

  it('renews the registration before it runs out', async () => {
    const s = await sim();
    const l = await link(s, { expires: 60, renewAt: 0.002 });
    const first = s.sip!.registrar.lookup('ss_ecsta')[0].expiresAt;
    for (let i = 0; i < 100 && l.renewals < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(l.renewals).toBeGreaterThanOrEqual(2);
    expect(s.sip!.registrar.lookup('ss_ecsta')[0].expiresAt).toBeGreaterThan(first);
  });

  it('refreshes the CTI dialog by re-INVITE at its own interval when the CME names no session timer', async () => {
    const s = await sim();
    const l = await link(s, { refreshS: 0.1 });
    // The CME counts a refresh when it answers it, the driver when the answer arrives: wait for both.
    for (let i = 0; i < 100 && (s.sip!.refreshes < 3 || l.session.refreshes < 3); i++) await new Promise((r) => setTimeout(r, 20));
    expect(s.sip!.refreshes).toBeGreaterThanOrEqual(3);
    expect(l.session.refreshes).toBeGreaterThanOrEqual(3);
    expect(s.sip!.sessions).toBe(1);
    expect(l.session.open).toBe(true);
  });

  it('reports the link lost once when the CME goes away', async () => {
    const s = await sim();
    const l = await link(s);
    const lost: string[] = [];
    l.onLost((e) => lost.push(e.code));
    await s.close();
    for (let i = 0; i < 100 && lost.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(lost).toEqual(['LINK_LOST']);
  });
});
