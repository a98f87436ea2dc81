import { createServer } from 'node:net';

/** A TCP port on loopback that is free right now (for a listener whose settings need a port of 1-65535). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}
