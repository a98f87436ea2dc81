// "Update available lines" against the simulator over HTTP and SIP/TCP: the driver polls the registered phones over
// the XML API and reports extension mobility logins and unregistered phones as the lines' service state. The
// simulator's CTI side is told to stay silent about service states, so what the driver reports comes from polling.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startCmeSim, type CmeSim } from '../../sim/cme';
import type { DriverLineEvent } from '../driver';
import { call, startApi, until } from '../testing/api-harness';
import { startBensInstance } from './testing/api-sim';
import type { LogEntry } from '../../../shared/api/app';
import { cmeFamily } from './family';
import { CmeDriver } from './cme-driver';

let sim: CmeSim;
let driver: CmeDriver;
afterEach(async () => {
  await driver?.close();
  await sim?.close();
});

async function control(path: string, body: unknown): Promise<void> {
  const r = await fetch(`${sim.controlUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
}

const lines = {
  phone1: { key: '2001|001122000001', number: '2001', deviceId: 'SEP001122000001' },
  phone3: { key: '2003|001122000003', number: '2003', deviceId: 'SEP001122000003' },
  anna: { key: '3001|', number: '3001' },
  ben: { key: '3003|', number: '3003' },
};

async function start(updateLinesMs: number): Promise<DriverLineEvent[]> {
  sim = await startCmeSim({ phones: 5, sip: { port: 0 } });
  await control('/faults', { serviceEvents: false });
  driver = new CmeDriver({ host: '127.0.0.1', port: sim.port, tls: false, user: 'cisco', password: 'cisco', readLineButtons: false, updateLinesMs, sip: { localHost: '127.0.0.1', localPort: 0, cmeSipPort: sim.sip!.port, sessionServerId: 'ss_ecsta' } });
  const events: DriverLineEvent[] = [];
  driver.onEvent((e) => events.push(e));
  await driver.connect();
  for (const l of Object.values(lines)) await driver.monitorStart(l);
  return events;
}

/** The service states reported so far, per line key, in order ("in" / "out"). */
function states(events: DriverLineEvent[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of events) if (e.event === 'outOfService' || e.event === 'backInService') (out[e.line] ??= []).push(e.featureOn ? 'in' : 'out');
  return out;
}

describe('CME: update available lines', () => {
  it('reports mobility logins and logouts and phones that unregister or register, without a restart', async () => {
    const events = await start(60);
    await until(() => Object.keys(states(events)).length === 4, 'a state for each line');
    expect(states(events)).toEqual({ [lines.phone1.key]: ['in'], [lines.phone3.key]: ['out'], [lines.anna.key]: ['out'], [lines.ben.key]: ['out'] });

    await control('/mobility', { user: 'anna', ephone: 2 });
    await until(() => states(events)[lines.anna.key].length === 2, 'anna logged in');
    await control('/ephones/1', { registered: false });
    await until(() => states(events)[lines.phone1.key].length === 2, 'phone 1 unregistered');
    await control('/ephones/3', { registered: true });
    await until(() => states(events)[lines.phone3.key].length === 2, 'phone 3 registered');
    // Anna moves to phone 1, which is unregistered: her line goes out of service; then she logs out there.
    await control('/mobility', { user: 'anna', ephone: 1 });
    await until(() => states(events)[lines.anna.key].length === 3, 'anna on an unregistered phone');
    await control('/mobility', { user: 'ben', ephone: 4 });
    await until(() => states(events)[lines.ben.key].length === 2, 'ben logged in');

    // Further polls repeat nothing.
    const polls = driver.polls;
    await until(() => driver.polls >= polls + 3, 'three more polls');
    expect(states(events)).toEqual({ [lines.phone1.key]: ['in', 'out'], [lines.phone3.key]: ['out', 'in'], [lines.anna.key]: ['out', 'in', 'out'], [lines.ben.key]: ['out', 'in'] });
    expect(driver.lastPollError).toBeUndefined();
  });

  it('keeps polling through an XML API that stops answering, and says why the last poll failed', async () => {
    await start(60);
    await until(() => driver.polls >= 1, 'the first poll');
    (sim.xml.options as { password: string }).password = 'changed';
    await until(() => driver.lastPollError !== undefined, 'a failed poll');
    expect(driver.lastPollError).toMatchObject({ code: 'LOGIN_REJECTED' });
    (sim.xml.options as { password: string }).password = 'cisco';
    const polls = driver.polls;
    await until(() => driver.polls > polls && driver.lastPollError === undefined, 'polling again');
  });

  it('through the API: a running instance shows a mobility login as its line coming into service, without a restart', async () => {
    sim = await startCmeSim({ phones: 3, sip: { port: 0 } });
    await control('/faults', { serviceEvents: false });
    const harness = startApi({ cme: cmeFamily }, { updateLinesMs: 80 } as never);
    try {
      const { api } = harness;
      const id = await startBensInstance(api, sim);
      const inService = async () => (await call(api, 'line.status', { instanceId: id, line: '3003|' })).inService;
      await until(async () => (await inService()) === false, 'ben out of service (logged in nowhere)');
      await control('/mobility', { user: 'ben', ephone: 1 });
      await until(async () => (await inService()) === true, 'ben in service after logging in');
      await control('/mobility', { user: 'ben', ephone: null });
      await until(async () => (await inService()) === false, 'ben out of service after logging out');
      expect((await call(api, 'driver.status', { instanceId: id })).running).toBe(true);
    } finally {
      await harness.dispose();
    }
  });

  it('through the API: a changed update-lines interval counts from the save, on the link the instance has', async () => {
    // Only intervals are faked (the poll's, the runtime's, keep-alives): sockets, answer timeouts and `until` run in real time.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const harness = startApi({ cme: cmeFamily });
    try {
      sim = await startCmeSim({ phones: 3, sip: { port: 0 } });
      const { api, services } = harness;
      const logged: LogEntry[] = [];
      services.bus.on('log.entry', (e) => logged.push(e));
      const id = await startBensInstance(api, sim, { updateLinesInterval: 86_400 });
      await until(async () => (await call(api, 'line.status', { instanceId: id, line: '3003|' })).state === 'open', 'the line open');
      const polls = () => sim.xml.operations.get('ISgetDevice') ?? 0;
      const link = () => ({ logins: sim.xml.operations.get('ISgetGlobal'), sessions: sim.sip!.sessions });
      const before = link();
      expect(before.logins).toBe(1);
      await vi.advanceTimersByTimeAsync(600_000);
      expect(polls()).toBe(0);

      await call(api, 'instances.update', { id, patch: { advanced: { updateLinesInterval: 30 } } });
      // The save's own notice runs unawaited; this one is awaited, so the runtime has the new interval after it.
      await services.drivers.instanceChanged(id, 'updated');
      // Said once in the log, though the runtime heard of the save twice.
      expect(logged.filter((e) => e.code === 'logApp.updateLinesInterval').map((e) => e.params)).toEqual([{ instance: 'CME', seconds: 30 }]);
      await vi.advanceTimersByTimeAsync(29_000);
      expect(polls()).toBe(0);
      await vi.advanceTimersByTimeAsync(1_000);
      await until(() => polls() === 1, 'an update-lines run 30 s after the save');
      await vi.advanceTimersByTimeAsync(30_000);
      await until(() => polls() === 2, 'the next one 30 s later');
      expect(link()).toEqual(before);
      expect((await call(api, 'driver.status', { instanceId: id })).connection.state).toBe('connected');
    } finally {
      await harness.dispose();
      vi.useRealTimers();
    }
  });
});
