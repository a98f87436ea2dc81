import { afterEach, describe, expect, it } from 'vitest';
import { CmeHttpError, CmeXmlClient, IsError, readInventory, text, children, child, CME_XML_PATH } from '../../protocols/cme-xml';
import { makeTestCert } from '../../protocols/sip/testing/certs';
import { SHARED_NUMBER, startCmeSim, type CmeSim } from './index';

let sim: CmeSim | undefined;
const clients: CmeXmlClient[] = [];
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await sim?.close();
  sim = undefined;
});

function client(s: CmeSim, over: Partial<ConstructorParameters<typeof CmeXmlClient>[0]> = {}): CmeXmlClient {
  const c = new CmeXmlClient({ host: '127.0.0.1', port: s.port, tls: false, user: s.login.user, password: s.login.password, ...over });
  clients.push(c);
  return c;
}

const control = async (s: CmeSim, path: string, body?: object) => {
  const r = await fetch(s.controlUrl + path, body ? { method: 'POST', body: JSON.stringify(body) } : {});
  return { status: r.status, body: (await r.json()) as any };
};

describe('CME simulator XML API', () => {
  it('answers ISgetGlobal and ISgetDevice in the admin guide shapes, with shared lines and registration', async () => {
    sim = await startCmeSim({ phones: 6 });
    const c = client(sim);
    const global = child(await c.request('ISgetGlobal'), 'ISGlobal');
    expect(text(global, 'ISConfiguredDevice')).toBe('6');
    expect(text(global, 'ISDeviceRegistered')).toBe('5');
    const devices = children(child(await c.request('ISgetDevice', [['ISKeyword', 'all']]), 'ISDevices'), 'ISDevice');
    expect(devices.map((d) => text(d, 'ISDevName'))).toEqual(['SEP001122000001', 'SEP001122000002', 'SEP001122000003', 'SEP001122000004', 'SEP001122000005', 'SEP001122000006']);
    const lines = (i: number) => children(child(devices[i], 'ISPhoneLineList'), 'ExtMapStatus').map((m) => `${text(m, 'LineId')}:${text(m, 'ExtNumber')}`);
    expect(lines(0)).toEqual(['1:2001', `2:${SHARED_NUMBER}`]);
    expect(lines(4)).toEqual([`1:${SHARED_NUMBER}`]);
    expect(lines(5)).toEqual([`1:${SHARED_NUMBER}`]);
    expect(text(devices[2], 'ISDevStatus')).toBe('unregistered');

    expect((await control(sim, '/ephones/3', { registered: true })).body).toEqual({ id: 3, registered: true });
    const one = children(child(await c.request('ISgetDevice', [['ISDevID', '3']]), 'ISDevices'), 'ISDevice');
    expect(one.map((d) => text(d, 'ISDevStatus'))).toEqual(['registered']);
    const byName = children(child(await c.request('ISgetDevice', [['ISDevName', 'SEP001122000002']]), 'ISDevices'), 'ISDevice');
    expect(byName.map((d) => text(d, 'ISDevID'))).toEqual(['2']);
  });

  it('refuses a wrong login with 401, another path with 404, and GET with 405', async () => {
    sim = await startCmeSim({ phones: 2 });
    const wrong = await client(sim, { password: 'nope' }).request('ISgetGlobal').catch((e) => e);
    expect(wrong).toBeInstanceOf(CmeHttpError);
    expect(wrong.status).toBe(401);
    expect((await control(sim, '/status')).body.refusedLogins).toBe(1);
    const auth = { Authorization: `Basic ${Buffer.from('cisco:cisco').toString('base64')}` };
    expect((await fetch(`http://127.0.0.1:${sim.port}/other`, { method: 'POST', headers: auth })).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${sim.port}${CME_XML_PATH}`, { headers: auth })).status).toBe(405);
  });

  it('refuses `all` above its buffer limit with ISError, so the inventory is read by allTag and per ID', async () => {
    sim = await startCmeSim({ phones: 30 });
    const c = client(sim);
    const whole = await readInventory(c);
    expect(whole.perId).toEqual([]);
    expect((await control(sim, '/faults', { allLimit: 5, isErrorCode: 'E42' })).status).toBe(200);
    const refused = await c.request('ISgetDevice', [['ISKeyword', 'all']]).catch((e) => e);
    expect(refused).toBeInstanceOf(IsError);
    expect(refused.code).toBe('E42');
    const before = sim.xml.requests;
    const split = await readInventory(c);
    expect(split.perId).toEqual(['ISgetDevice', 'ISgetExtension']);
    expect(split).toEqual({ ...whole, perId: split.perId });
    // 30 phones and 32 extensions (28 own, the shared one, 3 for mobility) one by one, plus the refused `all` and the allTag of each, plus profiles and SIP phones.
    expect(sim.xml.requests - before).toBe(30 + 32 + 4 + 2);
  });

  it('reads extension mobility profiles and SIP phones', async () => {
    sim = await startCmeSim({ phones: 4 });
    const inv = await readInventory(client(sim));
    expect(inv.profiles.map((p) => [p.userId, p.buttons.map((b) => b.number)])).toEqual([
      ['anna', ['3001', '3002']],
      ['ben', ['3003']],
    ]);
    expect(inv.sipPhones).toEqual([
      { id: '1', mac: '0013.1978.3CA5', numbers: ['2501'] },
      { id: '2', mac: '0013.1978.3CA6', numbers: ['2502'] },
    ]);
    expect(inv.extensions.find((x) => x.number === SHARED_NUMBER)?.name).toBe('Sales');
  });

  it('applies ISexecCLI lines to its model and names the first line it cannot run', async () => {
    sim = await startCmeSim({ phones: 2 });
    const c = client(sim);
    const ok = await c.request('ISexecCLI', [['CLI', 'ephone-dn 50'], ['CLI', 'number 4050'], ['CLI', 'name Lab'], ['CLI', 'cti watch'], ['CLI', 'ephone 9'], ['CLI', 'mac-address 000D.BC80.EB51'], ['CLI', 'button 1:50']]);
    expect(text(ok, 'ISexecCLIResponse')).toBe('0');
    const inv = await readInventory(c);
    expect(inv.phones.find((p) => p.id === '9')).toMatchObject({ name: 'SEP000DBC80EB51', buttons: [{ button: 1, number: '4050' }] });
    const bad = await c.request('ISexecCLI', [['CLI', 'ephone 9'], ['CLI', 'button 1:50 2:77']]);
    expect(text(bad, 'ISexecCLIResponse')).toBe('2');
    expect(text(bad, 'ISexecCLIError')).toBe('invalid input dn parameter for button 2');
  });

  it('serves the same API over HTTPS', async () => {
    const cert = makeTestCert();
    sim = await startCmeSim({ phones: 2, tls: { port: 0, cert: cert.cert, key: cert.key } });
    const c = client(sim, { port: sim.tlsPort!, tls: true, ca: cert.cert });
    expect(text(child(await c.request('ISgetGlobal'), 'ISGlobal'), 'ISName')).toBe('sim-cme');
  });
});

describe('CME simulator XML API: a body over the limit', () => {
  it('answers 413 and still serves the requests pipelined behind it on the same connection', async () => {
    sim = await startCmeSim({ phones: 2 });
    const { httpRequest, pipeline } = await import('../../web/testing/fuzz');
    const { requestDocument } = await import('../../protocols/cme-xml');
    const auth = { Authorization: `Basic ${Buffer.from('cisco:cisco').toString('base64')}` };
    const good = Array.from({ length: 40 }, () => httpRequest('POST', CME_XML_PATH, auth, requestDocument('ISgetGlobal')));
    const big = httpRequest('POST', CME_XML_PATH, auth, 'x'.repeat(3_000_000));
    expect(await pipeline(sim.port, [...good.slice(0, 20), big, ...good.slice(20)])).toBe(41);
  });
});
