import { describe, expect, it } from 'vitest';
import { InvokeMap } from './invoke-map';
import { MonitorTable } from './monitor-table';
import { Ownership } from './ownership';

describe('invoke ID map', () => {
  it('gives every request a free upstream ID and returns the answer to the application that asked', () => {
    const map = new InvokeMap<string>(3);
    const a = map.add({ kind: 'relay', client: 'A', clientInvokeId: 1, opcode: 10 })!;
    const b = map.add({ kind: 'relay', client: 'B', clientInvokeId: 1, opcode: 10 })!;
    expect(a.upstreamId).not.toBe(b.upstreamId);
    expect(map.take(b.upstreamId)).toMatchObject({ client: 'B', clientInvokeId: 1 });
    expect(map.take(b.upstreamId)).toBeUndefined();
    map.add({ kind: 'relay', client: 'A', clientInvokeId: 2, opcode: 10 });
    map.add({ kind: 'internal', opcode: 73 });
    expect(map.add({ kind: 'relay', client: 'A', clientInvokeId: 3, opcode: 10 })).toBeUndefined();
    expect(map.dropClient('A').map((p) => p.clientInvokeId)).toEqual([1, 2]);
    expect(map.size).toBe(1);
  });

  it('expires requests the PBX never answered', () => {
    const map = new InvokeMap<string>();
    map.add({ kind: 'relay', client: 'A', clientInvokeId: 1, opcode: 10 }, 1000);
    map.add({ kind: 'relay', client: 'A', clientInvokeId: 2, opcode: 10 }, 5000);
    expect(map.expire(2000, 5500).map((p) => p.clientInvokeId)).toEqual([1]);
  });
});

describe('shared monitor table', () => {
  it('shares one PBX monitor, gives each application its own same-size ID, and says when the last one left', () => {
    const t = new MonitorTable<string>();
    const m = t.create('k100', '100', Uint8Array.of(0x30, 0x00));
    t.activate(m, 'aabbccdd', Uint8Array.of(0x30, 0x06, 0x55, 0x04, 0xaa, 0xbb, 0xcc, 0xdd));
    const a = t.subscribe(m, 'A', 4);
    const b = t.subscribe(m, 'B', 4);
    expect(a.clientRef).toHaveLength(8);
    expect(a.clientRef).not.toBe(b.clientRef);
    expect(t.byUpstreamRef('aabbccdd')).toBe(m);
    expect(t.subscription(b.clientRef)?.client).toBe('B');
    expect(t.unsubscribe(a)).toBe(false);
    expect(t.unsubscribe(b)).toBe(true);
    t.remove(m);
    expect(t.get('k100')).toBeUndefined();
  });

  it('forgets the PBX ID after a link loss and learns the new one on restore', () => {
    const t = new MonitorTable<string>();
    const m = t.create('k', '100', new Uint8Array());
    t.activate(m, '00000001', new Uint8Array());
    t.subscribe(m, 'A', 4);
    t.deactivate(m);
    expect(t.byUpstreamRef('00000001')).toBeUndefined();
    t.activate(m, '00000007', new Uint8Array());
    expect(t.byUpstreamRef('00000007')?.subscribers).toHaveLength(1);
  });
});

describe('service ownership', () => {
  it('gives CDR to one application, refuses the next, and frees it when the holder leaves', () => {
    const o = new Ownership<string>();
    expect(o.acquire('cdr', 'A')).toBe(true);
    expect(o.acquire('cdr', 'A')).toBe(true);
    expect(o.acquire('cdr', 'B')).toBe(false);
    expect(o.acquire('dataCollection', 'B')).toBe(true);
    o.setRef('cdr', '01');
    expect(o.ownerOfRef('cdr', '01')).toBe('A');
    expect(o.releaseAll('A').map(([s]) => s)).toEqual(['cdr']);
    expect(o.acquire('cdr', 'B')).toBe(true);
    expect(o.servicesOf('B')).toEqual(['dataCollection', 'cdr']);
  });
});
