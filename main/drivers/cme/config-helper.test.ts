// The configuration helpers against the simulator's ISexecCLI over HTTP: the CSTA configuration applies and is
// read back; a failing line is named and the lines before it stay applied.
import { afterEach, describe, expect, it } from 'vitest';
import { CmeXmlClient, readInventory } from '../../protocols/cme-xml';
import { startCmeSim, type CmeSim } from '../../sim/cme';
import { applyCommands, cstaCommands, forConsole, xmlApiCommands } from './config-helper';

let sim: CmeSim | undefined;
let client: CmeXmlClient | undefined;
afterEach(async () => {
  client?.close();
  await sim?.close();
});

describe('CME configuration helpers', () => {
  it('shows the XML API commands with the admin values, ready to paste', () => {
    const text = forConsole(xmlApiCommands({ https: true, user: 'ecsta', password: 'pw' }));
    expect(text.split('\n').slice(0, 4)).toEqual(['enable', 'configure terminal', 'ip http secure-server', 'ixi transport http']);
    expect(text).toContain(' xml user ecsta password pw 15\n');
    expect(xmlApiCommands({ https: false, user: 'u', password: 'p' })[0]).toBe('ip http server');
  });

  it('applies the CSTA configuration through ISexecCLI and the extensions read back with CTI watch and notify', async () => {
    sim = await startCmeSim({ phones: 3 });
    client = new CmeXmlClient({ host: '127.0.0.1', port: sim.port, tls: false, user: 'cisco', password: 'cisco' });
    const lines = cstaCommands({ sessionServer: 2, registerId: 'ss_ecsta', keepalive: 600, extensionIds: [1, 2], authenticateRegister: true });
    expect(lines).toContain(' authenticate register');
    expect(await applyCommands(client, lines)).toEqual({ ok: true });
    expect(sim.xml.layout.extensions.filter((x) => x.ctiWatch && x.ctiNotify).map((x) => x.id)).toEqual([1, 2]);
    const read = await client.request('ISgetExtension', [['ISExtID', '1']]);
    expect(JSON.stringify(read)).toContain('"watch":"true"');
    expect((await readInventory(client)).extensions).toHaveLength(sim.xml.layout.extensions.length);
  });

  it('names the line the CME could not run; the lines before it stay applied', async () => {
    sim = await startCmeSim({ phones: 3 });
    client = new CmeXmlClient({ host: '127.0.0.1', port: sim.port, tls: false, user: 'cisco', password: 'cisco' });
    const r = await applyCommands(client, ['ephone-dn 1', ' cti watch', ' cti bogus', 'ephone-dn 2', ' cti watch']);
    expect(r).toEqual({ ok: false, line: 3, command: 'cti bogus', error: 'invalid input detected: cti bogus' });
    expect(sim.xml.layout.extensions.filter((x) => x.ctiWatch).map((x) => x.id)).toEqual([1]);
  });

  it('an xml user below level 15 cannot apply anything', async () => {
    sim = await startCmeSim({ phones: 2, level: 5 });
    client = new CmeXmlClient({ host: '127.0.0.1', port: sim.port, tls: false, user: 'cisco', password: 'cisco' });
    expect(await applyCommands(client, ['ephone-dn 1', ' cti watch'])).toMatchObject({ ok: false, line: 1, error: 'insufficient privilege: the xml user needs level 15' });
  });
});
