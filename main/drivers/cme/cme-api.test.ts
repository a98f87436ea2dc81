// The CME family through the API against the simulator: create an instance, test the connection, discover and
// apply — a number that is the first button of two phones is two lines.
import { afterEach, describe, expect, it } from 'vitest';
import { SHARED_NUMBER, startCmeSim, type CmeSim } from '../../sim/cme';
import { call, startApi, type ApiHarness } from '../testing/api-harness';

let harness: ApiHarness | undefined;
let sim: CmeSim | undefined;
afterEach(async () => {
  await harness?.dispose();
  await sim?.close();
  harness = undefined;
  sim = undefined;
});

describe('CME through the API', () => {
  it('test connection (login refused, then accepted), discover with line buttons, apply: the shared number is a line per phone', async () => {
    sim = await startCmeSim({ phones: 5, user: 'axl', password: 'axl-secret' });
    harness = startApi();
    const { api } = harness;
    const { id } = await call(api, 'instances.create', { family: 'cme', name: 'Branch CME' });
    await call(api, 'instances.update', { id, patch: { connection: { host: '127.0.0.1', axlPort: sim.port, axlUser: 'axl' }, advanced: { readLineButtons: true } } });

    const refused = await call(api, 'instances.testConnection', { instanceId: id });
    expect(refused).toMatchObject({ ok: false, port: sim.port, error: { code: 'LOGIN_REJECTED' } });
    await call(api, 'instances.setSecret', { id, field: 'axlPassword', value: 'axl-secret' });
    const tested = await call(api, 'instances.testConnection', { instanceId: id });
    expect(tested).toMatchObject({ ok: true, transport: 'tcp', reply: 'CME 12.5 "sim-cme": 5 phones, 7 extensions, 4 registered' });

    const preview = await call(api, 'lines.discover', { instanceId: id, requestId: 'r1' });
    expect(preview.method).toBe('phoneInventory');
    expect(preview.added.map((l: { number: string; deviceId?: string; buttons?: string[] }) => `${l.number}@${l.deviceId ?? '-'}${l.buttons ? `+${l.buttons.join(';')}` : ''}`)).toEqual([
      `2001@SEP001122000001+${SHARED_NUMBER}`,
      `2002@SEP001122000002+${SHARED_NUMBER}`,
      '2003@SEP001122000003',
      `${SHARED_NUMBER}@SEP001122000004`,
      `${SHARED_NUMBER}@SEP001122000005`,
      '3001@-+3002',
      '3003@-',
    ]);
    expect(preview.warnings.map((w: { code: string }) => w.code)).toEqual(['warnings.sipPhoneSkipped', 'warnings.sipPhoneSkipped']);
    const applied = await call(api, 'lines.applyDiscovery', { instanceId: id, requestId: 'r1' });
    expect(applied).toMatchObject({ lineCount: 7, added: 7 });
    const stored = await call(api, 'lines.list', { instanceId: id });
    const lines = (stored.lines ?? stored) as Array<{ number: string; deviceId?: string }>;
    expect(lines.filter((l) => l.number === SHARED_NUMBER).map((l) => l.deviceId)).toEqual(['SEP001122000004', 'SEP001122000005']);

    // Discovering again changes nothing.
    const again = await call(api, 'lines.discover', { instanceId: id, requestId: 'r2' });
    expect(again).toMatchObject({ added: [], removed: [], unchanged: 7 });
  });
});
