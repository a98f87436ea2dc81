// The simulated CME's call services with random requests (services, connections, numbers, state mixes): each
// answers or refuses with a CSTA error, never with anything else, and the model stays consistent.
import { describe, expect, it } from 'vitest';
import { CstaSessionError, type CstaEvent } from '../../protocols/csta/model';
import type { CstaXmlRequest } from '../../protocols/csta-xml';
import { CmeCalls } from './calls';

const NUMBERS = ['2001', '2002', '2003', '2004', '0301234', '', 'x', '2001@cme', 'tel:2002', '999999999999999999999999999999999'];
const SERVICES = ['makeCall', 'answerCall', 'clearConnection', 'holdCall', 'retrieveCall', 'alternateCall', 'consultationCall', 'transferCall', 'conferenceCall', 'singleStepTransferCall', 'deflectCall', 'generateDigits', 'setDoNotDisturb', 'getDoNotDisturb', 'setForwarding', 'getForwarding', 'snapshotDevice', 'directedPickupCall'];

describe('CME call services under random requests', () => {
  it('answer or refuse with a CSTA error, and leave no call without a party', () => {
    const own = new Set(['2001', '2002', '2003', '2004']);
    const events: CstaEvent[] = [];
    const calls = new CmeCalls({ has: (n) => own.has(n), get: (n) => (own.has(n) ? {} : undefined) }, (_n, make) => events.push(make('1')));
    let seed = 11;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const pick = <T,>(xs: readonly T[]) => xs[rand(xs.length)];
    const conn = () => (rand(5) === 0 ? undefined : { callId: rand(4) === 0 ? 'nope' : String(1 + rand(12)), device: { id: pick(NUMBERS) } });
    const dev = () => (rand(6) === 0 ? undefined : { id: pick(NUMBERS) });
    let refused = 0;
    for (let i = 0; i < 5_000; i++) {
      if (rand(10) === 0) {
        try {
          calls.place(pick(NUMBERS), pick(NUMBERS));
        } catch (e) {
          if (!(e instanceof CstaSessionError)) throw e;
        }
        continue;
      }
      const args = { callingDevice: dev(), calledDirectoryNumber: dev(), callToBeAnswered: conn(), connectionToBeCleared: conn(), callToBeHeld: conn(), callToBeRetrieved: conn(), heldCall: conn(), activeCall: conn(), existingCall: conn(), consultedDevice: dev(), transferredTo: dev(), callToBeDiverted: conn(), newDestination: dev(), connectionToSendDigits: conn(), charactersToSend: pick(['2002', '1', '', '#*']), device: dev(), doNotDisturbOn: rand(2) === 0, forwardingType: pick(['forwardImmediate', 'forwardBusy', undefined]), activateForward: rand(2) === 0, forwardDN: dev(), snapshotObject: dev() };
      try {
        calls.handle({ kind: 'request', service: pick(SERVICES), args } as unknown as CstaXmlRequest);
      } catch (e) {
        if (!(e instanceof CstaSessionError)) throw e;
        refused++;
      }
    }
    expect(calls.model.activeCalls().filter((c) => c.connections.length === 0)).toEqual([]);
    expect(refused).toBeGreaterThan(500);
    expect(events.length).toBeGreaterThan(500);
  });
});
