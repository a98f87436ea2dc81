// For tests only: a CSTA proxy in front of the simulator that answers chosen requests itself with a refusal, so a
// test can make the PBX "not support" an operation or "refuse" a monitor without changing the simulator.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { decodeApdu, encodeFrame, encodeReject, encodeUniversalFailure, FrameDecoder, MAX_FRAME_LENGTH, type InvokeApdu } from '../../../protocols/csta-ber';

export type Interception = 'pass' | 'unsupported' | 'invalidDevice';

export interface RefusingProxy {
  port: number;
  /** Invokes seen from the client, by operation name. */
  seen: Record<string, number>;
  close(): Promise<void>;
}

/** `dropEvents` swallows the PBX's event reports while it returns true (as if they were lost on the way). */
export async function startRefusingProxy(upstreamPort: number, decide: (i: InvokeApdu) => Interception, dropEvents: () => boolean = () => false): Promise<RefusingProxy> {
  const sockets = new Set<Socket>();
  const seen: Record<string, number> = {};
  const server: Server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: upstreamPort });
    sockets.add(client).add(upstream);
    const deframer = new FrameDecoder({ maxApduSize: MAX_FRAME_LENGTH });
    client.on('data', (chunk: Buffer) => {
      for (const apdu of deframer.push(chunk)) {
        let verdict: Interception = 'pass';
        try {
          const a = decodeApdu(apdu, { engine: 'lean' });
          if (a.kind === 'invoke') {
            const name = a.operation ?? `opcode ${a.opcode}`;
            seen[name] = (seen[name] ?? 0) + 1;
            verdict = decide(a);
            if (verdict === 'unsupported') client.write(encodeFrame(encodeReject(a.invokeId, { invoke: 'unrecognizedOperation' })));
            if (verdict === 'invalidDevice') client.write(encodeFrame(encodeUniversalFailure(a.invokeId, { operation: 'invalidDeviceID' })));
          }
        } catch {
          verdict = 'pass';
        }
        if (verdict === 'pass') upstream.write(encodeFrame(apdu));
      }
    });
    const fromPbx = new FrameDecoder({ maxApduSize: MAX_FRAME_LENGTH });
    upstream.on('data', (chunk: Buffer) => {
      for (const apdu of fromPbx.push(chunk)) {
        if (dropEvents()) {
          try {
            const a = decodeApdu(apdu, { engine: 'lean' });
            if (a.kind === 'invoke' && a.operation === 'cSTAEventReport') continue;
          } catch {
            // not ours to judge: pass it on
          }
        }
        client.write(encodeFrame(apdu));
      }
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as { port: number }).port,
    seen,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
