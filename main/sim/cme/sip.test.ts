// The simulator's CSTA over SIP side, driven by this project's SIP stack and CSTA XML session over TCP on 127.0.0.1:
// the session server registers (digest with the xml user when asked), opens a CSTA dialog, monitors an extension
// and sees a call arrive.
import { describe, expect, it } from 'vitest';
import type { CstaEvent } from '../../protocols/csta/model';
import { openCstaDialog, type XmlCstaSession } from '../../protocols/csta-xml';
import { SipEndpoint } from '../../protocols/sip';
import type { CmeSim } from './index';
import { sipSimsPerTest } from './testing/sip-sim';

const { cleanup, sim } = sipSimsPerTest();

async function sessionServer(credentials?: { user: string; password: string }): Promise<SipEndpoint> {
  const ep = await SipEndpoint.start({ user: 'ss_ecsta', listen: [{ host: '127.0.0.1', port: 0 }], timers: { t1: 20 }, ...(credentials ? { credentials } : {}) });
  cleanup.push(() => ep.close());
  return ep;
}

const register = (ep: SipEndpoint, s: CmeSim, user = 'ss_ecsta') =>
  ep.register({ registrar: `sip:127.0.0.1:${s.sip!.port};transport=tcp`, aor: `sip:${user}@127.0.0.1`, expires: 600, target: { host: '127.0.0.1', port: s.sip!.port, transport: 'TCP' } });

const open = async (ep: SipEndpoint, s: CmeSim, line: string): Promise<XmlCstaSession> => {
  const session = await openCstaDialog(ep, { uri: `sip:${line}@127.0.0.1:${s.sip!.port};transport=tcp`, from: 'sip:ss_ecsta@127.0.0.1' });
  cleanup.push(() => session.close());
  return session;
};

describe('CME simulator: session server and CSTA dialogs over SIP/TCP', () => {
  it('refuses a CSTA dialog before the session server registered, and a REGISTER for another ID', async () => {
    const s = await sim();
    const ep = await sessionServer();
    await expect(open(ep, s, '2001')).rejects.toMatchObject({ code: 'CSTA_REJECTED', details: { cause: 'SIP 403' } });
    expect((await register(ep, s, 'someone')).status).toBe(404);
    expect(s.sip!.registered).toBe(false);
  });

  it('registers the session server, monitors an extension in a dialog and delivers a call to it', async () => {
    const s = await sim();
    const ep = await sessionServer();
    expect((await register(ep, s)).status).toBe(200);
    const session = await open(ep, s, '2001');
    const events: CstaEvent[] = [];
    session.onEvent((e) => events.push(e));
    const monitor = await session.invoke('monitorStart', { monitorObject: { device: { id: 'tel:2001' } } });
    await expect(session.invoke('monitorStart', { monitorObject: { device: { id: '9999' } } })).rejects.toMatchObject({ code: 'CSTA_UNIVERSAL_FAILURE', details: { failure: { error: 'invalidDeviceID' } } });
    expect((await (await fetch(`${s.controlUrl}/sip`)).json())).toMatchObject({ registered: true, sessions: 1, dialogs: ['2001'], monitored: ['2001'] });

    const placed = await fetch(`${s.controlUrl}/calls`, { method: 'POST', body: JSON.stringify({ from: '0301234', to: '2001' }) });
    expect(placed.status).toBe(200);
    for (let i = 0; i < 100 && events.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(events).toMatchObject([{ name: 'delivered', monitorCrossRefId: monitor.crossRefIdentifier, callingDevice: { id: '0301234' }, localConnectionInfo: 'alerting' }]);
  });

  it('with "authenticate register" the REGISTER of the register-id needs digest with the xml user (the AXL login)', async () => {
    const s = await sim(true);
    expect((await register(await sessionServer(), s)).status).toBe(401);
    expect((await register(await sessionServer({ user: 'cisco', password: 'wrong' }), s)).status).toBe(401);
    expect((await register(await sessionServer({ user: 'ss_ecsta', password: 'cisco' }), s)).status).toBe(401);
    expect((await register(await sessionServer({ user: 'cisco', password: 'cisco' }), s)).status).toBe(200);
    expect(s.sip!.registered).toBe(true);
  });
});
