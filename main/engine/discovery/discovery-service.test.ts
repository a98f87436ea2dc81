import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../../shared/api/errors';
import type { DiscoveredDevice } from '../../../shared/api/drivers';
import type { Instance } from '../../../shared/model/instance';
import type { Line } from '../../../shared/model/line';
import type { Driver } from '../../drivers';
import { DiscoveryService } from './discovery-service';

const dev = (number: string, name: string): DiscoveredDevice => ({ number, name, kind: 'proprietary' });

/** One instance held in memory, with a driver whose discover() reports `devices`. */
function setup(lines: Line[], devices: DiscoveredDevice[], ranges = '') {
  let instance = { id: 'i', name: 'Office', lines, location: { ranges }, sipFilter: { mode: 'rules', rules: [] }, advanced: { readLineNames: true } } as unknown as Instance;
  const driver = { discover: async () => ({ method: 'switchingFunctionDevices', devices, outOfRange: 0, warnings: [] }) } as unknown as Driver;
  const service = new DiscoveryService({
    loadInstance: async () => instance,
    borrowDriver: async () => ({ driver, done: async () => undefined }),
    updateLines: async (_id, fn) => (instance = { ...instance, lines: fn(instance.lines.map((l) => ({ ...l })), instance) }),
    onProgress: () => undefined,
    backupFileOf: (id) => `/data/instance-${id}.json.bak`,
  });
  return { service, lines: () => instance.lines, edit: (l: Line[]) => (instance = { ...instance, lines: l }) };
}

async function failure(p: Promise<unknown>): Promise<ApiFailure> {
  try {
    await p;
  } catch (e) {
    return e as ApiFailure;
  }
  throw new Error('expected a failure');
}

describe('applying a line query', () => {
  const stored: Line[] = [{ number: '100', name: 'Reception' }, { number: '900', name: 'Old fax' }];

  it('replaces the list, names the backup copy, and undo puts the previous list back', async () => {
    const s = setup(stored, [dev('100', 'Anna'), dev('101', 'Ben')]);
    const preview = await s.service.discover('i', 'r1');
    expect(preview).toMatchObject({ unlisted: 1, removed: [{ number: '900' }], renamed: [{ number: '100', from: 'Reception', to: 'Anna' }] });
    const applied = await s.service.apply('i', 'r1');
    expect(applied).toEqual({ lineCount: 2, added: 1, removed: 1, renamed: 1, backupFile: '/data/instance-i.json.bak' });
    expect(s.lines()).toEqual([{ number: '100', name: 'Anna' }, { number: '101', name: 'Ben' }]);
    expect(await s.service.undo('i')).toEqual({ lineCount: 2 });
    expect(s.lines()).toEqual(stored);
    expect((await failure(s.service.undo('i'))).code).toBe('NOTHING_TO_UNDO');
  });

  it('keeps the lines the PBX does not list and the names the lines have when asked', async () => {
    const s = setup([...stored, { number: '102', name: '' }], [dev('100', 'Anna'), dev('101', 'Ben'), dev('102', 'Carl')]);
    await s.service.discover('i', 'r2');
    expect(await s.service.apply('i', 'r2', { keepUnlisted: true, keepNames: true })).toMatchObject({ removed: 0, renamed: 1, added: 1 });
    // 100 keeps its typed name, 102 had none and takes the PBX's, 900 stays though the PBX does not list it.
    expect(s.lines()).toEqual([{ number: '100', name: 'Reception' }, { number: '101', name: 'Ben' }, { number: '102', name: 'Carl' }, { number: '900', name: 'Old fax' }]);
  });

  it('does not undo over lines changed after the apply, and names the backup copy instead', async () => {
    const s = setup(stored, [dev('100', 'Anna')]);
    await s.service.discover('i', 'r3');
    await s.service.apply('i', 'r3');
    s.edit([{ number: '100', name: 'Anna B.' }]);
    const e = await failure(s.service.undo('i'));
    expect(e).toMatchObject({ code: 'LINES_CHANGED_SINCE_APPLY', details: { backupFile: '/data/instance-i.json.bak' } });
    expect(s.lines()).toEqual([{ number: '100', name: 'Anna B.' }]);
  });

  it('counts and lists the devices outside the extension ranges, and does not take them', async () => {
    const s = setup([], [dev('100', 'Anna'), dev('200', 'Lobby'), dev('101', 'Ben'), dev('999', 'Fax')], '100-199');
    const preview = await s.service.discover('i', 'r4');
    expect(preview).toMatchObject({ discovered: 2, outOfRange: 2, outside: [dev('200', 'Lobby'), dev('999', 'Fax')] });
    await s.service.apply('i', 'r4');
    expect(s.lines().map((l) => l.number)).toEqual(['100', '101']);
  });
});
