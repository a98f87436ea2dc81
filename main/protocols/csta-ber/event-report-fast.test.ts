// The fast EventReport decoder must return exactly what decodeApdu returns: on the sample and reference
// vectors, on thousands of random valid EventReports encoded by the existing encoder, and on 20,000 mutated
// frames (where it may only fail with the codec's own errors, and must agree whenever both succeed).
import { describe, expect, it } from 'vitest';
import { BerError, hex } from './ber';
import { CstaDecodeError, decodeApdu, encodeApdu, encodeInvoke, type CstaApdu } from './apdu';
import { implicit, integer, opt, req, sequence } from './codec';
import { SubjectDeviceID } from './device-identifiers';
import {
  CallControlEvents,
  callControlEventReport,
  CSTAEventReportArgument,
  DeviceMaintenanceEvents,
  LogicalDeviceFeatureEvents,
} from './event-report-definitions';
import { decodeEventReportFast, decodeEventReportFastOnly, fastSchemaOf } from './event-report-fast';
import { CSTACommonArguments } from './extension-types';
import { rawElement } from './raw';
import { sampleEvents } from './testing/samples';
import { byteMutation, rng, treeMutation } from './testing/mutations';
import { callEventReport, featureEventReport } from '../../sim/panasonic/events';


/** Same value, same key order (so JSON of both is identical too). */
function same(a: unknown, b: unknown, what: string): void {
  if (JSON.stringify(a) !== JSON.stringify(b)) expect(a, what).toEqual(b);
  expect(a, what).toStrictEqual(b);
}

/** Fast path vs both engines of decodeApdu; `mustBeFast` requires that it did not fall back. */
function check(bytes: Uint8Array, mustBeFast = true): void {
  const ref = decodeApdu(bytes);
  const lean = decodeApdu(bytes, { engine: 'lean' });
  const fast = decodeEventReportFastOnly(bytes);
  if (mustBeFast) expect(fast, `fell back on ${hex(bytes)}`).toBeDefined();
  if (fast) {
    same(fast, ref, hex(bytes));
    same(fast, lean, hex(bytes));
  }
  same(decodeEventReportFast(bytes), ref, hex(bytes));
}

// ---- hand-built HiPath Delivered event (shape of shared/reference/csta-phase3.md §3.10, §3.4)
function tlv(tag: number, ...parts: (number[] | string)[]): number[] {
  const body: number[] = [];
  for (const p of parts) body.push(...(typeof p === 'string' ? Array.from(Buffer.from(p, 'latin1')) : p));
  const len = body.length < 128 ? [body.length] : [0x81, body.length];
  return [tag, ...len, ...body];
}
const hiPathDevice = (n: string) => tlv(0x30, tlv(0x80, n));
const hiPathDelivered = Uint8Array.from(
  tlv(0xa1, tlv(0x02, [7]), tlv(0x02, [0x15]),
    tlv(0x30, tlv(0x55, [0x00, 0x01]),
      tlv(0xa0, tlv(0xa4,
        tlv(0x6b, tlv(0x30, tlv(0x80, [0x00, 0x2a]), tlv(0xa1, hiPathDevice('201')))),
        tlv(0x63, hiPathDevice('201')), tlv(0x61, hiPathDevice('202')), tlv(0x62, hiPathDevice('201')),
        tlv(0x64, tlv(0x87, [])), tlv(0x4e, [0x02]), tlv(0x0a, [0x16]),
        tlv(0x7e, tlv(0xa0, tlv(0x18, '20261123130000Z'))))))),
);

// ---- random valid EventReports
function generator(r: () => number) {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const maybe = (p = 0.3) => r() < p;
  const digits = () => Array.from({ length: 1 + Math.floor(r() * 12) }, () => pick('0123456789*#'.split(''))).join('');
  const text = () => Array.from({ length: Math.floor(r() * 20) }, () => String.fromCharCode(32 + Math.floor(r() * 95))).join('');
  const octets = (max = 8) => Array.from({ length: Math.floor(r() * max) }, () => Math.floor(r() * 256).toString(16).padStart(2, '0')).join('');
  // content of a constructed pass-through member: a few valid elements
  const rawContent = () => pick(['', '0201' + '05', '800101', '3003020105', '0401ab8100', '020100' + 'a1030a0102', '04' + '81' + '80' + 'ab'.repeat(128)]);
  const deviceID = (): Record<string, unknown> => {
    const id = pick([
      () => ({ dialingNumber: digits() }),
      () => ({ deviceNumber: Math.floor(r() * 2 ** 31) - (maybe(0.1) ? 2 ** 30 : 0) }),
      () => ({ implicitPublic: digits() }),
      () => ({ explicitPublic: { [pick(['unknown', 'international', 'national', 'networkspecific', 'subscriber', 'abbreviated'])]: digits() } }),
      () => ({ implicitPrivate: digits() }),
      () => ({ explicitPrivate: { [pick(['unknown', 'level3RegionalNumber', 'localNumber', 'abbreviated'])]: digits() } }),
      () => ({ other: octets() }),
    ])();
    const d: Record<string, unknown> = { deviceIdentifier: id };
    if (maybe()) d.privateNumber = digits();
    if (maybe()) d.privateName = text();
    if (maybe(0.1)) d.mediaCallCharacteristics = rawContent();
    return d;
  };
  const partyDev = () => (r() < 0.8 ? { deviceIdentifier: deviceID() } : pick([{ notKnown: null }, { restricted: null }]));
  const redirection = () =>
    r() < 0.5 ? { numberdialed: deviceID() } : pick([{ notKnown: null }, { notRequired: null }, { notSpecified: null }, { restricted: null }]);
  const local = () => (r() < 0.7 ? { staticID: deviceID() } : { dynamicID: octets() });
  const connection = () => pick([() => ({ callID: octets() }), () => ({ deviceID: local() }), () => ({ both: { callID: octets(), deviceID: local() } })])();
  const enumOf = (names: string[]) => (r() < 0.9 ? pick(names) : Math.floor(r() * 300));
  const cause = () => enumOf(['newCall', 'normal', 'normalClearing', 'transfer', 'conference', 'busy', 'maintenance', 'callForwardImmediate', 'doNotDisturb']);
  const lcs = () => enumOf(['null', 'initiated', 'alerting', 'connected', 'hold', 'queued', 'fail']);
  const extensions = () => {
    const e: Record<string, unknown> = {};
    if (maybe(0.5)) e.security = rawContent();
    if (maybe(0.5)) e.privateData = Array.from({ length: Math.floor(r() * 3) }, () => (maybe(0.5) ? { string: octets() } : { private: pick(['a405a1030a0102', '0500', '3000', 'a4' + '81' + '83' + '04' + '81' + '80' + 'cd'.repeat(128)]) }));
    return e;
  };
  const connectionList = () =>
    Array.from({ length: Math.floor(r() * 3) }, () => {
      const e: Record<string, unknown> = {};
      if (maybe(0.6)) e.newConnection = connection();
      if (maybe()) e.oldConnection = connection();
      if (maybe()) e.endpoint = pick([() => ({ deviceID: deviceID() }), () => ({ notKnown: null }), () => ({ restricted: null })])();
      if (maybe()) e.associatedNID = pick([() => ({ deviceID: deviceID() }), () => ({ notKnown: null })])();
      if (maybe(0.1)) e.resultingConnectionInfo = rawContent();
      return e;
    });
  // optional members by name; the encoder ignores names an event does not have
  const optional: Record<string, () => unknown> = {
    originatingNIDConnection: connection, originatingNIDConneciton: connection, localConnectionInfo: lcs, correlatorData: () => octets(),
    userData: () => octets(), servicesPermitted: rawContent, networkCallingDevice: partyDev, networkCalledDevice: partyDev,
    associatedCallingDevice: partyDev, associatedCalledDevice: partyDev, mediaCallCharacteristics: rawContent,
    callCharacteristics: () => octets(3), connectionInfo: rawContent, callLinkageData: rawContent, callLinkageDataList: rawContent,
    subjectOfCall: text, messageInfo: rawContent, languagePreferences: text, deviceHistory: rawContent, locationInfo: rawContent,
    extensions, chargingInfo: rawContent, establishedConnectionInfo: rawContent, droppedConnectionInfo: rawContent,
    originatedConnectionInfo: rawContent, initiatedConnectionInfo: rawContent, heldConnectionInfo: rawContent,
    retrievedConnectionInfo: rawContent, failedConnectionInfo: rawContent, outboundConnectionInfo: rawContent,
    networkCapability: rawContent, originatingDevice: deviceID,
  };
  const withOptional = (required: Record<string, unknown>, extra: Record<string, () => unknown> = {}) => {
    const v: Record<string, unknown> = { ...required };
    for (const [k, g] of Object.entries({ ...optional, ...extra })) if (!(k in v) && maybe(0.15)) v[k] = g();
    return v;
  };
  const events: Record<string, () => [string, string, Record<string, unknown>]> = {
    delivered: () => ['callControlEvents', 'delivered', withOptional({ connection: connection(), alertingDevice: partyDev(), callingDevice: partyDev(), calledDevice: partyDev(), lastRedirectionDevice: redirection(), cause: cause() })],
    established: () => ['callControlEvents', 'established', withOptional({ establishedConnection: connection(), answeringDevice: partyDev(), callingDevice: partyDev(), calledDevice: partyDev(), lastRedirectionDevice: redirection(), cause: cause() })],
    connectionCleared: () => ['callControlEvents', 'connectionCleared', withOptional({ droppedConnection: connection(), releasingDevice: partyDev(), cause: cause() })],
    originated: () => ['callControlEvents', 'originated', withOptional({ originatedConnection: connection(), callingDevice: partyDev(), calledDevice: partyDev(), cause: cause() })],
    serviceInitiated: () => ['callControlEvents', 'serviceInitiated', withOptional({ initiatedConnection: connection(), initiatingDevice: partyDev(), cause: cause() }, { calledDevice: partyDev })],
    held: () => ['callControlEvents', 'held', withOptional({ heldConnection: connection(), holdingDevice: partyDev(), cause: cause() })],
    retrieved: () => ['callControlEvents', 'retrieved', withOptional({ retrievedConnection: connection(), retrievingDevice: partyDev(), cause: cause() })],
    transferred: () => ['callControlEvents', 'transferred', withOptional({ primaryOldCall: connection(), transferringDevice: partyDev(), transferredToDevice: partyDev(), transferredConnections: connectionList(), cause: cause() }, { secondaryOldCall: connection })],
    conferenced: () => ['callControlEvents', 'conferenced', withOptional({ primaryOldCall: connection(), conferencingDevice: partyDev(), addedParty: partyDev(), conferenceConnections: connectionList(), cause: cause() }, { secondaryOldCall: connection })],
    diverted: () => ['callControlEvents', 'diverted', withOptional({ connection: connection(), divertingDevice: partyDev(), newDestination: partyDev(), lastRedirectionDevice: redirection(), cause: cause() }, { callingDevice: partyDev, calledDevice: partyDev })],
    failed: () => ['callControlEvents', 'failed', withOptional({ failedConnection: connection(), failingDevice: partyDev(), callingDevice: partyDev(), calledDevice: partyDev(), lastRedirectionDevice: redirection(), cause: cause() })],
    networkReached: () => ['callControlEvents', 'networkReached', withOptional({ outboundConnection: connection(), networkInterfaceUsed: partyDev(), callingDevice: partyDev(), calledDevice: partyDev(), lastRedirectionDevice: redirection(), cause: cause() })],
    doNotDisturb: () => ['logicalDeviceFeatureEvents', 'doNotDisturb', withOptional({ device: partyDev(), doNotDisturbOn: maybe(0.5) }, {
      callOrigination: () => pick([[], ['internal'], ['external'], ['internal', 'external']]),
      callingDeviceList: () => Array.from({ length: Math.floor(r() * 3) }, deviceID),
    })],
    forwarding: () => ['logicalDeviceFeatureEvents', 'forwarding', withOptional({ device: partyDev(), forwardStatus: maybe(0.5) }, {
      forwardingType: () => enumOf(['forwardImmediate', 'forwardBusy', 'forwardNoAns', 'forwardDND']),
      forwardTo: deviceID,
      forwardDefault: () => enumOf(['forwardingTypeAndForwardDN', 'forwardingType', 'forwardDN']),
      ringCount: () => Math.floor(r() * 20),
      ringDuration: () => Math.floor(r() * 100000) - 5,
    })],
    backInService: () => ['deviceMaintenanceEvents', 'backInService', withOptional({ device: partyDev() }, { cause })],
    outOfService: () => ['deviceMaintenanceEvents', 'outOfService', withOptional({ device: partyDev() }, { cause })],
  };
  const names = Object.keys(events);
  return (): CSTAEventReportArgument => {
    const [category, name, event] = events[pick(names)]();
    return { crossRefIdentifier: octets(6), eventSpecificInfo: { [category]: { [name]: event } } } as unknown as CSTAEventReportArgument;
  };
}


/** Well-formed BER, changed values, tags and shapes inside (reaches the typed readers). */

const ours = (e: unknown) => e instanceof BerError || e instanceof CstaDecodeError;
const sampleApdus = sampleEvents.map((ev, i) => encodeInvoke('cSTAEventReport', i + 1, ev));

describe('decodeEventReportFast', () => {
  it('decodes the sample events (bench vectors) exactly as decodeApdu, without falling back', () => {
    for (const a of sampleApdus) check(a);
    // with a linkedId, a large invoke ID and the lean encoder
    sampleEvents.forEach((ev, i) => check(encodeInvoke('cSTAEventReport', 100_000 + i, ev, { linkedId: i, engine: 'lean' })));
  });

  it('decodes the reference-shaped HiPath Delivered event and the simulator events', () => {
    check(hiPathDelivered);
    const dev = '201';
    const c1 = { callID: '42', deviceID: '201' };
    const c2 = { callID: '43', deviceID: '202' };
    const e = { connection: c1, secondaryOldCall: c2, connections: [c1, c2], subjectDevice: '201', otherDevice: '202', callingDevice: '202', calledDevice: '201', lastRedirectionDevice: '203', cause: 'newCall' };
    for (const name of ['serviceInitiated', 'originated', 'delivered', 'established', 'connectionCleared', 'held', 'retrieved', 'transferred', 'conferenced', 'diverted', 'failed']) {
      let arg: CSTAEventReportArgument;
      try {
        arg = callEventReport('0001', { ...e, name } as never, 'connected');
      } catch {
        continue; // an event the simulator builds differently; covered by the random events
      }
      check(encodeInvoke('cSTAEventReport', 5, arg));
    }
    for (const f of [{ name: 'outOfService', device: dev }, { name: 'backInService', device: dev }, { name: 'doNotDisturb', device: dev, on: true }, { name: 'forwarding', device: dev, on: true, type: 'forwardBusy', to: '0301234' }]) {
      let arg: CSTAEventReportArgument;
      try {
        arg = featureEventReport('0001', f as never);
      } catch {
        continue;
      }
      check(encodeInvoke('cSTAEventReport', 6, arg));
    }
  });

  it('agrees with decodeApdu on 4,000 random valid EventReports from the existing encoder', () => {
    const r = rng(0xe7e7);
    const next = generator(r);
    let fast = 0;
    for (let i = 0; i < 4000; i++) {
      const arg = next();
      let bytes: Uint8Array;
      try {
        bytes = encodeInvoke('cSTAEventReport', 1 + Math.floor(r() * 70000), arg, i % 2 ? { engine: 'lean' } : {});
      } catch (e) {
        throw new Error(`generator made an unencodable event: ${(e as Error).message} ${JSON.stringify(arg)}`);
      }
      check(bytes, false);
      if (decodeEventReportFastOnly(bytes)) fast++;
    }
    // only the pass-through bytes the lean writer would re-encode differently may fall back; none here
    expect(fast).toBe(4000);
  });

  it('20,000 mutated frames: only codec errors, and the same value as decodeApdu whenever both succeed', () => {
    const r = rng(0xfa57);
    const next = generator(r);
    const corpus = [...sampleApdus, hiPathDelivered, ...Array.from({ length: 200 }, (_, i) => encodeInvoke('cSTAEventReport', i + 1, next()))];
    let bothOk = 0;
    let fastOnlyPath = 0;
    for (let i = 0; i < 20_000; i++) {
      const src = corpus[i % corpus.length];
      const input = i % 2 ? treeMutation(r, src) : byteMutation(r, src);
      let ref: CstaApdu | undefined;
      let refErr: unknown;
      try {
        ref = decodeApdu(input, { engine: 'lean' });
      } catch (e) {
        refErr = e;
      }
      let got: CstaApdu | undefined;
      try {
        got = decodeEventReportFast(input);
      } catch (e) {
        if (!ours(e)) throw new Error(`non-codec error ${(e as Error)?.stack} for ${hex(input)}`);
        // a failure is the existing decoder's failure: same class and message
        expect(refErr, hex(input)).toBeDefined();
        expect((e as Error).constructor, hex(input)).toBe((refErr as Error).constructor);
        expect((e as Error).message).toBe((refErr as Error).message);
        continue;
      }
      expect(refErr, `fast accepted what decodeApdu rejects: ${hex(input)}`).toBeUndefined();
      same(got, ref, hex(input));
      bothOk++;
      if (decodeEventReportFastOnly(input)) fastOnlyPath++;
      if (i % 16 === 0) {
        // the asn1js engine (decodeApdu's default) agrees too whenever it accepts the bytes
        let viaAsn1js: CstaApdu | undefined;
        try {
          viaAsn1js = decodeApdu(input);
        } catch (e) {
          if (!ours(e)) throw e;
        }
        if (viaAsn1js) same(got, viaAsn1js, hex(input));
      }
    }
    expect(bothOk).toBeGreaterThan(2000);
    expect(fastOnlyPath).toBeGreaterThan(1000);
  }, 120_000);

  it('never returns a remembered string for different bytes (names alike at both ends, short IDs alike)', () => {
    // same length and same first and last four bytes: one table slot, told apart by the bytes in between
    const names = ['Room 1 East', 'Room 2 East', 'Room 1 West', 'Room 12East', 'Reception', 'Receptiom', 'Réception'];
    const numbers = ['201', '2010', '2011', '1201', '20', '0201', '210'];
    const ids = ['0001', '0100', '00000001', '01', '00010000', ''];
    for (let round = 0; round < 3; round++) {
      names.forEach((name, i) => {
        const ev = callControlEventReport(ids[(i + round) % ids.length], 'held', {
          heldConnection: { callID: ids[(i + round + 1) % ids.length] },
          holdingDevice: { deviceIdentifier: { deviceIdentifier: { dialingNumber: numbers[(i + round) % numbers.length] }, privateName: name } },
          cause: 'normal',
        } as never);
        check(encodeInvoke('cSTAEventReport', 1, ev));
      });
    }
  });

  it('hands everything else to decodeApdu unchanged', () => {
    const others = [
      Uint8Array.from(Buffer.from('a10c020101020200d330030a0102', 'hex')), // SystemStatus invoke
      Uint8Array.from(Buffer.from('a20b0201013006020200d30500', 'hex')),
      encodeApdu({ kind: 'reject', invokeId: 3, problem: { invoke: 'mistypedArgument' } }),
      encodeInvoke('cSTAEventReport', 9, { crossRefIdentifier: '01', eventSpecificInfo: { callControlEvents: { other: 'a0020500' } } } as never),
    ];
    for (const a of others) {
      expect(decodeEventReportFastOnly(a)).toBeUndefined();
      same(decodeEventReportFast(a), decodeApdu(a), hex(a));
    }
    expect(() => decodeEventReportFast(Uint8Array.of(0xa1, 0x03, 0x02, 0x01))).toThrow(BerError);
  });
});

describe('fast schema derived from the codec definitions', () => {
  it('takes member names, order, optionality and tags from the definition', () => {
    const t = sequence('TestEvent', { device: req(SubjectDeviceID), count: opt(implicit(3, integer)), extensions: opt(CSTACommonArguments) });
    const node = fastSchemaOf(t) as { k: string; members: { name: string; byte: number; opt: boolean }[] };
    expect(node.k).toBe('seq');
    expect(node.members.map((mb) => [mb.name, mb.byte, mb.opt])).toEqual([
      ['device', 0x63, false],
      ['count', 0x83, true],
      ['extensions', 0x7e, true],
    ]);
  });

  it('names a member it has no fast form for instead of leaving it out', () => {
    expect(() => fastSchemaOf(sequence('TestEvent', { device: req(SubjectDeviceID), vendor: opt(rawElement) }))).toThrow(/no fast form for TestEvent\.vendor/);
  });

  it('has every member of every modelled event, and leaves out only the alternatives the codec keeps raw', () => {
    type Alt = { name: string; node: { alts: Alt[]; node: { members: { name: string }[] } } };
    const arg = fastSchemaOf(CSTAEventReportArgument) as { members: [unknown, { alts: Alt[] }] };
    const categories = arg.members[1].alts;
    expect(categories.map((c) => c.name)).toEqual(['callControlEvents', 'logicalDeviceFeatureEvents', 'deviceMaintenanceEvents']);
    const fieldsOf = (c: { shape?: unknown }) => (c.shape as { fields: { name: string }[] }).fields.map((f) => f.name);
    const events = [CallControlEvents, LogicalDeviceFeatureEvents, DeviceMaintenanceEvents];
    categories.forEach((category, i) => {
      const alts = (events[i].shape as { alts: Record<string, { shape?: { inner: { shape?: unknown } } }> }).alts;
      expect(category.node.alts.map((a) => a.name)).toEqual(Object.keys(alts).filter((n) => n !== 'other'));
      for (const a of category.node.alts) expect(a.node.node.members.map((mb) => mb.name)).toEqual(fieldsOf(alts[a.name].shape!.inner));
    });
  });
});
