// The Xsi requests both fuzzers of the simulator send (HTTP in xsi-fuzzer.ts, the CTI socket in cti-fuzzer.ts):
// valid requests with odd ids now and then, logins good and bad, XML-shaped damage to bodies.
import { mutateBytes, oddValue, pick } from '../../../web/testing/fuzz';

const USERS = ['2000@sim.test', '2001@sim.test', '2002@sim.test', '9999@sim.test', 'admin@sim.test', '', '%40', '..'];
const CALLS = ['callhalf-1:0', 'callhalf-2:0', 'callhalf-99:0', 'x', ''];
const A = '/com.broadsoft.xsi-actions/v2.0/';
const E = '/com.broadsoft.xsi-events/v2.0/';
const NS = 'xmlns="http://schema.broadsoft.com/xsi"';

export function auth(r: () => number): Record<string, string> {
  const who = pick(r, [['admin@sim.test', 'admin-secret'], ['2000@sim.test', 'secret'], ['2001@sim.test', 'secret'], ['2000@sim.test', 'wrong'], ['nobody', '']]);
  const k = r();
  if (k < 0.85) return { Authorization: `Basic ${Buffer.from(`${who[0]}:${who[1]}`).toString('base64')}` };
  if (k < 0.95) return { Authorization: pick(r, ['Basic', 'Basic !!!', 'Bearer x', `Basic ${Buffer.from('nocolon').toString('base64')}`, 'Basic ' + 'A'.repeat(3000)]) };
  return {};
}

/** Valid requests for the Xsi resources (no channel: it keeps its connection), with odd ids now and then. */
export function seed(r: () => number): { method: string; path: string; body?: string } {
  const u = () => pick(r, USERS);
  const c = () => pick(r, CALLS);
  const num = () => pick(r, ['2001', '2002', '0301234567', '+49305552000', '', '<x>', '9'.repeat(40)]);
  return pick(r, [
    () => ({ method: 'GET', path: `${A}user/${u()}/profile` }),
    () => ({ method: 'GET', path: `${A}user/${u()}/directories/Group?start=${Math.floor(r() * 30)}&results=${Math.floor(r() * 60)}` }),
    () => ({ method: 'GET', path: `${A}user/${u()}/calls` }),
    () => ({ method: 'GET', path: `${A}user/${u()}/calls/${c()}` }),
    () => ({ method: 'POST', path: `${A}user/${u()}/calls/new?address=${num()}` }),
    () => ({ method: 'PUT', path: `${A}user/${u()}/calls/${c()}/${pick(r, ['Talk', 'Hold', 'BlindTransfer?address=2002', 'Conference'])}` }),
    () => ({ method: 'DELETE', path: `${A}user/${u()}/calls/${c()}` }),
    () => ({ method: pick(r, ['POST', 'PUT', 'GET', 'DELETE']), path: `${A}user/${u()}/calls/Conference`, body: `<Conference ${NS}><conferenceParticipantList>${[c(), c(), c()].map((id) => `<conferenceParticipant><callId>${id}</callId></conferenceParticipant>`).join('')}</conferenceParticipantList></Conference>` }),
    () => ({ method: 'GET', path: `${A}user/${u()}/services/${pick(r, ['DoNotDisturb', 'CallForwardingAlways', 'CallForwardingBusy', 'CallForwardingNoAnswer', 'RemoteOffice'])}` }),
    () => ({ method: 'PUT', path: `${A}user/${u()}/services/DoNotDisturb`, body: `<DoNotDisturb ${NS}><active>${pick(r, ['true', 'false', 'x'])}</active></DoNotDisturb>` }),
    () => ({ method: 'PUT', path: `${A}user/${u()}/services/CallForwardingAlways`, body: `<CallForwardingAlways ${NS}><active>${pick(r, ['true', 'false'])}</active><forwardToPhoneNumber>${num()}</forwardToPhoneNumber></CallForwardingAlways>` }),
    () => ({ method: 'PUT', path: `${A}user/${u()}/services/CallForwardingNoAnswer`, body: `<CallForwardingNoAnswer ${NS}><active>true</active><forwardToPhoneNumber>${num()}</forwardToPhoneNumber><numberOfRings>${Math.floor(r() * 30)}</numberOfRings></CallForwardingNoAnswer>` }),
    () => ({ method: 'POST', path: `${E}user/${u()}`, body: `<Subscription ${NS}><event>${pick(r, ['Advanced Call', 'Do Not Disturb', 'Nope'])}</event><expires>${Math.floor(r() * 9000)}</expires><channelSetId>none</channelSetId></Subscription>` }),
    () => ({ method: 'POST', path: `${E}serviceprovider/sp-sim/group/grp-sim`, body: `<Subscription ${NS}><event>Advanced Call</event><channelSetId>none</channelSetId></Subscription>` }),
    () => ({ method: 'POST', path: `${E}channel/eventresponse`, body: `<EventResponse ${NS}><eventID>${c()}</eventID><statusCode>200</statusCode><reason>OK</reason></EventResponse>` }),
    () => ({ method: 'PUT', path: `${E}channel/${c()}/heartbeat` }),
    () => ({ method: pick(r, ['PUT', 'DELETE']), path: `${E}subscription/${c()}`, body: `<Subscription ${NS}><expires>10</expires></Subscription>` }),
    () => ({ method: 'GET', path: `/nl.cai.xsi-actions/v2.0/user/${u()}/profile` }),
  ])();
}

/** XML-shaped damage: tags cut, nested deeply, entities, odd values in elements. */
export function mutateXml(r: () => number, body: string): string {
  switch (Math.floor(r() * 7)) {
    case 0: return body.slice(0, Math.floor(r() * body.length));
    case 1: return '<a>'.repeat(Math.floor(r() * 3000)) + body;
    case 2: return body.replace(/>[^<]*</, `>${String(oddValue(r)).replace(/</g, '&lt;')}<`);
    case 3: return `<!DOCTYPE a [<!ENTITY x "${'y'.repeat(100)}">]>${body}`;
    case 4: return body.replace(/<(\w+)/, '<$1 a="1" a="2"');
    case 5: return mutateBytes(r, Buffer.from(body)).toString('latin1');
    default: return body.replace(/&/g, '&amp;&#0;&#xFFFFFF;');
  }
}

