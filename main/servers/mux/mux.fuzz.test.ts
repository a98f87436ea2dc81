// Fuzzing the multiplexer from both sides in one process: hostile applications send random and mutated frames,
// and a stand-in PBX answers the requests that get through with mutated, misdirected, duplicated, late or missing
// answers and pushes mutated invokes of its own. Afterwards a well-behaved application must still be served.
// Seeded, so a failure can be replayed.
import { describe, expect, it } from 'vitest';
import type { Coded } from '../../../shared/problems';
import {
  buildAarq,
  encodeApdu,
  encodeFrame,
  encodeInvoke,
  encodeReject,
  encodeReturnResult,
  encodeUniversalFailure,
  eventCrossRefOf,
  operationName,
  operations,
  rewriteInvokeId,
  buildReturnResult,
  frameOf,
  NO_DATA,
  parseRose,
  tlv,
  type OperationName,
  type RoseView,
} from '../../protocols/csta-ber';
import { sampleArguments, sampleResults } from '../../protocols/csta-ber/testing/samples';
import { byteMutation, rng, treeMutation } from '../../protocols/csta-ber/testing/mutations';
import { Multiplexer } from './multiplexer';
import { hotelEscapeApdu } from './testing/hotel';
import { crossRefOf, monitorArg, CstaTestClient } from '../../protocols/csta-ber/testing/client';
import { fakeSocket, type FakeSocket } from './testing/fake-socket';
import { startFakePbx, type FakePbx } from './testing/pbx';

const FRAMES = Number(process.env.FUZZ_FRAMES ?? 100_000);
const LOGIN = { user: 'ops', password: 'pw' };

/** What applications send: every modelled operation's sample invokes, answers to the PBX's invokes, ACSE. */
const clientCorpus: Uint8Array[] = [];
for (const name of Object.keys(operations) as OperationName[]) {
  (sampleArguments[name] as unknown[]).forEach((a, i) => clientCorpus.push(encodeInvoke(name, i + 1, a as never)));
}
for (const n of ['100', '101', '102', '103']) clientCorpus.push(encodeInvoke('monitorStart', 7, monitorArg(n)));
clientCorpus.push(
  // a monitor stop with one of the IDs the multiplexer hands out is unlikely; with random ones, refused
  encodeInvoke('monitorStop', 8, { crossRefIdentifier: '00000001' }),
  // the Panasonic hotel escape (KME hotel control [13])
  hotelEscapeApdu(9),
  buildReturnResult(1, 361, NO_DATA),
  buildReturnResult(2, 211, NO_DATA),
  encodeReject(3, { invoke: 'unrecognizedOperation' }),
  encodeUniversalFailure(4, { operation: 'generic' }),
  encodeApdu({ kind: 'rlrq', reason: 0 }),
);
const aarqs = [
  encodeApdu({ kind: 'aarq', ...buildAarq({}) }),
  encodeApdu({ kind: 'aarq', ...buildAarq(LOGIN) }),
  encodeApdu({ kind: 'aarq', ...buildAarq({ user: 'ops', password: 'guess' }) }),
];
/** Requests under invoke IDs at and beyond the edges of what can be mapped back. */
const oddInvokes = [-1, -128, -32768, -2147483648, 0, 32767, 32768, 0x7fffffff].flatMap((id) =>
  (['monitorStart', 'snapshotDevice', 'makeCall', 'startCDRTransmission', 'escape'] as const).map((name) => encodeInvoke(name, id, sampleArguments[name][0] as never)),
);

/** Cross-reference IDs the stand-in PBX hands out to MonitorStarts while fuzzing (its events use them too). */
const REFS = ['0000000a', '0000000b', '0000000c', '0000000d'];

function readable(apdu: Uint8Array): boolean {
  try {
    parseRose(apdu);
    return true;
  } catch {
    return false;
  }
}

/** The PBX's plain answers, one per opcode (a sample result of the operation, or noData), for invoke ID 1. */
const answerTemplates = new Map<number, Uint8Array>();
function templateFor(opcode: number): Uint8Array {
  let t = answerTemplates.get(opcode);
  if (!t) {
    const name = operationName(opcode);
    const results = name ? (sampleResults[name] as unknown[] | undefined) : undefined;
    t = name && results?.length ? encodeReturnResult(name, 1, results[0] as never) : buildReturnResult(1, opcode, NO_DATA);
    answerTemplates.set(opcode, t);
  }
  return t;
}

/** The PBX's plain answer to an invoke; a MonitorStart gets one of the fuzzing cross-reference IDs. */
function plainAnswer(v: RoseView, r: () => number): Uint8Array {
  const id = v.invokeId!;
  if (v.opcode === 71) return buildReturnResult(id, 71, tlv([0x30], tlv([0x55], Buffer.from(REFS[Math.floor(r() * REFS.length)], 'hex'))));
  return rewriteInvokeId(templateFor(v.opcode!), id)!;
}

describe('the multiplexer under fuzzed input from applications and from the PBX', () => {
  it('survives 100,000 hostile frames and mutated PBX traffic, then serves a well-behaved application', async () => {
    const r = rng(20261207);
    const errors: string[] = [];
    let warnings = 0;
    const logger = { error: (m: Coded) => errors.push(m.message), warn: () => void warnings++, info() {}, debug() {} };
    let fuzzing = true;
    let upstreamFrames = 0;
    const late: Buffer[] = [];
    let pbx!: FakePbx;
    let pbxInvokes: Uint8Array[] = [];
    /** One of the PBX's own invokes (events, CDR, collected digits, device lists, escapes, pings) under a random ID. */
    const pbxInvoke = () => rewriteInvokeId(pbxInvokes[Math.floor(r() * pbxInvokes.length)], 1 + Math.floor(r() * 40000))!;
    const mutated = (apdu: Uint8Array): Buffer => {
      const k = r();
      const m = k < 0.02 ? byteMutation(r, apdu) : k < 0.6 ? treeMutation(r, apdu, true) : apdu;
      // an unreadable ROSE header ends the PBX link by design (and it is opened again): rare, or nothing else is tested
      if (m !== apdu && r() > 0.01 && !readable(m)) return frameOf(apdu);
      return frameOf(m);
    };
    pbx = await startFakePbx({
      answer: (_apdu, v) => {
        if (!fuzzing) return undefined;
        const out: Buffer[] = [];
        const plain = plainAnswer(v, r);
        const k = r();
        if (k < 0.08) {
          // never answered: the multiplexer's timeout answers instead
        } else if (k < 0.14) late.push(frameOf(plain));
        else if (k < 0.22) out.push(frameOf(encodeUniversalFailure(v.invokeId!, { operation: 'generic' })));
        else if (k < 0.26) out.push(frameOf(encodeReject(v.invokeId!, { invoke: 'unrecognizedOperation' })));
        else if (k < 0.32) out.push(frameOf(encodeReturnResult('systemStatus', Math.floor(r() * 40000), { noData: null })));
        else if (k < 0.36) out.push(frameOf(plain), frameOf(plain));
        else out.push(mutated(plain));
        // the PBX's own traffic: events, CDR, collected digits, device lists, escapes, pings
        for (let n = Math.floor(r() * 4); n > 0; n--) out.push(mutated(pbxInvoke()));
        if (late.length > 20 || (late.length && r() < 0.1)) out.push(...late.splice(0, 1 + Math.floor(r() * late.length)));
        upstreamFrames += out.length;
        return out;
      },
    });
    pbxInvokes = [
      ...REFS.map((ref) => pbx.eventFrame(ref).subarray(2)),
      encodeInvoke('cDRReport', 1, sampleArguments.cDRReport[0]),
      encodeInvoke('dataCollected', 1, sampleArguments.dataCollected[0]),
      encodeInvoke('switchingFunctionDevices', 1, sampleArguments.switchingFunctionDevices[0]),
      encodeInvoke('escape', 1, sampleArguments.escape[0]),
      encodeInvoke('systemStatus', 1, { systemStatus: 'normal' }),
    ];
    const mux = new Multiplexer({
      pbx: { host: '127.0.0.1', port: pbx.port },
      bind: '127.0.0.1',
      tcpPort: 0,
      login: LOGIN,
      requestTimeoutMs: 100,
      cdrAckTimeoutMs: 100,
      loginTimeoutMs: 500,
      applicationKeepAliveMs: 300,
      applicationKeepAliveTimeoutMs: 300,
      maxOutstandingPerApplication: 64,
      loginGuard: { backoffMs: 5, lockoutFailures: 50, lockoutMs: 200 },
      reconnectMs: 10,
      maxReconnectMs: 50,
      logger,
    });
    await mux.start();
    try {
      const until = async (check: () => boolean, what: string) => {
        for (let i = 0; i < 500 && !check(); i++) await new Promise((res) => setTimeout(res, 10));
        if (!check()) throw new Error(`timed out waiting for ${what}`);
      };
      await until(() => mux.status().pbx?.state === 'connected', 'the PBX link');

      // a few hostile applications at a time, so that they meet on shared monitors and owned services
      const apps: FakeSocket[] = [];
      let sessions = 0;
      const open = (): FakeSocket => {
        const s = fakeSocket(`10.0.${Math.floor(r() * 4)}.${Math.floor(r() * 250)}`);
        mux.serve(s.asSocket(), 'tcp');
        sessions++;
        if (r() < 0.85) s.feed(encodeFrame(aarqs[Math.floor(r() * aarqs.length)]));
        return s;
      };
      for (let i = 0; i < 6; i++) apps.push(open());
      const junk = () => Uint8Array.from({ length: 1 + Math.floor(r() * 40) }, () => Math.floor(r() * 256));
      const seed = () => clientCorpus[Math.floor(r() * clientCorpus.length)];
      for (let i = 0; i < FRAMES; i++) {
        if (i % 64 === 0) await new Promise((res) => setImmediate(res)); // let the PBX link and the timers run
        const slot = Math.floor(r() * apps.length);
        if (apps[slot].destroyed) apps[slot] = open();
        const app = apps[slot];
        const kind = r();
        if (kind < 0.004) {
          // unframed junk: its length may swallow what follows, so this application then goes away
          app.feed(junk());
          app.destroy();
          continue;
        }
        let apdu: Uint8Array;
        if (kind < 0.015) apdu = junk();
        else if (kind < 0.04) apdu = byteMutation(r, seed());
        else if (kind < 0.05) apdu = byteMutation(r, aarqs[Math.floor(r() * aarqs.length)]);
        else if (kind < 0.45) apdu = treeMutation(r, seed(), r() < 0.8);
        else if (kind < 0.55) apdu = oddInvokes[Math.floor(r() * oddInvokes.length)];
        else apdu = seed();
        app.feed(encodeFrame(apdu));
      }
      await new Promise((res) => setTimeout(res, 300));
      const c = mux.status().counters!;
      expect(errors).toEqual([]);
      expect(sessions).toBeGreaterThan(500);
      expect(c.malformedDisconnects).toBeGreaterThan(500);
      expect(c.requestsForwarded).toBeGreaterThan(10_000);
      expect(c.answersReturned).toBeGreaterThan(5_000);
      expect(c.eventsDelivered).toBeGreaterThan(0);
      expect(c.monitorStartsUpstream).toBeGreaterThan(100);
      expect(upstreamFrames).toBeGreaterThan(50_000);
      expect(warnings).toBeGreaterThan(0);

      // a well-behaved application in the same process is still served: monitor, then an event arrives
      fuzzing = false;
      await until(() => mux.status().pbx?.state === 'connected', 'the PBX link after fuzzing');
      const good = await CstaTestClient.login({ port: mux.tcpPort });
      try {
        const ref = crossRefOf(await good.invoke('monitorStart', monitorArg('555')));
        await pbx.send(pbx.eventFrame(pbx.refs.at(-1)!));
        await good.waitEvents(1);
        expect(eventCrossRefOf(good.events[0])).toBe(ref);
      } finally {
        good.close();
      }
    } finally {
      await mux.close();
      await pbx.close();
    }
  }, 180_000);
});
