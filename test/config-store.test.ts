import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../main/app/services';
import { createApi } from '../main/api';
import { runCliCapture } from '../main/cli/testing';

let services: Services | undefined;
afterEach(async () => {
  await services?.dispose();
  services = undefined;
});

describe('one data directory shared by the running console and the CLI', () => {
  it('the console sees instances the CLI creates and deletes, and CLI backups hold no password set in the console', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lk-shared-'));
    services = createServices({ dataDir, transport: 'websocket' });
    const dispatch = createApi(services);
    const names = async () => {
      const r = await dispatch('instances.list', {});
      if (!r.ok) throw new Error(r.error.message);
      return (r.result as { instances: Array<{ name: string; id: string }> }).instances;
    };

    expect((await runCliCapture(['instances', 'create', '--family', 'broadworks', '--name', 'Cloud', '--data-dir', dataDir])).code).toBe(0);
    const [cloud] = await names();
    expect(cloud.name).toBe('Cloud');

    const set = await dispatch('instances.setSecret', { id: cloud.id, field: 'password', value: 'Group-Admin-Pw-5521' });
    expect(set.ok).toBe(true);
    await dispatch('lines.add', { instanceId: cloud.id, line: { number: '200', name: 'Support', userId: 'support@example.com' } });

    const backup = await runCliCapture(['config', 'backup', '--data-dir', dataDir]);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain('support@example.com');
    expect(backup.stdout).not.toContain('Group-Admin-Pw-5521');

    // A rename through the CLI is seen by the console at once (its cache follows the file).
    await runCliCapture(['instances', 'rename', '--name', 'Cloud', '--new-name', 'Cloud PBX', '--data-dir', dataDir]);
    expect((await names()).map((i) => i.name)).toEqual(['Cloud PBX']);
    await runCliCapture(['instances', 'delete', '--name', 'Cloud PBX', '--data-dir', dataDir]);
    expect(await names()).toEqual([]);
  });
});
