import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../../shared/api/errors';
import { LicencePool } from './licence-pool';

const names: Record<string, string> = { a: 'Office PBX', b: 'CME Berlin' };
const pool = (total: number, why?: string) => new LicencePool({ capacity: () => ({ total, why }), instanceName: (id) => names[id] });

describe('the licence pool', () => {
  it('opening a line takes a licence and closing it gives it back', async () => {
    const p = pool(2);
    const l = await p.lease('a', '100');
    expect(p.inUse).toBe(1);
    expect(p.release(l)).toBe(true);
    expect(p.release(l)).toBe(false);
    expect(p.inUse).toBe(0);
  });

  it('a line monitored several times counts once until its last monitor is closed', async () => {
    const p = pool(1);
    const first = await p.lease('a', '100');
    const second = await p.lease('a', '100');
    expect(p.inUse).toBe(1);
    p.release(first);
    expect(p.inUse).toBe(1);
    p.release(second);
    expect(p.inUse).toBe(0);
  });

  it('is shared by all instances, and when empty the error says how many are in use and where', async () => {
    const p = pool(3);
    await p.lease('a', '100');
    await p.lease('a', '101');
    await p.lease('b', '200', 'phone');
    const err = await p.lease('b', '201').catch((e) => e);
    expect(err).toBeInstanceOf(ApiFailure);
    expect(err.code).toBe('LICENCE_POOL_EMPTY');
    expect(err.message).toBe('cannot open line 201 on "CME Berlin": all 3 licences are in use (CME Berlin: 1, Office PBX: 2); close a line or add a licence key');
    expect(err.details).toMatchObject({ total: 3, inUse: 3 });
  });

  it('counts connected telephones and monitored lines separately per instance in the overview', async () => {
    const p = pool(10);
    await p.lease('b', 'SEP001122334455', 'phone');
    await p.lease('b', '200');
    await p.lease('b', '200');
    await p.lease('a', '100');
    expect(await p.overview()).toEqual({
      total: 10,
      inUse: 3,
      free: 7,
      instances: [
        { instanceId: 'b', name: 'CME Berlin', lines: 1, phones: 1 },
        { instanceId: 'a', name: 'Office PBX', lines: 1, phones: 0 },
      ],
    });
  });

  it('concurrent opens cannot take more licences than there are', async () => {
    const p = new LicencePool({ capacity: async () => ({ total: 5 }) });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => p.lease('a', String(100 + i))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(p.inUse).toBe(5);
  });

  it('explains an empty pool when there are no licences at all', async () => {
    await expect(pool(0, 'the trial ended on 2026-02-15 and no licence key is entered').lease('a', '100')).rejects.toThrow('cannot open line 100 on "Office PBX": the trial ended on 2026-02-15');
  });

  it('releases all of an instance when it stops', async () => {
    const p = pool(5);
    const first = await p.lease('a', '100');
    await p.lease('a', '101');
    const kept = await p.lease('b', '200');
    expect(p.releaseInstance('a')).toBe(2);
    expect(p.inUse).toBe(1);
    // A lease from before the stop is void: giving it back later leaves the line's new lease alone.
    const again = await p.lease('a', '100');
    expect(p.release(first)).toBe(false);
    expect(p.inUse).toBe(2);
    expect(p.release(again)).toBe(true);
    expect(p.release(kept)).toBe(true);
    expect(p.inUse).toBe(0);
  });
});
