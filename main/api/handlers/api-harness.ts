import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createServices, type Services, type ServicesOptions } from '../../app/services';
import { createApi } from '../index';

/**
 * For handler tests: services on a fresh data directory and the API over them. `call` returns the result or
 * throws the error envelope; `fail` returns the envelope and throws if the call succeeded.
 */
export function apiHarness(prefix: string, options: Partial<ServicesOptions> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const services: Services = createServices({ dataDir, transport: 'websocket', ...options });
  const dispatch = createApi(services);
  const call = async (method: string, input: unknown = {}): Promise<any> => {
    const reply = await dispatch(method, input);
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
    return reply.result;
  };
  const fail = async (method: string, input: unknown) => {
    const reply = await dispatch(method, input);
    if (reply.ok) throw new Error(`${method} unexpectedly succeeded`);
    return reply.error;
  };
  return { dataDir, services, call, fail };
}

/**
 * The harness per test with disposal after each: `setup()` gives a fresh harness; `track(services)` adds
 * services a test creates itself (a restart); `services()` is the latest.
 */
export function useApiHarness(prefix: string) {
  let live: Services[] = [];
  afterEach(async () => {
    for (const s of live) await s.dispose();
    live = [];
  });
  const track = (s: Services) => {
    live.push(s);
    return s;
  };
  return {
    setup() {
      const h = apiHarness(prefix);
      track(h.services);
      return h;
    },
    track,
    services: () => live[live.length - 1],
  };
}

/** Waits until `check` holds (polled every 25 ms, about 7 s at most), else fails naming `what`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
