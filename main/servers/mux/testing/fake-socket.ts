// A socket stand-in for feeding the multiplexer in-process (fuzz tests): bytes go in through `feed`, what the
// multiplexer writes is dropped, and closing emits 'close' on the next tick as a real socket does.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';

export class FakeSocket extends EventEmitter {
  destroyed = false;
  readonly writableLength = 0;
  readonly remotePort = 40000;
  bytesWritten = 0;

  constructor(readonly remoteAddress: string) {
    super();
  }

  asSocket(): Socket {
    return this as unknown as Socket;
  }

  /** Delivers bytes as if they had arrived from the network (nothing happens once closed). */
  feed(bytes: Uint8Array): void {
    if (!this.destroyed) this.emit('data', Buffer.from(bytes));
  }

  setNoDelay(): this {
    return this;
  }

  write(chunk: Uint8Array): boolean {
    this.bytesWritten += chunk.length;
    return true;
  }

  end(chunk?: Uint8Array): void {
    if (chunk) this.write(chunk);
    this.destroy();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    process.nextTick(() => this.emit('close'));
  }
}

export const fakeSocket = (remoteAddress = '127.0.0.1') => new FakeSocket(remoteAddress);
