import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run';
import { runCliCapture } from '../../cli/testing';
import { SHARED_NUMBER, startCmeSim, type CmeSim } from '../../sim/cme';

let sim: CmeSim;
beforeAll(async () => {
  sim = await startCmeSim({ phones: 4 });
});
afterAll(() => sim.close());

const base = () => ['lines', 'discover', '--family', 'cme', '--host', '127.0.0.1', '--axl-port', String(sim.port), '--user', 'cisco'];

describe('linekeeper lines discover --family cme', () => {
  it('prints {number, name, deviceId, buttons, kind} per line with --json, the SIP phones as warnings', async () => {
    const r = await runCliCapture([...base(), '--password', 'cisco', '--names', '--buttons', '--json']);
    expect(r.code).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows[0]).toEqual({ number: '2001', name: 'User 1', deviceId: 'SEP001122000001', buttons: [SHARED_NUMBER], kind: 'proprietary' });
    expect(rows.map((x) => x.number)).toEqual(['2001', '2002', SHARED_NUMBER, SHARED_NUMBER, '3001', '3003']);
    expect(r.stderr).toContain('warning: SIP phone 0013.1978.3CA5 (2501) is skipped');
    expect(r.stderr).toContain('6 lines from 127.0.0.1');
  });

  it('names a refused login and exits 1', async () => {
    const r = await runCliCapture([...base(), '--password', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^LOGIN_REJECTED: /);
  });
});

/** `linekeeper sim cme --port 0 …args` until it printed its control API; `stop` ends it and says how. */
async function simRunning(args: string[]): Promise<{ out: string; stop(): Promise<{ code: number; out: string }> }> {
  let signal!: () => void;
  const stopSignal = new Promise<void>((resolve) => (signal = resolve));
  let out = '';
  const run = runCli(['sim', 'cme', '--port', '0', ...args], { stdout: (t) => (out += t), stderr: () => {}, stopSignal });
  for (let i = 0; i < 200 && !/control API/.test(out); i++) await new Promise((r) => setTimeout(r, 20));
  return {
    out,
    async stop() {
      signal();
      return { code: await run, out };
    },
  };
}

describe('linekeeper sim cme', () => {
  it('runs the simulator with the asked number of phones, serves the XML API and its control API, and stops on the signal', async () => {
    const { out, stop } = await simRunning(['--phones', '250', '--user', 'lab', '--password', 'pw', '--sip-port', '0', '--authenticate-register']);
    expect(out).toMatch(/250 SCCP phones/);
    expect(out).toMatch(/SIP \(TCP\): 127\.0\.0\.1:\d+, session server ss_ecsta \(authenticate register\), CTI dialogs either\n/);
    const port = /XML API \(HTTP\): http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1];
    const found = await runCliCapture(['lines', 'discover', '--family', 'cme', '--host', '127.0.0.1', '--axl-port', port, '--user', 'lab', '--password', 'pw']);
    expect(found.code).toBe(0);
    expect(found.stdout.split('\n')[249]).toBe(`${SHARED_NUMBER}\t\tSEP0011220000FA\t\tproprietary`);
    const status = (await (await fetch(/control API: (\S+)/.exec(out)![1] + '/status')).json()) as { phones: number };
    expect(status.phones).toBe(250);
    const stopped = await stop();
    expect(stopped.code).toBe(0);
    expect(stopped.out).toMatch(/simulator stopped/);
  });

  it('takes the CTI variants: per-line dialogs, a session timer, cti csta mode basic; refuses an unknown dialog form', async () => {
    const { out, stop } = await simRunning(['--phones', '4', '--sip-port', '0', '--cti-dialogs', 'perLine', '--session-timer', '30', '--csta-mode-basic']);
    expect(out).toMatch(/session server ss_ecsta, CTI dialogs perLine, session timer 30 s, cti csta mode basic\n/);
    const sip = (await (await fetch(/control API: (\S+)/.exec(out)![1] + '/sip')).json()) as { voice: { cstaModeBasic: boolean } };
    expect(sip.voice.cstaModeBasic).toBe(true);
    expect((await stop()).code).toBe(0);
    const bad = await runCliCapture(['sim', 'cme', '--port', '0', '--sip-port', '0', '--cti-dialogs', 'some']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--cti-dialogs');
  });

  it('refuses more than 5,000 phones', async () => {
    const big = await runCliCapture(['sim', 'cme', '--port', '0', '--phones', '5001']);
    expect(big.code).toBe(2);
    expect(big.stderr).toContain('--phones');
  });
});
