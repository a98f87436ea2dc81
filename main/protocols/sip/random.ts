// Random hex for branches, tags and Call-IDs. Every SIP request and answer needs some; one call into the system's
// generator per 4 KiB instead of one per message (a burst of CSTA events is thousands of messages).
import { randomBytes } from 'node:crypto';

let pool = Buffer.alloc(0);
let used = 0;

/** `bytes` random bytes as hex (2 × bytes characters). */
export function randomHex(bytes: number): string {
  if (used + bytes > pool.length) {
    pool = randomBytes(Math.max(4096, bytes));
    used = 0;
  }
  used += bytes;
  return pool.toString('hex', used - bytes, used);
}
