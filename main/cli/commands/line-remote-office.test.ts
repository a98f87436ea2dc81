import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCapture } from '../testing';
import { startBroadWorksSim, type BroadWorksSim } from '../../sim/broadworks';

// `linekeeper line remote-office` against the BroadWorks simulator: each run starts the instance's driver, sets or
// reads the user's Remote Office over Xsi, and stops again; the setting lives in the simulator between runs.

let dir: string;
let data: string;
let sim: BroadWorksSim;
const LINE = '2001@sim.test';
const cli = (...argv: string[]) => runCliCapture([...argv, '--data-dir', data]);
const ro = (...rest: string[]) => cli('line', 'remote-office', '--instance', 'Cloud', '--line', LINE, ...rest);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lk-line-ro-cli-'));
  data = join(dir, 'data');
  sim = await startBroadWorksSim({ users: 3 });
  expect((await cli('instances', 'create', '--family', 'broadworks', '--name', 'Cloud')).code).toBe(0);
  writeFileSync(join(dir, 'password'), 'secret\n');
  const set = await cli('instances', 'set', '--name', 'Cloud', 'connection.mode=workstation', 'connection.host=127.0.0.1', 'connection.connectionType=http', `connection.port=${sim.port}`, `connection.user=${LINE}`, '--password-file', join(dir, 'password'));
  expect(set, set.stderr).toMatchObject({ code: 0 });
  writeFileSync(join(dir, 'lines.csv'), `number,name,userId\n+493055502001,Desk,${LINE}\n`);
  const imported = await cli('lines', 'import', '--instance', 'Cloud', '--format', 'csv', join(dir, 'lines.csv'));
  expect(imported, imported.stderr).toMatchObject({ code: 0 });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('linekeeper line remote-office', () => {
  it('switches Remote Office on with a number and off, printing what the platform has; without --on/--off shows it', async () => {
    expect(await ro()).toMatchObject({ code: 0, stdout: 'remote-office off\n' });
    expect(await ro('--on', '+4917012345')).toMatchObject({ code: 0, stdout: 'remote-office on (+4917012345)\n' });
    expect(sim.group.user(LINE)!.services.remoteOffice).toEqual({ active: true, remoteOfficeNumber: '+4917012345' });
    const shown = await ro('--json');
    expect(JSON.parse(shown.stdout)).toEqual({ instance: 'Cloud', line: LINE, remoteOffice: { active: true, number: '+4917012345' } });
    const off = await ro('--off', '--json');
    expect(JSON.parse(off.stdout)).toEqual({ instance: 'Cloud', line: LINE, remoteOffice: { active: false, number: '+4917012345' } });
    expect(sim.group.user(LINE)!.services.remoteOffice.active).toBe(false);
  });

  it('exits 2 on bad usage, 1 with the code when the platform refuses the number', async () => {
    expect((await ro('--on', '1', '--off')).code).toBe(2);
    expect((await ro('--on', ' ')).code).toBe(2);
    expect((await ro('--on')).code).toBe(2);
    const refused = await ro('--on', 'call me', '--json');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: 'REQUEST_REJECTED', details: { status: 400, service: 'services/RemoteOffice' } });
    expect(sim.group.user(LINE)!.services.remoteOffice.active).toBe(false);
  });
});
