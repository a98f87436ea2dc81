import { describe, expect, it } from 'vitest';
import { openCstaDialog } from '../../protocols/csta-xml';
import { SipEndpoint } from '../../protocols/sip';
import type { UacstaDemoInfo, UacstaStatus } from '../../../shared/api/uacsta';
import { eventually, useApiHarness } from './api-harness';

const harness = useApiHarness('lk-api-uacsta-demo-');

describe('the SIP phone server demo', () => {
  it('configures a never-configured server for this computer, starts it with three phones and one waiting, and a client\'s refused request shows as the phone\'s last CSTA error', async () => {
    const h = harness.setup();
    expect(await h.call('uacsta.demo.status')).toEqual({ running: false });
    const demo: UacstaDemoInfo = await h.call('uacsta.demo.start');
    expect(demo).toMatchObject({ running: true, client: { host: '127.0.0.1', user: 'cti', password: 'demo' }, waiting: { mac: '000413000004', numbers: ['204'], webUser: 'admin' } });
    expect(demo.phones.map((p) => [p.mac, p.vendor, p.numbers])).toEqual([['000413000001', 'snom', ['201']], ['000413000002', 'snom', ['202']], ['001565000001', 'yealink', ['203']]]);
    expect(await h.call('uacsta.settings')).toMatchObject({ settings: { configured: true, phone: { lan: '127.0.0.1' } }, clientUser: 'cti', phonePasswordSet: true });
    await eventually(async () => ((await h.call('uacsta.status')) as UacstaStatus).phones.filter((p) => p.status === 'controllable').length === 3, 'three demo phones controllable');
    // starting again keeps the fleet: still three phones
    expect((await h.call('uacsta.demo.start')).phones).toHaveLength(3);

    // a client asks for a service snom lacks, on the call at 202: refused, and 202's phone detail names it
    const ep = await SipEndpoint.start({ user: 'cti', credentials: { user: 'cti', password: 'demo' } });
    try {
      await ep.register({ registrar: `sip:127.0.0.1:${demo.client.port};transport=tcp`, aor: 'sip:cti@127.0.0.1', expires: 300 });
      const s = await openCstaDialog(ep, { uri: `sip:uacsta@127.0.0.1:${demo.client.port};transport=tcp` });
      // a monitored line is pushed with the status (the licence page counts it) without any phone changing
      const pushed: UacstaStatus[] = [];
      h.services.bus.on('uacsta.status', (st) => pushed.push(st));
      await s.invoke('monitorStart', { monitorObject: { device: { id: '201' } } });
      await eventually(() => pushed.some((st) => st.lines.some((l) => l.mac === '000413000001' && l.monitoredInPhone) && st.licences.lines === 1), 'the monitored line and its licence use pushed');
      expect(pushed.at(-1)!.lines).toEqual([expect.objectContaining({ mac: '000413000001', device: 'sip:201@127.0.0.1', clients: 1, monitoredInPhone: true })]);
      expect(pushed.at(-1)!.licences).toMatchObject({ phones: 3, lines: 1, used: 3 });
      await expect(s.invoke('directedPickupCall', { callToBePickedUp: { callId: '9', device: { id: '202' } }, requestingDevice: { id: '201' } })).rejects.toMatchObject({ details: { failure: { error: 'serviceNotSupported' } } });
      await s.close();
    } finally {
      await ep.close();
    }
    expect((await h.call('uacsta.phone', { mac: '000413000002' })).lastCstaError).toMatchObject({ service: 'directedPickupCall', error: 'serviceNotSupported' });
    expect((await h.call('uacsta.phone', { mac: '000413000001' })).lastCstaError).toBeUndefined();

    expect(await h.call('uacsta.demo.stop')).toEqual({ running: false });
    await eventually(async () => ((await h.call('uacsta.status')) as UacstaStatus).phones.every((p) => p.status === 'offline'), 'the demo phones gone offline');
    expect(await h.call('uacsta.demo.status')).toEqual({ running: false });
  });

  it('uses the admin\'s own configuration and never shows the admin\'s client password', async () => {
    const h = harness.setup();
    await h.call('uacsta.saveSettings', { settings: { ...(await h.call('uacsta.settings')).settings, phone: { lan: '127.0.0.1', tcpPort: 0 }, client: { lan: '127.0.0.1', tcpPort: 0 }, configured: true }, phonePassword: 'own-phones', clientUser: 'ops', clientPassword: 'own-secret' });
    const demo: UacstaDemoInfo = await h.call('uacsta.demo.start');
    expect(demo.client).toEqual({ host: '127.0.0.1', port: expect.any(Number) });
    expect(JSON.stringify(demo)).not.toContain('own-secret');
    // the phones log in with the admin's phone password
    await eventually(async () => ((await h.call('uacsta.status')) as UacstaStatus).phones.filter((p) => p.status === 'controllable').length === 3, 'three demo phones controllable');
  });
});
