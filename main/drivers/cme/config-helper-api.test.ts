// The CME configuration helpers through the API against the simulator over HTTP: the XML API commands with the
// admin's values (to copy only), the CSTA helper's choice of ephone-dns read from the CME, its commands applied
// through ISexecCLI and read back, and a refused line named with what stayed applied.
import { afterEach, describe, expect, it } from 'vitest';
import { startCmeSim, type CmeSim } from '../../sim/cme';
import { startApi, type ApiHarness } from '../testing/api-harness';

let harness: ApiHarness;
let sim: CmeSim;
afterEach(async () => {
  await harness?.dispose();
  await sim?.close();
});

async function setup(): Promise<{ id: string; api: (m: string, i: unknown) => Promise<any> }> {
  sim = await startCmeSim({ phones: 3, user: 'axl', password: 'axl-pw' });
  harness = startApi();
  const api = (m: string, i: unknown) => (harness.api as any)(m, i);
  const { result } = await api('instances.create', { family: 'cme', name: 'CME' });
  await api('instances.update', { id: result.id, patch: { connection: { host: '127.0.0.1', axlPort: sim.port, axlUser: 'axl', sessionServerId: 'ss_branch' } } });
  await api('instances.setSecret', { id: result.id, field: 'axlPassword', value: 'axl-pw' });
  return { id: result.id, api };
}

describe('CME configuration helpers through the API', () => {
  it('the XML API helper fills in the admin values and is for copying only', async () => {
    const { id, api } = await setup();
    const r = await api('pbxConfig.commands', { instanceId: id, helper: 'cmeXmlApi', options: { https: true, axlUser: 'axl', password: 'new-pw' } });
    expect(r.ok).toBe(true);
    expect(r.result.applies).toBe(false);
    expect(r.result.text.split('\n').slice(0, 3)).toEqual(['enable', 'configure terminal', 'ip http secure-server']);
    expect(r.result.lines).toContain(' xml user axl password new-pw 15');
    expect(await api('pbxConfig.apply', { instanceId: id, helper: 'cmeXmlApi', options: { axlUser: 'axl', password: 'x' }, confirmed: true })).toMatchObject({ ok: false, error: { code: 'NOT_SUPPORTED' } });
    expect(await api('pbxConfig.commands', { instanceId: id, helper: 'cmeXmlApi', options: { axlUser: '' } })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('the CSTA helper lists the ephone-dns, applies the commands for the chosen ones after confirmation, and they read back', async () => {
    const { id, api } = await setup();
    const before = await api('pbxConfig.choices', { instanceId: id, helper: 'cmeCsta' });
    expect(before.result.choices.slice(0, 2)).toEqual([
      { id: '1', label: '2900 Sales', on: false },
      { id: '2', label: '2001 User 1', on: false },
    ]);
    const options = { sessionServerTag: 2, sessionServerId: 'ss_branch', keepalive: 600, authenticateRegister: true, choices: ['2', '3'] };
    const shown = await api('pbxConfig.commands', { instanceId: id, helper: 'cmeCsta', options });
    expect(shown.result).toMatchObject({ applies: true });
    expect(shown.result.lines).toEqual(expect.arrayContaining([' register-id ss_branch', ' authenticate register', 'ephone-dn 2', 'ephone-dn 3']));
    // Without the confirmation nothing is sent.
    expect(await api('pbxConfig.apply', { instanceId: id, helper: 'cmeCsta', options })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(sim.xml.layout.extensions.some((x) => x.ctiWatch)).toBe(false);

    expect(await api('pbxConfig.apply', { instanceId: id, helper: 'cmeCsta', options, confirmed: true })).toEqual({ ok: true, result: { applied: shown.result.lines.length } });
    const after = await api('pbxConfig.choices', { instanceId: id, helper: 'cmeCsta' });
    expect(after.result.choices.filter((c: { on: boolean }) => c.on).map((c: { id: string }) => c.id)).toEqual(['2', '3']);
  });

  it('names the line the CME refused and how many before it were applied', async () => {
    const { id, api } = await setup();
    await fetch(`${sim.controlUrl}/faults`, { method: 'POST', body: JSON.stringify({ refuseCli: 'keepalive' }) });
    const options = { sessionServerId: 'ss_branch', choices: ['2'] };
    const { result } = await api('pbxConfig.commands', { instanceId: id, helper: 'cmeCsta', options });
    const at = result.lines.findIndex((l: string) => l.includes('keepalive')) + 1;
    const r = await api('pbxConfig.apply', { instanceId: id, helper: 'cmeCsta', options, confirmed: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'PBX_CONFIG_LINE_FAILED', details: { line: at, command: 'keepalive 600', applied: at - 1 } } });
    expect(sim.xml.layout.extensions.find((x) => x.id === 2)?.ctiWatch).toBe(false);
  });

  it('a wrong saved password is the login failure, not a crash', async () => {
    const { id, api } = await setup();
    await api('instances.setSecret', { id, field: 'axlPassword', value: 'wrong' });
    expect(await api('pbxConfig.choices', { instanceId: id, helper: 'cmeCsta' })).toMatchObject({ ok: false, error: { code: 'LOGIN_REJECTED' } });
  });
});
