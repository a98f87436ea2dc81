import type { DemoInfo } from '../../../shared/api/demo';
import type { DemoPbx } from './index';
import type { InstanceStore } from '../instances';
import type { DriverRuntimes } from '../runtime';

/**
 * `serve --demo` and the app's demo start (`npm start`): the demo PBX, on the first start its lines read into the
 * "Demo PBX" instance while it has none, and its driver started, so a new user sees a running PBX at once. The
 * driver starts only when every line can get a licence: licence exhaustion stays demonstrable (widen the ranges),
 * but is not the newcomer's first sight.
 */
export async function startDemoWithLines(s: {
  demo: DemoPbx;
  instances: InstanceStore;
  drivers: DriverRuntimes;
  licences: { status(): Promise<{ free: number }> };
}): Promise<DemoInfo & { linesRead: number; driverStarted: boolean }> {
  const info = await s.demo.start();
  let inst = await s.instances.get(info.instanceId);
  let linesRead = 0;
  if (inst.lines.length === 0) {
    const requestId = `demo-first-start-${Date.now()}`;
    await s.drivers.discovery.discover(info.instanceId, requestId);
    linesRead = (await s.drivers.discovery.apply(info.instanceId, requestId)).lineCount;
    inst = await s.instances.get(info.instanceId);
  }
  const running = (await s.drivers.status(info.instanceId)).running;
  const fits = inst.lines.length > 0 && inst.lines.length <= (await s.licences.status()).free;
  if (!running && fits) await s.drivers.start(info.instanceId);
  return { ...info, linesRead, driverStarted: running || fits };
}
