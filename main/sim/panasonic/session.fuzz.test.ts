import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildAarq, encodeApdu, encodeFrame, encodeInvoke, type CstaApdu } from '../../protocols/csta-ber';
import { buildDevices } from './devices';
import { startPanasonicSim } from './index';
import { deviceListEscapeRequest } from './panasonic-escape';
import { PanasonicPbx } from './pbx';
import { CstaSession } from './session';
import { CstaTestClient } from '../../protocols/csta-ber/testing/client';

/** Deterministic PRNG (mulberry32) so a failure can be replayed from its seed. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dn = (n: string) => ({ deviceIdentifier: { dialingNumber: n } });
const conn = (callID: string, d: string) => ({ both: { callID, deviceID: { staticID: dn(d) } } });

/** Valid APDUs a client sends; the fuzzer mutates them. */
const SEEDS: Uint8Array[] = [
  encodeApdu({ kind: 'aarq', ...buildAarq({ user: 'admin', password: 'pw' }) }),
  encodeInvoke('systemStatus', 1, { systemStatus: 'normal' }),
  encodeInvoke('getSwitchingFunctionDevices', 2, {}),
  encodeInvoke('monitorStart', 3, { monitorObject: { deviceObject: dn('100') } }),
  encodeInvoke('monitorStart', 4, { monitorObject: { deviceObject: { deviceIdentifier: { deviceNumber: 2 } } } }),
  encodeInvoke('makeCall', 5, { callingDevice: dn('100'), calledDirectoryNumber: dn('101') }),
  encodeInvoke('makeCall', 6, { callingDevice: dn('101'), calledDirectoryNumber: dn('0301234') }),
  encodeInvoke('answerCall', 7, { callToBeAnswered: conn('0001', '101') }),
  encodeInvoke('holdCall', 8, { callToBeHeld: conn('0001', '100') }),
  encodeInvoke('retrieveCall', 9, { callToBeRetrieved: conn('0001', '100') }),
  encodeInvoke('clearConnection', 10, { connectionToBeCleared: conn('0001', '100') }),
  encodeInvoke('deflectCall', 11, { callToBeDiverted: conn('0002', '101'), newDestination: dn('102') }),
  encodeInvoke('snapshotDevice', 12, { snapshotObject: dn('100') }),
  encodeInvoke('setForwarding', 13, { device: dn('102'), forwardingType: 'forwardImmediate', activateForward: true, forwardDN: dn('103') }),
  encodeInvoke('setDoNotDisturb', 14, { device: dn('103'), doNotDisturbOn: true }),
  encodeInvoke('startCDRTransmission', 15, { transferMode: 'transferAtEndOfCall' }),
  encodeInvoke('startDataCollection', 16, { object: { device: dn('100') } }),
  encodeInvoke('escape', 17, deviceListEscapeRequest(5)),
  encodeInvoke('transferCall', 18, { heldCall: conn('0001', '100'), activeCall: conn('0002', '100') }),
  encodeApdu({ kind: 'returnResult', invokeId: 1, opcode: 211, operation: 'systemStatus', result: { noData: null } } as CstaApdu),
];

/** Offsets of the content bytes of primitive elements (a minimal TLV walk, definite lengths only). */
function valueOffsets(b: Uint8Array, from = 0, to = b.length, out: number[] = []): number[] {
  let p = from;
  while (p < to) {
    const constructed = (b[p] & 0x20) !== 0;
    if ((b[p++] & 0x1f) === 0x1f) while (b[p++] & 0x80);
    let len = b[p++];
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + b[p++];
    }
    if (constructed) valueOffsets(b, p, p + len, out);
    else for (let i = p; i < p + len; i++) out.push(i);
    p += len;
  }
  return out;
}

/**
 * Mutates an APDU: `structural` mutations insert, delete, truncate and so usually break the BER framing (the
 * connection must close); value mutations flip or replace content bytes of primitive elements, so they reach
 * the services as odd numbers, names, IDs and enumerations (the connection must survive them).
 */
function mutate(bytes: Uint8Array, r: () => number, structural: boolean): Uint8Array {
  const b = Array.from(bytes);
  const values = structural ? [] : valueOffsets(bytes);
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    const pos = structural || values.length === 0 ? Math.floor(r() * Math.max(1, b.length)) : values[Math.floor(r() * values.length)];
    switch (Math.floor(r() * 3) + (structural ? 3 : 0)) {
      case 0:
        b[pos] ^= 1 << Math.floor(r() * 8);
        break;
      case 1:
        b[pos] = Math.floor(r() * 256);
        break;
      case 2:
        b[pos] = [0x00, 0x7f, 0x80, 0x81, 0x84, 0xff][Math.floor(r() * 6)];
        break;
      case 3:
        b.splice(pos, 0, Math.floor(r() * 256));
        break;
      case 4:
        b.splice(pos, 1);
        break;
      default:
        b.length = Math.max(1, pos);
    }
  }
  return Uint8Array.from(b.length ? b : [0]);
}

/** A socket stand-in: writes are dropped; `end`/`destroy` close it and emit 'close' as a socket does. */
class FakeSocket extends EventEmitter {
  destroyed = false;
  writableEnded = false;
  writable = true;
  remoteAddress = '127.0.0.1';
  remotePort = 1;
  write(): boolean {
    return true;
  }
  end(): void {
    this.writableEnded = true;
    this.writable = false;
    this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.writable = false;
    process.nextTick(() => this.emit('close'));
  }
}
const fakeSocket = () => new FakeSocket() as unknown as Socket;

const FRAMES = Number(process.env.FUZZ_FRAMES ?? 100_000);

describe('Panasonic simulator under fuzzed input', () => {
  it('survives 100,000 random and mutated frames: no crash, bad frames close only their connection', async () => {
    const r = rng(20261123);
    const devices = buildDevices({ extensions: '100-109' });
    let pbx = new PanasonicPbx(devices);
    const aarq = encodeFrame(SEEDS[0]);
    let socket = fakeSocket();
    const internalErrors: string[] = [];
    let invokes = 0;
    const options = { segmentSize: 5, keepAliveMs: 0, logger: { info() {}, warn() {}, error: (m: string) => internalErrors.push(m) } };
    let session = new CstaSession(socket, 'tcp', pbx, options);
    let sessions = 1;
    for (let i = 0; i < FRAMES; i++) {
      if (i % 5000 === 0) {
        invokes += Object.values(pbx.counters().invokesReceived).reduce((a, b) => a + b, 0);
        pbx = new PanasonicPbx(devices);
      } // keep the call table small; the rules are what is tested
      if (socket.destroyed || socket.writableEnded) {
        // Let the closed connection's close event release the association, as the event loop would.
        await new Promise((res) => process.nextTick(res));
        socket = fakeSocket();
        session = new CstaSession(socket, 'tcp', pbx, options);
        sessions++;
        // Logging in costs the codec about a millisecond; most sessions start with it, some meet junk first.
        if (r() < 0.8) socket.emit('data', Buffer.from(aarq));
      }
      const kind = r();
      const junk = () => Uint8Array.from({ length: 1 + Math.floor(r() * 40) }, () => Math.floor(r() * 256));
      if (kind < 0.005) {
        // Unframed junk: the length it announces may swallow what follows, so this client then goes away.
        socket.emit('data', Buffer.from(junk()));
        socket.destroy();
        continue;
      }
      let frame: Uint8Array;
      const seed = () => SEEDS[1 + Math.floor(r() * (SEEDS.length - 1))];
      if (kind < 0.04) frame = encodeFrame(junk());
      else if (kind < 0.08) frame = encodeFrame(mutate(SEEDS[Math.floor(r() * SEEDS.length)], r, true));
      else if (kind < 0.6) frame = encodeFrame(mutate(seed(), r, false));
      else frame = encodeFrame(seed());
      socket.emit('data', Buffer.from(frame));
    }
    void session;
    await new Promise((res) => setTimeout(res, 50));
    expect(internalErrors).toEqual([]);
    expect(invokes).toBeGreaterThan(10_000);
    expect(sessions).toBeGreaterThan(100);
    expect(pbx.counters().badFrames).toBeGreaterThan(0);
  }, 90_000);

  it('keeps serving over TCP while clients send garbage and mutated frames', async () => {
    const sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-109' } });
    const r = rng(7);
    try {
      for (let i = 0; i < 200; i++) {
        const c = await CstaTestClient.connect({ port: sim.tcpPort, autoAck: false });
        c.socket.removeAllListeners('data');
        c.socket.on('data', () => {});
        if (i % 2 === 0) c.sendRaw(encodeFrame(SEEDS[0]));
        c.sendRaw(i % 3 === 0 ? Uint8Array.from({ length: 30 }, () => Math.floor(r() * 256)) : encodeFrame(mutate(SEEDS[1 + (i % (SEEDS.length - 1))], r, i % 2 === 0)));
        c.close();
      }
      const ok = await CstaTestClient.connect({ port: sim.tcpPort, autoAck: false });
      expect((await ok.login()).result).toBe(0);
      expect(await ok.invoke('systemStatus', { systemStatus: 'normal' })).toMatchObject({ kind: 'returnResult' });
      ok.close();
    } finally {
      await sim.close();
    }
  });
});
