// Test support: the whole product (services + API dispatcher) on a temporary data directory, for driving a family
// through the API the way the console does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApi, type Dispatch } from '../../api';
import { createServices, type Services } from '../../app/services';
import type { LineEvent } from '../../../shared/api/drivers';
import type { DriverRegistry } from '../registry';
import type { DriverRuntimesDeps } from '../../engine/runtime/driver-runtimes';

export interface ApiHarness {
  api: Dispatch;
  services: Services;
  /** Every `line.event` pushed so far. */
  events: LineEvent[];
  dispose(): Promise<void>;
}

/** Services with short reconnect and monitor-retry times; `registry` replaces the shipped families. */
/** `connectionDefaults` may carry a family's own test-time settings (CME: `updateLinesMs`, `sip.renewAt`). */
export function startApi(registry?: DriverRegistry, connectionDefaults?: DriverRuntimesDeps['connectionDefaults'] & Record<string, unknown>): ApiHarness {
  const dir = mkdtempSync(join(tmpdir(), 'lk-api-harness-'));
  const services = createServices({ dataDir: dir, transport: 'websocket', ...(registry ? { registry } : {}), drivers: { timing: { reconnectInitialMs: 50, reconnectMaxMs: 400, monitorRetryMs: 150 }, connectionDefaults } });
  const events: LineEvent[] = [];
  services.bus.on('line.event', (e) => events.push(e));
  return {
    api: createApi(services),
    services,
    events,
    async dispose() {
      await services.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Calls an API method; a failure throws with its code and message. */
export async function call<T = any>(api: Dispatch, method: string, input: unknown): Promise<T> {
  const r = await (api as any)(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result as T;
}

export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
