import type { DemoInfo } from '../../../shared/api/demo';
import type { DemoPbx } from './index';
import type { InstanceStore } from '../instances';
import type { DriverRuntimes } from '../runtime';

/**
 * `serve --demo` and the app's demo start: the demo PBX, and on the first start its lines read into the
 * "Demo PBX" instance while it has none, so a new user sees a filled line list at once.
 */
export async function startDemoWithLines(s: { demo: DemoPbx; instances: InstanceStore; drivers: DriverRuntimes }): Promise<DemoInfo & { linesRead: number }> {
  const info = await s.demo.start();
  const inst = await s.instances.get(info.instanceId);
  if (inst.lines.length > 0) return { ...info, linesRead: 0 };
  const requestId = `demo-first-start-${Date.now()}`;
  await s.drivers.discovery.discover(info.instanceId, requestId);
  const applied = await s.drivers.discovery.apply(info.instanceId, requestId);
  return { ...info, linesRead: applied.lineCount };
}
