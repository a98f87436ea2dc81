import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCapture } from '../testing';
import { startPanasonicSim, type PanasonicSim } from '../../sim/panasonic';

// `linekeeper line …` against the Panasonic simulator: each run starts the instance's driver for one operation,
// so the calls it acts on live in the simulator between runs, as on a real PBX.

let dir: string;
let data: string;
let sim: PanasonicSim;
const cli = (...argv: string[]) => runCliCapture([...argv, '--data-dir', data]);
const line = (verb: string, number: string, ...rest: string[]) => cli('line', verb, '--instance', 'Office', '--line', number, ...rest);
const json = async (verb: string, number: string, ...rest: string[]) => {
  const r = await line(verb, number, ...rest, '--json');
  expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(r.stdout);
};
/** 105 calls 101, which consults 102 and joins them: a three-party conference in the simulator. */
async function threeWayConference() {
  for (const c of sim.calls()) sim.clearCall(c.callID);
  sim.placeCall('105', '101');
  await json('answer', '101');
  await json('transfer', '101', '--consult', '--to', '102');
  await json('answer', '102');
  const conference = await json('conference', '101');
  expect(parties()).toEqual([['101:connected', '102:connected', '105:connected']]);
  return conference;
}
const parties = () => sim.calls().map((c) => c.connections.map((x) => `${x.device}:${x.state}`).sort());

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lk-line-cli-'));
  data = join(dir, 'data');
  sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-109' } });
  expect((await cli('instances', 'create', '--family', 'panasonic', '--name', 'Office')).code).toBe(0);
  expect((await cli('instances', 'set', '--name', 'Office', 'connection.host=127.0.0.1', `connection.port=${sim.tcpPort}`)).code).toBe(0);
  writeFileSync(join(dir, 'lines.txt'), '101,Desk\n102,Sales\n');
  expect((await cli('lines', 'import', '--instance', 'Office', join(dir, 'lines.txt'))).code).toBe(0);
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('linekeeper line', () => {
  it('answers, holds, retrieves and transfers a call across runs, with JSON output', async () => {
    sim.placeCall('105', '101');
    const answered = await json('answer', '101');
    expect(answered).toMatchObject({ instance: 'Office', line: '101', op: 'answer' });
    expect(parties()).toEqual([['101:connected', '105:connected']]);
    expect(await json('hold', '101')).toMatchObject({ op: 'hold', callId: answered.callId });
    expect(parties()).toEqual([['101:hold', '105:connected']]);
    expect((await json('retrieve', '101')).op).toBe('retrieve');
    const consult = await json('transfer', '101', '--consult', '--to', '102');
    expect(consult.op).toBe('consult');
    expect(parties()).toEqual([['101:hold', '105:connected'], ['101:connected', '102:alerting']]);
    // The consulted party answers from its own line, then the transfer completes.
    expect((await json('answer', '102')).op).toBe('answer');
    expect((await json('transfer', '101', '--complete')).op).toBe('transfer');
    expect(parties()).toEqual([['102:connected', '105:connected']]);
  });

  it('conferences held and connected call, dials, sends digits and drops a party', async () => {
    expect((await threeWayConference()).op).toBe('conference');
    expect((await json('call', '101', '--digits', '1#')).op).toBe('digits');
    expect(sim.pbx.keyedDigits.at(-1)).toEqual({ device: '101', digits: '1#' });
    expect((await json('conference', '101', '--remove', '102')).op).toBe('removeParty');
    expect(parties()).toEqual([['101:connected', '105:connected']]);
  });

  it('hangup clears the line\'s only call (the other party is left without it), or the call named with --call', async () => {
    for (const c of sim.calls()) sim.clearCall(c.callID);
    const none = await line('hangup', '101');
    expect(none).toMatchObject({ code: 1, stderr: expect.stringContaining('line 101 has no call that is active') });
    sim.placeCall('105', '101');
    const answered = await json('answer', '101');
    expect(parties()).toEqual([['101:connected', '105:connected']]);
    expect(await json('hangup', '101')).toEqual({ instance: 'Office', line: '101', op: 'clearCall', callId: answered.callId });
    expect(sim.calls()).toEqual([]);
    // In a conference only the line leaves; with two calls on the line, --call names the one.
    const conference = await threeWayConference();
    const third = await json('call', '101', '--number', '103');
    expect(await line('hangup', '101')).toMatchObject({ code: 1, stderr: expect.stringContaining('has 2 calls that are') });
    expect((await line('hangup', '101', '--call', third.callId)).stdout).toBe(`hangup: done (call ${third.callId})\n`);
    expect(parties()).toEqual([['101:connected', '102:connected', '105:connected']]);
    expect((await json('hangup', '101', '--call', conference.callId)).callId).toBe(conference.callId);
    expect(parties()).toEqual([['102:connected', '105:connected']]);
    expect((await line('hangup', '101', '--call', 'nope')).code).toBe(1);
    for (const c of sim.calls()) sim.clearCall(c.callID);
  });

  it('conference adds a fourth party to a conference: hold it, consult, conference again', async () => {
    const first = await threeWayConference();
    expect(await json('transfer', '101', '--consult', '--to', '103')).toMatchObject({ op: 'consult' });
    expect(parties()).toEqual([['101:hold', '102:connected', '105:connected'], ['101:connected', '103:alerting']]);
    // 103 is no line of the instance: it answers at the PBX.
    sim.answerCall(sim.calls().find((c) => c.connections.some((x) => x.device === '103'))!.callID, '103');
    expect(await json('conference', '101')).toMatchObject({ op: 'conference', callId: first.callId });
    expect(parties()).toEqual([['101:connected', '102:connected', '103:connected', '105:connected']]);
    for (const c of sim.calls()) sim.clearCall(c.callID);
  });

  it('transfer --to redirects a ringing call and blind-transfers a connected one', async () => {
    for (const c of sim.calls()) sim.clearCall(c.callID);
    sim.placeCall('105', '101');
    expect(await json('transfer', '101', '--to', '103')).toMatchObject({ op: 'redirect', callId: null });
    expect(parties()).toEqual([['103:alerting', '105:connected']]);
    for (const c of sim.calls()) sim.clearCall(c.callID);
    sim.placeCall('105', '101');
    await json('answer', '101');
    expect(await json('transfer', '101', '--to', '104')).toMatchObject({ op: 'blindTransfer', callId: null });
    expect(parties()).toEqual([['104:alerting', '105:connected']]);
    for (const c of sim.calls()) sim.clearCall(c.callID);
  });

  it('retrieve --swap holds the connected call and takes the held one back', async () => {
    for (const c of sim.calls()) sim.clearCall(c.callID);
    sim.placeCall('105', '101');
    const first = await json('answer', '101');
    const consult = await json('transfer', '101', '--consult', '--to', '102');
    await json('answer', '102');
    expect(parties()).toEqual([['101:hold', '105:connected'], ['101:connected', '102:connected']]);
    expect(await json('retrieve', '101', '--swap')).toMatchObject({ op: 'alternate', callId: first.callId });
    expect(parties()).toEqual([['101:connected', '105:connected'], ['101:hold', '102:connected']]);
    expect(consult.callId).not.toBe(first.callId);
    for (const c of sim.calls()) sim.clearCall(c.callID);
  });

  it('answer --from picks up the call ringing at another extension', async () => {
    for (const c of sim.calls()) sim.clearCall(c.callID);
    sim.placeCall('105', '103');
    expect(await json('answer', '101', '--from', '103')).toMatchObject({ op: 'pickup', callId: expect.any(String) });
    expect(parties()).toEqual([['101:connected', '105:connected']]);
    for (const c of sim.calls()) sim.clearCall(c.callID);
  });

  it('sets forwarding and do-not-disturb and prints what the PBX has afterwards (read back); without --on/--off shows it', async () => {
    expect(await line('forward', '102', '--on', '--to', '103', '--kind', 'busy', '--callers', 'external')).toMatchObject({ code: 0, stdout: 'forwarding busy (external callers) to 103\n' });
    expect((await json('forward', '102')).forwarding).toEqual([{ kind: 'busy', callers: 'external', on: true, to: '103' }]);
    // Set at the PBX's own keys meanwhile: the read-back shows it beside what the CLI set, an echo of the request would not.
    sim.pbx.setForwarding('102', 'forwardNoAns', true, '104');
    const set = await json('forward', '102', '--on', '--to', '105');
    const pbxHas = [{ kind: 'busy', callers: 'external', on: true, to: '103' }, { kind: 'noAnswer', callers: 'all', on: true, to: '104' }, { kind: 'immediate', callers: 'all', on: true, to: '105' }];
    expect(set).toEqual({ instance: 'Office', line: '102', forwarding: { kind: 'immediate', callers: 'all', on: true, to: '105' }, atPbx: expect.arrayContaining(pbxHas), set: { kind: 'immediate', callers: 'all', on: true, to: '105' } });
    expect(set.atPbx.filter((f: { on: boolean }) => f.on)).toHaveLength(3);
    expect(sim.pbx.calls.forwardingOf('102')).toHaveLength(3);
    const text = (await line('forward', '102', '--off', '--kind', 'noAnswer')).stdout;
    expect(text.trim().split('\n').sort()).toEqual(['forwarding busy (external callers) to 103', 'forwarding immediate (all callers) to 105']);
    for (const [kind, callers] of [['busy', 'external'], ['immediate', 'all']]) await line('forward', '102', '--off', '--kind', kind, '--callers', callers);
    expect((await line('forward', '102')).stdout).toBe('no forwarding\n');

    const reads = () => sim.pbx.counters().invokesReceived.getDoNotDisturb ?? 0;
    const before = reads();
    expect((await line('dnd', '102', '--on')).stdout).toBe('do-not-disturb on\n');
    expect(reads()).toBe(before + 1);
    expect(await json('dnd', '102', '--off')).toEqual({ instance: 'Office', line: '102', doNotDisturb: false, set: { doNotDisturb: false } });
    expect(reads()).toBe(before + 2);
    expect(sim.pbx.calls.doNotDisturb('102')).toBe(false);
    await line('dnd', '102', '--on');
    expect(await json('dnd', '102')).toEqual({ instance: 'Office', line: '102', doNotDisturb: true });
    await line('dnd', '102', '--off');
    expect(sim.pbx.calls.doNotDisturb('102')).toBe(false);
  });

  it('dials in dial-tone mode on the call the lifted handset has, through the dialing rules', async () => {
    for (const c of sim.calls()) sim.clearCall(c.callID);
    sim.pbx.offHook('101');
    expect(await json('call', '101', '--number', '102', '--dial-tone')).toMatchObject({ op: 'dial' });
    expect(parties()).toEqual([['101:connected', '102:alerting']]);
    expect((await line('call', '101', '--dial-tone')).code).toBe(2);
    for (const c of sim.calls()) sim.clearCall(c.callID);
  });

  it('asks to be called back from a busy extension, and intrudes on its call', async () => {
    for (const c of sim.calls()) sim.clearCall(c.callID);
    const busy = sim.placeCall('105', '102');
    sim.answerCall(busy, '102');
    sim.pbx.placeCall('101', '102', 'makeCall');
    expect(await json('call', '101', '--intrude')).toMatchObject({ op: 'intrude', callId: expect.any(String) });
    expect(parties()).toEqual([['101:connected', '102:connected', '105:connected']]);
    sim.clearCall(busy, '101');
    sim.pbx.placeCall('101', '102', 'makeCall');
    expect(await json('call', '101', '--callback')).toMatchObject({ op: 'callBack' });
    expect(sim.pbx.calls.pendingCallBacks()).toEqual([{ from: '101', target: '102' }]);
    expect((await line('call', '101', '--to', '102')).code).toBe(2);
    sim.clearCall(busy);
    expect(parties()).toEqual([['101:connected', '102:alerting']]);
    for (const c of sim.calls()) sim.clearCall(c.callID);
  });

  it('call --callback --to N asks to be called back by a busy extension without a call of its own', async () => {
    for (const c of sim.calls()) sim.clearCall(c.callID);
    const refused = await line('call', '101', '--callback', '--to', '102', '--json');
    expect(refused.code, 'a free extension needs no call-back').toBe(1);
    expect(JSON.parse(refused.stdout).error.code).toBe('REQUEST_REJECTED');
    expect(sim.pbx.calls.pendingCallBacks()).toEqual([]);
    const busy = sim.placeCall('105', '102');
    sim.answerCall(busy, '102');
    expect(await json('call', '101', '--callback', '--to', '102')).toMatchObject({ op: 'callBackTo' });
    expect(sim.pbx.calls.pendingCallBacks()).toEqual([{ from: '101', target: '102' }]);
    expect(parties()).toEqual([['102:connected', '105:connected']]);
    // Once 102 is free the PBX calls 101 back and puts the call through to 102.
    sim.clearCall(busy);
    expect(sim.pbx.calls.pendingCallBacks()).toEqual([]);
    expect(parties()).toEqual([['101:connected', '102:alerting']]);
    for (const c of sim.calls()) sim.clearCall(c.callID);
  });

  it('dials a canonical number through the location, and acts with the Mobile address only once the line has one', async () => {
    for (const c of sim.calls()) sim.clearCall(c.callID);
    expect((await cli('instances', 'set', '--name', 'Office', 'location.useLocation=true', 'location.location=49(89)1234', 'location.ranges=100-109')).code).toBe(0);
    expect(await json('call', '101', '--number', '+49(89)1234-102')).toMatchObject({ op: 'makeCall', dialed: '102' });
    expect(parties()).toEqual([['101:connected', '102:alerting']]);
    const noMobile = await line('call', '101', '--number', '102', '--mobile', '--json');
    expect(noMobile.code).toBe(1);
    expect(JSON.parse(noMobile.stdout).error.code).toBe('NO_MOBILE_ADDRESS');
    expect((await cli('instances', 'set', '--name', 'Office', 'location.useLocation=false')).code).toBe(0);
    for (const c of sim.calls()) sim.clearCall(c.callID);
  });

  it('exits 2 on bad usage, 1 when the operation fails, with the code in JSON', async () => {
    expect((await line('transfer', '101')).code).toBe(2);
    expect((await line('forward', '101', '--kind', 'sometimes', '--on', '--to', '1')).code).toBe(2);
    expect((await cli('line', 'hold', '--instance', 'Nowhere', '--line', '101')).code).toBe(2);
    // Forwarding, DND and Remote Office belong to the line: --mobile there is a mistake, not silently the line.
    for (const args of [['forward', '--on', '--to', '103'], ['dnd', '--on'], ['remote-office', '--off'], ['dnd']]) {
      const r = await line(args[0], '102', ...args.slice(1), '--mobile');
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(`--mobile goes with call, answer, hangup, hold, retrieve, transfer, conference; ${args[0]} sets and reads the line's own settings`);
    }
    expect(sim.pbx.calls.doNotDisturb('102')).toBe(false);
    for (const c of sim.calls()) sim.clearCall(c.callID);
    const none = await line('hold', '101', '--json');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no call that is connected');
    const notOpen = await line('hold', '109', '--json', '--timeout', '1');
    expect(notOpen.code).toBe(2);
    expect(JSON.parse(notOpen.stdout).error.code).toBe('LINE_NOT_FOUND');
    const refused = await line('answer', '101', '--from', '103', '--json');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'REQUEST_REJECTED', details: { device: '103' } });
  });
});
