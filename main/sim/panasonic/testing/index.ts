import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import {
  buildAarq,
  decodeApdu,
  encodeApdu,
  encodeFrame,
  encodeInvoke,
  FrameDecoder,
  MAX_FRAME_LENGTH,
  type ArgumentOf,
  type CstaApdu,
  type OperationName,
} from '../../../protocols/csta-ber';

/**
 * A bare CSTA client over the codec's public API, for tests of the simulator: frames, the AARQ, invokes that
 * await their answer, and a queue of everything else the PBX sends. Not a product client (no reconnect).
 */
export class SimTestClient {
  readonly received: CstaApdu[] = [];
  private readonly decoder = new FrameDecoder({ maxApduSize: MAX_FRAME_LENGTH });
  private waiters: Array<{ match: (a: CstaApdu) => boolean; resolve: (a: CstaApdu) => void }> = [];
  private nextId = 1;
  closed = false;
  readonly closedPromise: Promise<void>;

  private constructor(readonly socket: Socket) {
    this.closedPromise = new Promise((resolve) => socket.once('close', () => ((this.closed = true), resolve())));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      for (const bytes of this.decoder.push(chunk)) {
        const apdu = decodeApdu(bytes, { engine: 'lean' });
        const i = this.waiters.findIndex((w) => w.match(apdu));
        if (i >= 0) this.waiters.splice(i, 1)[0].resolve(apdu);
        else this.received.push(apdu);
      }
    });
  }

  static async connect(port: number, tls?: { ca: string | Buffer; servername?: string }): Promise<SimTestClient> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = tls
        ? tlsConnect({ host: '127.0.0.1', port, ca: tls.ca, servername: tls.servername ?? 'localhost' }, () => resolve(s))
        : tcpConnect({ host: '127.0.0.1', port }, () => resolve(s));
      s.once('error', reject);
    });
    return new SimTestClient(socket);
  }

  sendRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  send(apdu: CstaApdu): void {
    this.socket.write(encodeFrame(encodeApdu(apdu)));
  }

  /** The next APDU matching `match` (from what already arrived, or what arrives within the timeout). */
  next(match: (a: CstaApdu) => boolean = () => true, timeoutMs = 3000): Promise<CstaApdu> {
    const i = this.received.findIndex(match);
    if (i >= 0) return Promise.resolve(this.received.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (a: CstaApdu) => (clearTimeout(timer), resolve(a)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`nothing matching arrived within ${timeoutMs} ms; queued: ${this.received.map((a) => a.kind).join(', ')}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Sends the AARQ and returns the AARE; answers the PBX's SystemStatus invoke when `answerStatus`. */
  async login(opts: { user?: string; password?: string } = {}): Promise<Extract<CstaApdu, { kind: 'aare' }>> {
    this.send({ kind: 'aarq', ...buildAarq(opts) });
    return (await this.next((a) => a.kind === 'aare')) as Extract<CstaApdu, { kind: 'aare' }>;
  }

  /** Invokes an operation and waits for its ReturnResult, ReturnError or Reject. */
  async invoke<N extends OperationName>(operation: N, argument: ArgumentOf<N>, timeoutMs = 3000): Promise<CstaApdu> {
    const invokeId = this.nextId++;
    this.socket.write(encodeFrame(encodeInvoke(operation, invokeId, argument)));
    return this.next((a) => (a.kind === 'returnResult' || a.kind === 'returnError' || a.kind === 'reject') && a.invokeId === invokeId, timeoutMs);
  }

  /** Event reports (operation cSTAEventReport) received so far and still queued, removed from the queue. */
  takeEvents(): Array<{ crossRef: string; name: string; event: Record<string, unknown> }> {
    const out = [];
    for (let i = 0; i < this.received.length; ) {
      const a = this.received[i];
      if (a.kind === 'invoke' && a.operation === 'cSTAEventReport') {
        this.received.splice(i, 1);
        const info = a.argument.eventSpecificInfo as Record<string, Record<string, Record<string, unknown>>>;
        const [category] = Object.keys(info);
        const [name] = Object.keys(info[category]);
        out.push({ crossRef: a.argument.crossRefIdentifier, name, event: info[category][name] });
      } else i++;
    }
    return out;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Waits until `cond` holds (polling), for state that arrives asynchronously. */
export async function until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
