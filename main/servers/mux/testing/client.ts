// A minimal CSTA application for the multiplexer's tests and benchmark: logs in over TCP or TLS, sends typed
// invokes, collects answers and events as raw APDUs. Not used by the product.
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import {
  buildAarq,
  decodeApdu,
  encodeApdu,
  encodeInvoke,
  FrameDecoder,
  MAX_FRAME_LENGTH,
  type ArgumentOf,
  type CstaApdu,
  type OperationName,
} from '../../../protocols/csta-ber';
import { buildReturnResult, frameOf, NO_DATA, parseRose } from '../rose-bytes';

export interface TestClientOptions {
  port: number;
  host?: string;
  tls?: boolean;
  login?: { user: string; password: string };
  /** Answer CDR reports, keep-alives and other switch invokes automatically (default true). */
  autoAck?: boolean;
}

const aarqCache = new Map<string, Buffer>();

export class TestClient {
  readonly apdus: Uint8Array[] = [];
  readonly events: Uint8Array[] = [];
  closed = false;
  autoAck: boolean;
  private nextId = 1;
  private readonly waiters = new Map<number, (a: CstaApdu) => void>();
  private readonly listeners = new Set<() => void>();
  private readonly decoder = new FrameDecoder({ maxApduSize: MAX_FRAME_LENGTH });

  private constructor(readonly socket: Socket, opts: TestClientOptions) {
    this.autoAck = opts.autoAck ?? true;
    socket.on('data', (chunk: Buffer) => {
      for (const apdu of this.decoder.push(chunk)) this.onApdu(apdu);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }

  /** Connects and sends the AARQ; resolves with the client and the AARE (decoded). */
  static async open(opts: TestClientOptions): Promise<{ client: TestClient; aare: CstaApdu }> {
    const host = opts.host ?? '127.0.0.1';
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = opts.tls ? tlsConnect({ host, port: opts.port, rejectUnauthorized: false }, () => resolve(s)) : tcpConnect({ host, port: opts.port }, () => resolve(s));
      s.once('error', reject);
    });
    const client = new TestClient(socket, opts);
    const k = JSON.stringify(opts.login ?? null);
    let aarq = aarqCache.get(k);
    if (!aarq) aarqCache.set(k, (aarq = frameOf(encodeApdu({ kind: 'aarq', ...buildAarq(opts.login ?? {}) }))));
    socket.write(aarq);
    const aare = decodeApdu(await client.waitFor((a) => a[0] === 0x61));
    return { client, aare };
  }

  /** Opens and insists on an accepted association. */
  static async login(opts: TestClientOptions): Promise<TestClient> {
    const { client, aare } = await TestClient.open(opts);
    if (aare.kind !== 'aare' || aare.result !== 0) throw new Error(`association refused: ${JSON.stringify(aare)}`);
    return client;
  }

  invoke<N extends OperationName>(operation: N, argument: ArgumentOf<N>, timeoutMs = 5000): Promise<CstaApdu> {
    const id = this.nextId++;
    this.socket.write(frameOf(encodeInvoke(operation, id, argument)));
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no answer to ${operation} (${id}) within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.set(id, (a) => {
        clearTimeout(t);
        resolve(a);
      });
    });
  }

  writeRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Resolves with the first APDU received so far or later that matches. */
  waitFor(match: (apdu: Uint8Array) => boolean, timeoutMs = 5000): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.apdus.find(match);
        if (hit) {
          done();
          resolve(hit);
        } else if (this.closed) {
          done();
          reject(new Error('connection closed while waiting'));
        }
      };
      const t = setTimeout(() => {
        done();
        reject(new Error(`nothing matching within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(t);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Resolves when the multiplexer closes the connection. */
  waitClosed(timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) return resolve();
      const t = setTimeout(() => reject(new Error(`still connected after ${timeoutMs} ms`)), timeoutMs);
      this.socket.once('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  async waitEvents(n: number, timeoutMs = 5000): Promise<void> {
    await this.waitFor(() => this.events.length >= n, timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }

  private onApdu(apdu: Uint8Array): void {
    this.apdus.push(apdu);
    if (apdu[0] === 0xa1) {
      const v = parseRose(apdu);
      if (v.opcode === 21) this.events.push(apdu);
      else if (this.autoAck) this.socket.write(frameOf(buildReturnResult(v.invokeId!, v.opcode!, NO_DATA)));
    } else if (apdu[0] >= 0xa2 && apdu[0] <= 0xa4) {
      const v = parseRose(apdu);
      const w = v.invokeId !== null ? this.waiters.get(v.invokeId) : undefined;
      if (w) {
        this.waiters.delete(v.invokeId!);
        w(decodeApdu(apdu));
      }
    }
    this.notify();
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
}

/** The monitorCrossRefID of a MonitorStart answer (hex), or throws with the answer. */
export function crossRefOf(answer: CstaApdu): string {
  if (answer.kind === 'returnResult' && answer.operation === 'monitorStart') return answer.result.crossRefIdentifier;
  throw new Error(`MonitorStart failed: ${JSON.stringify(answer)}`);
}

export function monitorArg(number: string): ArgumentOf<'monitorStart'> {
  return { monitorObject: { deviceObject: { deviceIdentifier: { dialingNumber: number } } } } as ArgumentOf<'monitorStart'>;
}
