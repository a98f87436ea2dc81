// The reference's UNSURE points as settings of the driver and the simulator, each pairing through the API over
// SIP/TCP: capability exchange (GetCSTAFeatures, a service the CME does not name refused as not supported), one CTI
// dialog for all lines or one per line, refresh by re-INVITE against a session timer, and `cti csta mode basic`.
import { describe, expect, it } from 'vitest';
import { startCmeSim, type CmeSipVariant } from '../../sim/cme';
import { call, startApi, until } from '../testing/api-harness';
import { apiAndSimPerTest } from './testing/api-sim';
import { freePort } from '../shared/free-port';

const L1 = '2001|001122000001';
const L2 = '2002|001122000002';
const L3 = '2003|001122000003';

const t = apiAndSimPerTest();

interface Setup {
  variant?: Partial<CmeSipVariant>;
  basic?: boolean;
  withhold?: string[];
  advanced?: { ctiDialogs?: 'shared' | 'perLine'; sessionRefresh?: boolean };
  updateLinesMs?: number;
}

/** An instance with the lines of phones 1-3 (phone 3 unregistered) against a simulator set up as asked. */
async function instance(o: Setup): Promise<string> {
  t.sim = await startCmeSim({ phones: 6, sip: { port: 0, variant: o.variant, cstaModeBasic: o.basic } });
  if (o.withhold) t.sim.sip!.faults.withhold = o.withhold;
  t.harness = startApi(undefined, o.updateLinesMs ? { updateLinesMs: o.updateLinesMs } : undefined);
  const { api } = t.harness;
  const { id } = await call(api, 'instances.create', { family: 'cme', name: 'CME' });
  const connection = { host: '127.0.0.1', axlPort: t.sim.port, axlUser: 'cisco', sipInterface: '127.0.0.1', sipPort: await freePort(), cmeSipPort: t.sim.sip!.port };
  await call(api, 'instances.update', { id, patch: { connection, advanced: o.advanced ?? {} } });
  await call(api, 'instances.setSecret', { id, field: 'axlPassword', value: 'cisco' });
  for (const n of ['1', '2', '3']) await call(api, 'lines.add', { instanceId: id, line: { number: `200${n}`, name: '', deviceId: `SEP00112200000${n}` } });
  return id;
}

async function started(id: string, open = 3): Promise<void> {
  await call(t.harness!.api, 'driver.start', { instanceId: id });
  await until(async () => (await call(t.harness!.api, 'driver.status', { instanceId: id })).lines.open === open, `${open} lines open`);
}

async function control(path: string, body: unknown): Promise<any> {
  return (await fetch(`${t.sim!.controlUrl}${path}`, { method: 'POST', body: JSON.stringify(body) })).json();
}

async function saw(line: string, event: string, callId?: string): Promise<void> {
  await until(() => t.harness!.events.some((e) => e.line === line && e.event === event && (!callId || e.callId === callId)), `${event} on ${line}`);
}

/** The API's failure of a call, as {code}. */
async function refusal(method: string, input: unknown): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  const r = await (t.harness!.api as any)(method, input);
  expect(r.ok).toBe(false);
  return r.error;
}

describe('CME capability exchange', () => {
  it('asks GetCSTAFeatures once per link; a service the CME does not name is refused as not supported and never sent', async () => {
    const id = await instance({ withhold: ['deflectCall'] });
    await started(id);
    expect(t.sim!.sip!.featureRequests).toBe(1);
    const { callId } = await control('/calls', { from: '0301234', to: '2001' });
    await saw(L1, 'delivered', callId);
    const refused = await refusal('line.callControl', { instanceId: id, line: L1, request: { op: 'redirect', callId, to: '2002' } });
    // Call control words it as the operation this PBX lacks (the console names the operation).
    expect(refused).toMatchObject({ code: 'CALL_CONTROL_NOT_SUPPORTED', details: { op: 'redirect', family: 'cme' } });
    expect(refused.message).toContain('deflectCall');
    // Offered services still work.
    await call(t.harness!.api, 'line.callControl', { instanceId: id, line: L1, request: { op: 'answer', callId } });
    await saw(L1, 'established', callId);
  });

  it('a CME that refuses GetCSTAFeatures gets every request tried', async () => {
    const id = await instance({ withhold: ['getCSTAFeatures'] });
    await started(id);
    expect(t.sim!.sip!.featureRequests).toBe(0);
    const { callId } = await call(t.harness!.api, 'line.makeCall', { instanceId: id, line: L1, number: '2002' });
    await saw(L2, 'delivered');
    expect(callId).toBeTruthy();
  });
});

describe('CME CTI dialogs: one for all lines or one per line (driver setting × simulator form)', () => {
  for (const form of ['either', 'perLine'] as const) {
    it(`per-line dialogs against a CME taking ${form}: a dialog per DN, events and call control in it`, async () => {
      const id = await instance({ advanced: { ctiDialogs: 'perLine' }, variant: { ctiDialogs: form } });
      await started(id);
      expect(t.sim!.sip!.openDialogs().sort()).toEqual(['2001', '2002', '2003']);
      const { callId } = await call(t.harness!.api, 'line.makeCall', { instanceId: id, line: L1, number: '2002' });
      await saw(L2, 'delivered');
      await saw(L1, 'originated', callId);
    });
  }

  for (const form of ['either', 'shared'] as const) {
    it(`one dialog for all lines against a CME taking ${form}`, async () => {
      const id = await instance({ advanced: { ctiDialogs: 'shared' }, variant: { ctiDialogs: form } });
      await started(id);
      expect(t.sim!.sip!.openDialogs()).toEqual(['']);
      await control('/calls', { from: '0301234', to: '2002' });
      await saw(L2, 'delivered');
    });
  }

  it('a mismatch is named: the shared dialog refused by a per-line CME fails the SIP half of test connection', async () => {
    const id = await instance({ advanced: { ctiDialogs: 'shared' }, variant: { ctiDialogs: 'perLine' } });
    const tested = await call(t.harness!.api, 'instances.testConnection', { instanceId: id });
    expect(tested).toMatchObject({ ok: false, error: { code: 'REQUEST_REJECTED' } });
    expect(tested.error.message).toContain('CTI dialog');
  });

  it('a mismatch is named: per-line dialogs refused by a shared-only CME leave the lines retrying with the reason', async () => {
    const id = await instance({ advanced: { ctiDialogs: 'perLine' }, variant: { ctiDialogs: 'shared' } });
    await call(t.harness!.api, 'driver.start', { instanceId: id });
    await until(async () => (await call(t.harness!.api, 'line.status', { instanceId: id, line: L1 })).lastError !== null, 'the line names its failure');
    const status = await call(t.harness!.api, 'line.status', { instanceId: id, line: L1 });
    expect(status.lastError).toMatchObject({ code: 'REQUEST_REJECTED' });
    expect(status.lastError.message).toContain('sip:2001@');
  });
});

describe('CME session timer (refresh by re-INVITE on or off × the CME ending unrefreshed dialogs)', () => {
  it('refresh on: the CME names Session-Expires, the dialog is refreshed and stays', async () => {
    const id = await instance({ advanced: { sessionRefresh: true }, variant: { sessionTimerS: 2 } });
    await started(id);
    await until(() => t.sim!.sip!.refreshes >= 2, 'two refreshes', 8000);
    expect(t.sim!.sip!.sessions).toBe(1);
    await control('/calls', { from: '0301234', to: '2001' });
    await saw(L1, 'delivered');
  });

  it('refresh off: the CME ends the dialog at its timer; the driver reconnects and events flow again', async () => {
    const id = await instance({ advanced: { sessionRefresh: false }, variant: { sessionTimerS: 1 } });
    await started(id);
    await until(async () => (await call(t.harness!.api, 'driver.linkHistory', { instanceId: id })).events.some((e: { kind: string }) => e.kind === 'down'), 'the dialog ended', 8000);
    expect(t.sim!.sip!.refreshes).toBe(0);
    await until(() => t.sim!.sip!.sessions >= 2 && t.sim!.sip!.monitoredNumbers().length === 3, 'a new dialog with its monitors', 8000);
    await control('/calls', { from: '0301234', to: '2001' });
    await saw(L1, 'delivered');
  });
});

describe('CME `cti csta mode basic` (reduced event set) with either dialog setting', () => {
  for (const ctiDialogs of ['shared', 'perLine'] as const) {
    it(`${ctiDialogs}: calls come and go with the basic events; held is not reported; service state from the XML API`, async () => {
      const id = await instance({ basic: true, advanced: { ctiDialogs }, updateLinesMs: 200 });
      await started(id);
      const { callId } = await control('/calls', { from: '0301234', to: '2001' });
      await saw(L1, 'delivered', callId);
      await call(t.harness!.api, 'line.callControl', { instanceId: id, line: L1, request: { op: 'answer', callId } });
      await saw(L1, 'established', callId);
      await call(t.harness!.api, 'line.callControl', { instanceId: id, line: L1, request: { op: 'hold', callId } });
      await call(t.harness!.api, 'line.clearCall', { instanceId: id, line: L1, callId });
      await saw(L1, 'connectionCleared', callId);
      expect(t.harness!.events.filter((e) => e.line === L1 && e.callId === callId).map((e) => e.event)).toEqual(['delivered', 'established', 'connectionCleared']);
      await until(async () => (await call(t.harness!.api, 'line.status', { instanceId: id, line: L1 })).calls.length === 0, 'no call left on 2001');
      // Phone 3 is unregistered: the CME says nothing in basic mode, the poll of the XML API does.
      await until(async () => (await call(t.harness!.api, 'line.status', { instanceId: id, line: L3 })).inService === false, '2003 out of service');
    });
  }
});
