// Fuzzing: 100,000+ random and mutated frames into the decoder, and 100,000+ into a live client connection.
// Seeded, so a failure is reproducible. No crash (only our own error types), no hang, bounded memory.
import { describe, expect, it } from 'vitest';
import { BerError, hex } from './ber';
import { CstaDecodeError, decodeApdu, encodeApdu, encodeInvoke, encodeReturnResult } from './apdu';
import { CstaClient, type CstaStatus } from './connection';
import { encodeFrame, FrameDecoder, FramingError } from './framing';
import { operations, type OperationName } from './operations';
import { sampleArguments, sampleResults } from './testing/samples';
import { startTestPeer } from './testing/peer';
import { byteMutation, rng, treeMutation } from './testing/mutations';


const corpus: Uint8Array[] = [];
for (const name of Object.keys(operations) as OperationName[]) {
  (sampleArguments[name] as unknown[]).forEach((a, i) => corpus.push(encodeInvoke(name, i + 1, a as never)));
  ((sampleResults[name] ?? []) as unknown[]).forEach((r, i) => corpus.push(encodeReturnResult(name, i + 1, r as never)));
}
corpus.push(Buffer.from('612f80020780a10706052b0c00815aa203020100a305a103020101be14281206072b0c00821d8148a007a0050303000800', 'hex'));
corpus.push(Buffer.from('a30b020105020101a0030a0101', 'hex'), Buffer.from('6406800100810101', 'hex'));



function randomBytes(r: () => number): Uint8Array {
  return Uint8Array.from({ length: 1 + Math.floor(r() * 64) }, () => Math.floor(r() * 256));
}

/** What a switch sends after login: ROSE only (an ABRT or AARE would end the association by design). */
const roseCorpus = corpus.filter((c) => c[0] >= 0xa1 && c[0] <= 0xa4);

const ours = (e: unknown) => e instanceof BerError || e instanceof CstaDecodeError || e instanceof FramingError;

describe('fuzzing the CSTA decoder and a live client', () => {
  it('survives 100,000 random and mutated APDUs: each decodes consistently or fails with a codec error', () => {
    const r = rng(0xc57a);
    let decoded = 0;
    let failed = 0;
    for (let i = 0; i < 100_000; i++) {
      const src = corpus[i % corpus.length];
      const kind = i % 10;
      const input = kind < 5 ? treeMutation(r, src) : kind < 9 ? byteMutation(r, src) : randomBytes(r);
      let lean;
      try {
        lean = decodeApdu(input, { engine: 'lean' });
        decoded++;
      } catch (e) {
        failed++;
        if (!ours(e)) throw new Error(`non-codec error ${(e as Error)?.stack} for ${hex(input)}`);
        continue;
      }
      // what decodes must re-encode, and re-decode to the same value
      const again = decodeApdu(encodeApdu(lean, { engine: 'lean' }), { engine: 'lean' });
      if (JSON.stringify(again) !== JSON.stringify(lean)) expect(again, hex(input)).toEqual(lean);
      // the asn1js engine agrees whenever it accepts the same bytes (checked on a sample: it is much slower)
      if (i % 32 === 0) {
        let viaAsn1js;
        try {
          viaAsn1js = decodeApdu(input);
        } catch (e) {
          if (!ours(e)) throw e;
        }
        if (viaAsn1js && JSON.stringify(viaAsn1js) !== JSON.stringify(lean)) expect(viaAsn1js, hex(input)).toEqual(lean);
      }
    }
    expect(decoded).toBeGreaterThan(10_000);
    expect(failed).toBeGreaterThan(10_000);
  }, 180_000);

  it('splits 100,000 random chunks into frames without growing beyond the maximum APDU size', () => {
    const r = rng(7);
    let dec = new FrameDecoder({ maxApduSize: 4096 });
    let frames = 0;
    let errors = 0;
    for (let i = 0; i < 100_000; i++) {
      const chunk = i % 3 === 0 ? encodeFrame(corpus[i % corpus.length]).subarray(0, 1 + Math.floor(r() * 40)) : randomBytes(r);
      try {
        frames += dec.push(chunk).length;
      } catch (e) {
        if (!(e instanceof FramingError)) throw e;
        errors++;
        dec = new FrameDecoder({ maxApduSize: 4096 });
      }
      if (dec.buffered > 4096 + 2 + 64) throw new Error(`decoder holds ${dec.buffered} bytes`);
    }
    expect(frames).toBeGreaterThan(1000);
    expect(errors).toBeGreaterThan(100);
  }, 180_000);

  it('a live client takes 100,000 mutated frames: stays up on odd APDUs, closes with a clear error on bad ones, reconnects', async () => {
    const r = rng(42);
    const peer = await startTestPeer({ systemStatusAfterLogin: false });
    const client = new CstaClient({ host: '127.0.0.1', port: peer.port, keepAliveIntervalMs: 0, invokeTimeoutMs: 1000, reconnect: { initialDelayMs: 1, maxDelayMs: 5, jitter: 0 }});
    const lost: Extract<CstaStatus, { state: 'lost' }>[] = [];
    client.on('status', (s) => s.state === 'lost' && lost.push(s));
    let events = 0;
    client.on('event', () => events++);
    const heap0 = process.memoryUsage().heapUsed;
    await client.connect();
    let processed = 0;
    client.on('apdu', () => processed++);
    let sent = 0;
    const target = 100_000;
    const current = () => peer.sessions.at(-1);
    while (processed + lost.length < target) {
      // the switch side of the association the client holds now (it may have reconnected meanwhile)
      const deadline = Date.now() + 10_000;
      while (!client.connected || !current() || current()!.socket.destroyed) {
        if (Date.now() > deadline) throw new Error(`client did not reconnect (status ${client.status.state})`);
        await new Promise((res) => setTimeout(res, 1));
      }
      const batch: Buffer[] = [];
      for (let i = 0; i < 500; i++, sent++) {
        const src = roseCorpus[sent % roseCorpus.length];
        // one raw-byte mutation in 1500 breaks the frame or the BER and costs the connection
        const bad = r() < 1 / 1500;
        const apdu = bad ? byteMutation(r, src) : r() < 0.3 ? src : treeMutation(r, src, true);
        batch.push(Buffer.from(apdu.length <= 65535 ? encodeFrame(apdu) : Uint8Array.of(0xff, 0xff)));
      }
      const sock = current()!.socket;
      sock.write(Buffer.concat(batch));
      await new Promise((res) => setImmediate(res));
      // do not run ahead of the client: bounded buffers on both sides
      while (sock.writableLength > 256 * 1024 && !sock.destroyed) await new Promise((res) => setTimeout(res, 1));
    }
    await new Promise((res) => setTimeout(res, 50));
    await client.stop();
    await peer.close();
    expect(processed).toBeGreaterThan(90_000);
    expect(events).toBeGreaterThan(1000);
    expect(lost.length).toBeGreaterThan(10);
    for (const l of lost) expect(l.error.code, l.error.message).toMatch(/CSTA_PROTOCOL|CSTA_CONNECTION_LOST/);
    expect(lost.some((l) => /^bad frame from 127\.0\.0\.1:\d+ /.test(l.error.message))).toBe(true);
    expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(200 * 1024 * 1024);
  }, 180_000);
});
