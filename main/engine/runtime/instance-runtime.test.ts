import { afterEach, describe, expect, it, vi } from 'vitest';
import { InstanceRuntime, type RuntimeDeps } from './instance-runtime';
import { DriverFailure, type Driver } from '../../drivers';
import { instanceSchema } from '../../../shared/model/instance';
import type { ConnectionStatus } from '../../../shared/api/drivers';
import type { DriverLineEvent } from '../../drivers';

/** A driver whose connect fails `failures` times with "refused", then succeeds; lines open at once. */
function flakyDriver(failures: { left: number }): Driver {
  return {
    family: 'panasonic',
    connected: false,
    connect: async () => {
      if (failures.left-- > 0) throw new DriverFailure('CONNECT_REFUSED', '127.0.0.1:1 refused the connection');
      return 'association accepted';
    },
    close: async () => undefined,
    onLost: () => undefined,
    onEvent: () => undefined,
    discover: async () => ({ method: 'switchingFunctionDevices', devices: [], outOfRange: 0, warnings: [] }),
    monitorStart: async () => undefined,
    monitorStop: async () => undefined,
    snapshot: async () => [],
    makeCall: async () => ({ callId: '1' }),
    clearCall: async () => undefined,
    setForwarding: async () => undefined,
    setDoNotDisturb: async () => undefined,
    stats: () => ({ requests: 0, events: 0 }),
  };
}

describe('instance runtime', () => {
  it('backs off between reconnect attempts, doubling the wait up to the maximum, then connects and opens the lines', async () => {
    const failures = { left: 5 };
    const waits: number[] = [];
    const statuses: ConnectionStatus[] = [];
    const instance = instanceSchema.parse({ family: 'panasonic', id: 'x', name: 'X', connection: { host: '127.0.0.1', port: 1 }, lines: [{ number: '100' }] });
    const deps: RuntimeDeps = {
      loadInstance: async () => instance,
      settingsOf: async () => ({ host: '127.0.0.1', port: 1, tls: false }),
      createDriver: () => flakyDriver(failures),
      lease: async (instanceId, line) => ({ id: 'L1', instanceId, line, kind: 'line' }),
      release: () => undefined,
      onStatus: (s) => {
        statuses.push(s);
        if (s.nextAttemptAt) waits.push(Date.parse(s.nextAttemptAt) - Date.now());
      },
      onLineEvent: () => undefined,
      logger: { error() {}, warn() {}, info() {}, debug() {} },
      // no jitter: the doubling itself is what this test reads
      timing: { reconnectInitialMs: 10, reconnectMaxMs: 40, reconnectJitter: 0 },
    };
    const rt = new InstanceRuntime('x', deps);
    const first = await rt.start();
    expect(first.connection).toMatchObject({ state: 'retrying', attempts: 1, lastError: { code: 'CONNECT_REFUSED' } });
    const end = Date.now() + 3000;
    while (rt.connectionStatus().state !== 'connected' && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    expect(rt.driverStatus()).toMatchObject({ connection: { state: 'connected', attempts: 0 }, lines: { total: 1, open: 1 } });
    const rounded = waits.map((w) => Math.round(w / 10) * 10);
    expect(rounded).toEqual([10, 20, 40, 40, 40]);
    expect(statuses.filter((s) => s.state === 'retrying' && s.step.startsWith('connecting')).map((s) => s.attempts)).toEqual([2, 3, 4, 5, 6]);
    await rt.stop();
    expect(rt.connectionStatus().state).toBe('stopped');
  });

  it('closes a driver whose link was lost before it connects a new one', async () => {
    const made: Array<{ closed: number; lose?: (e: DriverFailure) => void }> = [];
    const rt = new InstanceRuntime('x', {
      loadInstance: async () => instanceSchema.parse({ family: 'panasonic', id: 'x', name: 'X', connection: { host: '127.0.0.1', port: 1 }, lines: [{ number: '100' }] }),
      settingsOf: async () => ({ host: '127.0.0.1', port: 1, tls: false }),
      createDriver: () => {
        const rec: (typeof made)[number] = { closed: 0 };
        made.push(rec);
        return { ...flakyDriver({ left: 0 }), close: async () => void rec.closed++, onLost: (cb) => void (rec.lose = cb) };
      },
      lease: async (instanceId, line) => ({ id: 'L1', instanceId, line, kind: 'line' }),
      release: () => undefined,
      onStatus: () => undefined,
      onLineEvent: () => undefined,
      logger: { error() {}, warn() {}, info() {}, debug() {} },
      timing: { reconnectInitialMs: 10, reconnectMaxMs: 40, reconnectJitter: 0 },
    });
    await rt.start();
    expect(made).toHaveLength(1);
    made[0].lose!(new DriverFailure('LINK_LOST', 'the PBX closed the connection'));
    const end = Date.now() + 3000;
    while ((made.length < 2 || rt.connectionStatus().state !== 'connected') && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    expect(made).toHaveLength(2);
    expect(made[0].closed).toBe(1);
    expect(made[1].closed).toBe(0);
    await rt.stop();
  });

  it('gives every licence back in one call when it stops, and those of lines removed from the list', async () => {
    let lines = [{ number: '100' }, { number: '101' }, { number: '102' }];
    const released: string[][] = [];
    const rt = new InstanceRuntime('x', {
      loadInstance: async () => instanceSchema.parse({ family: 'panasonic', id: 'x', name: 'X', connection: { host: '127.0.0.1', port: 1 }, lines }),
      settingsOf: async () => ({ host: '127.0.0.1', port: 1, tls: false }),
      createDriver: () => flakyDriver({ left: 0 }),
      lease: async (instanceId, line) => ({ id: `L${line}`, instanceId, line, kind: 'line' }),
      leaseMany: async (instanceId, ls) => ls.map((line) => ({ id: `L${line}`, instanceId, line, kind: 'line' as const })),
      release: () => {
        throw new Error('one lease at a time');
      },
      releaseMany: (leases) => void released.push(leases.map((l) => l.line)),
      onStatus: () => undefined,
      onLineEvent: () => undefined,
      logger: { error() {}, warn() {}, info() {}, debug() {} },
    });
    expect((await rt.start()).lines).toMatchObject({ total: 3, open: 3 });
    lines = [{ number: '100' }];
    await rt.reload();
    expect(released).toEqual([['101', '102']]);
    await rt.stop();
    expect(released).toEqual([['101', '102'], ['100']]);
  });

  describe('intervals', () => {
    afterEach(() => vi.useRealTimers());

    it('a changed snapshot or monitor-retry interval takes effect at once, without a reconnect', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'Date'] });
      let advanced = { snapshotInterval: 3600, monitorRetryInterval: 3600 };
      const load = () => instanceSchema.parse({ family: 'panasonic', id: 'x', name: 'X', connection: { host: '127.0.0.1', port: 1 }, advanced, lines: [{ number: '100' }, { number: '101' }] });
      let emit: (e: DriverLineEvent) => void = () => undefined;
      let connects = 0;
      let snapshots = 0;
      let refusals = 1;
      const driver: Driver = {
        ...flakyDriver({ left: 0 }),
        connect: async () => `association ${++connects}`,
        onEvent: (fn) => void (emit = fn),
        // 101 is unplugged at first: its MonitorStart is refused once.
        monitorStart: async (ref) => {
          if (ref.number === '101' && refusals-- > 0) throw new DriverFailure('MONITOR_REFUSED', 'device 101 is out of service');
        },
        snapshot: async () => {
          snapshots++;
          return [{ callId: 'c1', state: 'connected' }];
        },
      };
      const rt = new InstanceRuntime('x', {
        loadInstance: async () => load(),
        settingsOf: async () => ({ host: '127.0.0.1', port: 1, tls: false }),
        createDriver: () => driver,
        lease: async (instanceId, line) => ({ id: `L${line}`, instanceId, line, kind: 'line' }),
        release: () => undefined,
        onStatus: () => undefined,
        onLineEvent: () => undefined,
        logger: { error() {}, warn() {}, info() {}, debug() {} },
      });
      await rt.start();
      expect(rt.driverStatus().lines).toMatchObject({ open: 1, retrying: 1 });
      emit({ line: '100', event: 'established', callId: 'c1', callState: 'connected', calling: '100', called: '200', cause: null });
      await vi.advanceTimersByTimeAsync(30_000);
      expect(snapshots).toBe(0);

      advanced = { snapshotInterval: 10, monitorRetryInterval: 60 };
      await rt.settingsChanged();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(snapshots).toBe(1);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(snapshots).toBe(2);
      // The retry is due 60 s after the refusal, which was 50 s ago.
      expect(rt.lineStatus('101').state).toBe('retrying');
      await vi.advanceTimersByTimeAsync(10_000);
      expect(rt.lineStatus('101').state).toBe('open');
      expect(connects).toBe(1);
      await rt.stop();
    });

    it("gives the driver a save its reconnect key does not name, on the link it has (or once a link being made is up)", async () => {
      let poll = 300;
      const instance = instanceSchema.parse({ family: 'panasonic', id: 'x', name: 'X', connection: { host: '127.0.0.1', port: 1 }, lines: [] });
      let connects = 0;
      let loggedIn: () => void = () => undefined;
      const taken: number[] = [];
      const rt = new InstanceRuntime('x', {
        loadInstance: async () => instance,
        settingsOf: async () => ({ host: '127.0.0.1', port: 1, tls: false, poll }) as never,
        createDriver: () => ({
          ...flakyDriver({ left: 0 }),
          // The first login waits until the test lets it go, so a save can arrive while it is under way.
          connect: () => (++connects === 1 ? new Promise<string>((r) => (loggedIn = () => r('association 1'))) : Promise.resolve(`association ${connects}`)),
          updateSettings: (s) => void taken.push((s as unknown as { poll: number }).poll),
        }),
        reconnectKeyOf: (_i, s) => JSON.stringify([s.host, s.port]),
        lease: async (instanceId, line) => ({ id: `L${line}`, instanceId, line, kind: 'line' }),
        release: () => undefined,
        onStatus: () => undefined,
        onLineEvent: () => undefined,
        logger: { error() {}, warn() {}, info() {}, debug() {} },
      });
      const started = rt.start();
      await vi.waitFor(() => expect(connects).toBe(1));
      poll = 30;
      await rt.settingsChanged();
      expect(taken).toEqual([]);
      loggedIn();
      await started;
      expect(taken).toEqual([30]);
      poll = 60;
      await rt.settingsChanged();
      expect(taken).toEqual([30, 60]);
      expect(connects).toBe(1);
      await rt.stop();
    });
  });
});
