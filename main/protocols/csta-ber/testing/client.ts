// The one CSTA test client (tests and benchmarks of the simulator and the multiplexer; never the product): frames,
// the AARQ, invokes that await their answer, every APDU kept raw in arrival order, and a queue of what nobody
// waited for, decoded only when a test reads it (a thousand clients in one test decode nothing they do not look at).
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import {
  buildAarq,
  buildReturnResult,
  decodeApdu,
  encodeApdu,
  encodeInvoke,
  frameOf,
  FrameDecoder,
  MAX_FRAME_LENGTH,
  NO_DATA,
  OPCODE,
  tryParseRose,
  type ArgumentOf,
  type CstaApdu,
  type OperationName,
} from '../index';

export interface CstaTestClientOptions {
  port: number;
  host?: string;
  /** TLS: `true` takes any certificate (a test server's self-signed one); or the CA and name to check it against. */
  tls?: boolean | { ca: string | Buffer; servername?: string };
  /** Login sent in the AARQ by `open` / `login`. */
  login?: { user: string; password: string };
  /** Answer every invoke but event reports with noData (keep-alives, CDR reports …); default true. */
  autoAck?: boolean;
}

type AareApdu = Extract<CstaApdu, { kind: 'aare' }>;

interface Queued {
  bytes: Uint8Array;
  apdu?: CstaApdu;
}

const aarqCache = new Map<string, Buffer>();
const decode = (q: Queued): CstaApdu => (q.apdu ??= decodeApdu(q.bytes, { engine: 'lean' }));
/** Bytes the codec cannot read match no waiter; they stay queued for the test to look at. */
const matches = (match: (a: CstaApdu) => boolean, q: Queued): boolean => {
  try {
    return match(decode(q));
  } catch {
    return false;
  }
};

export class CstaTestClient {
  /** Every APDU received, raw, in arrival order. */
  readonly apdus: Uint8Array[] = [];
  /** Every cSTAEventReport received, raw. */
  readonly events: Uint8Array[] = [];
  closed = false;
  readonly closedPromise: Promise<void>;
  autoAck: boolean;
  private nextId = 1;
  private readonly queue: Queued[] = [];
  private waiters: Array<{ match: (a: CstaApdu) => boolean; resolve: (a: CstaApdu) => void; reject: (e: Error) => void }> = [];
  /** Invokes waiting for their answer, by invoke ID (matched on the raw bytes: events arriving meanwhile stay undecoded). */
  private readonly answers = new Map<number, (a: CstaApdu) => void>();
  private readonly listeners = new Set<() => void>();
  private readonly decoder = new FrameDecoder({ maxApduSize: MAX_FRAME_LENGTH });

  private constructor(
    readonly socket: Socket,
    opts: CstaTestClientOptions,
  ) {
    this.autoAck = opts.autoAck ?? true;
    this.closedPromise = new Promise((resolve) =>
      socket.once('close', () => {
        this.closed = true;
        for (const w of this.waiters.splice(0)) w.reject(new Error('connection closed while waiting'));
        this.notify();
        resolve();
      }),
    );
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      for (const apdu of this.decoder.push(chunk)) this.onApdu(apdu);
    });
  }

  /** Connects (no AARQ yet). */
  static async connect(opts: CstaTestClientOptions): Promise<CstaTestClient> {
    const host = opts.host ?? '127.0.0.1';
    const tls = opts.tls;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s =
        tls === true
          ? tlsConnect({ host, port: opts.port, rejectUnauthorized: false }, () => resolve(s))
          : tls
            ? tlsConnect({ host, port: opts.port, ca: tls.ca, servername: tls.servername ?? 'localhost' }, () => resolve(s))
            : tcpConnect({ host, port: opts.port }, () => resolve(s));
      s.once('error', reject);
    });
    return new CstaTestClient(socket, opts);
  }

  /** Connects and sends the AARQ (with `opts.login`); resolves with the client and the AARE. */
  static async open(opts: CstaTestClientOptions): Promise<{ client: CstaTestClient; aare: CstaApdu }> {
    const client = await CstaTestClient.connect(opts);
    return { client, aare: await client.login(opts.login) };
  }

  /** Opens and insists on an accepted association. */
  static async login(opts: CstaTestClientOptions): Promise<CstaTestClient> {
    const { client, aare } = await CstaTestClient.open(opts);
    if (aare.kind !== 'aare' || aare.result !== 0) throw new Error(`association refused: ${JSON.stringify(aare)}`);
    return client;
  }

  /** Sends the AARQ and returns the AARE (accepted or not). */
  async login(login: { user?: string; password?: string } = {}): Promise<AareApdu> {
    const k = JSON.stringify(login);
    let aarq = aarqCache.get(k);
    if (!aarq) aarqCache.set(k, (aarq = frameOf(encodeApdu({ kind: 'aarq', ...buildAarq(login) }))));
    this.socket.write(aarq);
    return (await this.next((a) => a.kind === 'aare', 5000)) as AareApdu;
  }

  sendRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  send(apdu: CstaApdu): void {
    this.socket.write(frameOf(encodeApdu(apdu)));
  }

  /** Invokes an operation and waits for its ReturnResult, ReturnError or Reject. */
  invoke<N extends OperationName>(operation: N, argument: ArgumentOf<N>, timeoutMs = 5000): Promise<CstaApdu> {
    const invokeId = this.nextId++;
    this.socket.write(frameOf(encodeInvoke(operation, invokeId, argument)));
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.answers.delete(invokeId);
        reject(new Error(`nothing matching arrived within ${timeoutMs} ms: no answer to ${operation} (${invokeId})`));
      }, timeoutMs);
      this.answers.set(invokeId, (a) => {
        clearTimeout(t);
        resolve(a);
      });
    });
  }

  /** APDUs received and not yet taken by `next`, `invoke` or `takeEvents` (decoded). */
  get received(): CstaApdu[] {
    return this.queue.map(decode);
  }

  /** Takes the next APDU matching `match`: from what already arrived, or what arrives within the timeout. */
  next(match: (a: CstaApdu) => boolean = () => true, timeoutMs = 5000): Promise<CstaApdu> {
    const i = this.queue.findIndex((q) => matches(match, q));
    if (i >= 0) return Promise.resolve(decode(this.queue.splice(i, 1)[0]));
    if (this.closed) return Promise.reject(new Error('connection closed while waiting'));
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (a: CstaApdu) => (clearTimeout(timer), resolve(a)), reject: (e: Error) => (clearTimeout(timer), reject(e)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`nothing matching arrived within ${timeoutMs} ms; queued: ${this.received.map((a) => a.kind).join(', ')}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Event reports still queued, taken from the queue, each as its cross-reference ID, event name and value. */
  takeEvents(): Array<{ crossRef: string; name: string; event: Record<string, unknown> }> {
    const out = [];
    for (let i = 0; i < this.queue.length; ) {
      const a = decode(this.queue[i]);
      if (a.kind === 'invoke' && a.operation === 'cSTAEventReport') {
        this.queue.splice(i, 1);
        const info = a.argument.eventSpecificInfo as Record<string, Record<string, Record<string, unknown>>>;
        const [category] = Object.keys(info);
        const [name] = Object.keys(info[category]);
        out.push({ crossRef: a.argument.crossRefIdentifier, name, event: info[category][name] });
      } else i++;
    }
    return out;
  }

  /** Resolves with the first raw APDU received so far or later that matches (nothing is taken from the queue). */
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

  async waitEvents(n: number, timeoutMs = 5000): Promise<void> {
    await this.waitFor(() => this.events.length >= n, timeoutMs);
  }

  /** Resolves when the peer closes the connection. */
  waitClosed(timeoutMs = 5000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`still connected after ${timeoutMs} ms`)), timeoutMs);
      void this.closedPromise.then(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onApdu(bytes: Uint8Array): void {
    this.apdus.push(bytes);
    const q: Queued = { bytes };
    const v = bytes[0] >= 0xa1 && bytes[0] <= 0xa4 ? tryParseRose(bytes) : undefined;
    const answered = v && v.kind !== 'invoke' && v.invokeId !== null ? this.answers.get(v.invokeId) : undefined;
    if (v?.kind === 'invoke') {
      if (v.opcode === OPCODE.cSTAEventReport) this.events.push(bytes);
      else if (this.autoAck) this.socket.write(frameOf(buildReturnResult(v.invokeId!, v.opcode!, NO_DATA)));
    }
    if (answered) {
      this.answers.delete(v!.invokeId!);
      answered(decode(q));
    } else {
      // APDUs a test waits for by content are decoded here; the rest only when a test reads the queue
      const i = this.waiters.length ? this.waiters.findIndex((w) => matches(w.match, q)) : -1;
      if (i >= 0) this.waiters.splice(i, 1)[0].resolve(decode(q));
      else this.queue.push(q);
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

/** Waits until `cond` holds (polling), for state that arrives asynchronously. */
export async function until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
