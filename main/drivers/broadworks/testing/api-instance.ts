// Test support: a BroadWorks instance made through the API the way the console makes one.
import type { Dispatch } from '../../../api';
import { call } from '../../testing/api-harness';

/** Creates the instance with `connection` and its password; with `readLines` its lines are read and taken too. */
export async function bwInstance(api: Dispatch, name: string, connection: Record<string, unknown>, password: string, readLines = false): Promise<string> {
  const { id } = await call(api, 'instances.create', { family: 'broadworks', name });
  await call(api, 'instances.update', { id, patch: { connection } });
  await call(api, 'instances.setSecret', { id, field: 'password', value: password });
  if (readLines) {
    await call(api, 'lines.discover', { instanceId: id, requestId: `read-${id}` });
    await call(api, 'lines.applyDiscovery', { instanceId: id, requestId: `read-${id}` });
  }
  return id;
}
