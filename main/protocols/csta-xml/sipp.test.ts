import { afterEach, describe, expect, it } from 'vitest';
import type { CstaEvent } from '../csta/model';
import { SipEndpoint } from '../sip';
import { freePort, listening, startSipp } from '../sip/testing/sipp';
import { openCstaDialog } from './sip-dialog';

// A real peer: SIPp (Debian sip-tester) plays the uaCSTA phone of the SIP stack's scenario (ed5 answers, its own
// DeliveredEvent INFO). Our session opens the dialog, monitors, reads the phone's event and ends with BYE.
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('XmlCstaSession against SIPp as the phone', () => {
  it('opens the CSTA dialog, gets MonitorStartResponse from the 200 and the phone\'s DeliveredEvent, and hangs up', async () => {
    const port = await freePort();
    const sipp = startSipp({ scenario: 'phone-dialog.xml', port, args: ['-s', '000413aabbcc'] });
    cleanup.push(() => sipp.process.kill());
    await listening(port);
    const ep = await SipEndpoint.start({ user: 'uacsta' });
    cleanup.push(() => ep.close());
    const session = await openCstaDialog(ep, { uri: `sip:000413aabbcc@127.0.0.1:${port};transport=tcp`, edition: 'ed3' });
    const event = new Promise<CstaEvent>((r) => session.onEvent(r));
    await expect(session.invoke('monitorStart', { monitorObject: { device: { id: '201' } } })).resolves.toEqual({ crossRefIdentifier: '7' });
    // SIPp's event names only the connection: the parties it leaves out read as notKnown
    expect(await event).toEqual({
      category: 'callControl', name: 'delivered', monitorCrossRefId: '7', connection: { callId: '1', device: { id: '201' } },
      alertingDevice: { unavailable: 'notKnown' }, callingDevice: { unavailable: 'notKnown' }, calledDevice: { unavailable: 'notKnown' },
      lastRedirectionDevice: { unavailable: 'notKnown' }, localConnectionInfo: 'alerting', cause: 'normal',
    });
    await session.close();
    const result = await sipp.done;
    expect(result.successful, result.log).toBe(1);
  });
});
