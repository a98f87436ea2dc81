// A bare-bones PBX stand-in for the multiplexer's stress tests and benchmark: it accepts one association,
// answers every invoke with a result (MonitorStart with a 4-byte cross-reference ID) and can send prepared
// event frames as fast as the socket takes them. The Panasonic simulator is the real peer for behaviour; this
// one exists because the simulator builds each event with asn1js, which would measure the simulator instead.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import {
  buildAare,
  callControlEventReport,
  connectionId,
  dialingNumber,
  encodeApdu,
  encodeInvoke,
  FrameDecoder,
  MAX_FRAME_LENGTH,
  buildReturnResult,
  frameOf,
  NO_DATA,
  OPCODE,
  parseRose,
  party,
  tlv,
  type RoseView,
} from '../../../protocols/csta-ber';

export interface FakePbx {
  port: number;
  /** Invokes received, by opcode. */
  invokes: Map<number, number>;
  /** Answers the multiplexer sent to the PBX's invokes (ROSE result, error, reject), in order. */
  answers: Uint8Array[];
  /** Cross-reference IDs handed out by MonitorStart (hex). */
  refs: string[];
  /** A Delivered event frame for a monitor (2-byte length prefix included). */
  eventFrame(ref: string): Buffer;
  /** Invoke IDs of requests held back unanswered (see FakePbxOptions.hold), oldest first. */
  held: { invokeId: number; opcode: number }[];
  /** Answers a held request now, as it would have been answered at once; returns the MonitorStart's ref if any. */
  release(invokeId: number): string | undefined;
  /** Writes frames to the associated link; resolves when the socket has taken them. */
  send(frame: Buffer): Promise<void>;
  close(): Promise<void>;
}

export interface FakePbxOptions {
  /** Requests of these opcodes are not answered until `release` (a slow PBX). */
  hold?: (opcode: number) => boolean;
  /** Takes over the answer to an invoke: returns the frames to send (or none); undefined = answer as usual. */
  answer?: (apdu: Uint8Array, view: RoseView) => Buffer[] | undefined;
}

export async function startFakePbx(opts: FakePbxOptions = {}): Promise<FakePbx> {
  let link: Socket | undefined;
  const invokes = new Map<number, number>();
  const answers: Uint8Array[] = [];
  const refs: string[] = [];
  const held: { invokeId: number; opcode: number }[] = [];
  /** The usual answer: MonitorStart gets a fresh 4-byte cross-reference ID, everything else noData. */
  const usual = (invokeId: number, opcode: number): { frame: Buffer; ref?: string } => {
    if (opcode !== OPCODE.monitorStart) return { frame: frameOf(buildReturnResult(invokeId, opcode, NO_DATA)) };
    const ref = (refs.length + 1).toString(16).padStart(8, '0');
    refs.push(ref);
    return { frame: frameOf(buildReturnResult(invokeId, OPCODE.monitorStart, tlv([0x30], tlv([0x55], Buffer.from(ref, 'hex'))))), ref };
  };
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.setNoDelay(true);
    const decoder = new FrameDecoder({ maxApduSize: MAX_FRAME_LENGTH });
    socket.on('data', (chunk: Buffer) => {
      for (const apdu of decoder.push(chunk)) {
        if (apdu[0] === 0x60) {
          link = socket;
          socket.write(frameOf(encodeApdu({ kind: 'aare', ...buildAare() })));
          continue;
        }
        if (apdu[0] >= 0xa2 && apdu[0] <= 0xa4) answers.push(apdu);
        if (apdu[0] !== 0xa1) continue;
        const v = parseRose(apdu);
        invokes.set(v.opcode!, (invokes.get(v.opcode!) ?? 0) + 1);
        const own = opts.answer?.(apdu, v);
        if (own) for (const f of own) socket.write(f);
        else if (opts.hold?.(v.opcode!)) held.push({ invokeId: v.invokeId!, opcode: v.opcode! });
        else socket.write(usual(v.invokeId!, v.opcode!).frame);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const d201 = dialingNumber('201');
  const d202 = dialingNumber('202', 'Reception');
  return {
    port: (server.address() as AddressInfo).port,
    invokes,
    answers,
    refs,
    held,
    release(invokeId) {
      const i = held.findIndex((h) => h.invokeId === invokeId);
      if (i < 0 || !link) throw new Error(`no held request ${invokeId}`);
      const [h] = held.splice(i, 1);
      const { frame, ref } = usual(h.invokeId, h.opcode);
      link.write(frame);
      return ref;
    },
    eventFrame(ref) {
      const event = callControlEventReport(ref, 'delivered', {
        connection: connectionId('0102', d202), alertingDevice: party(d202), callingDevice: party(d201), calledDevice: party(d202),
        lastRedirectionDevice: { notKnown: null }, localConnectionInfo: 'alerting', cause: 'newCall',
        // Panasonic KME private data (the bytes of the captured device-list request), to show it passes untouched
        extensions: { privateData: [{ private: 'a40ba009a407a105a0030a0105' }] },
      } as never);
      return frameOf(encodeInvoke('cSTAEventReport', 1, event));
    },
    send(frame) {
      return new Promise((resolve, reject) => {
        if (!link) return reject(new Error('no association'));
        if (link.write(frame)) resolve();
        else link.once('drain', () => resolve());
      });
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
