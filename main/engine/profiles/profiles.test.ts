// BroadWorks provider profiles through the API: the file format with every problem named by line, all or nothing,
// export and import round trip, and an added profile filling in an instance's connection like a built-in one.
import { afterEach, describe, expect, it } from 'vitest';
import { parseProviderProfiles } from '../../../shared/families';
import { startApi, call, type ApiHarness } from '../../drivers/testing/api-harness';

let harness: ApiHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

const FILE = ['# our providers', '', 'id,label,host,connectionType,port,urlPrefix', 'acme,"ACME Telecom, Berlin",xsp.acme.example,cti,,', 'nordic,Nordic Voice,203.0.113.7,https,8443,nv.xsi', ''].join('\n');

describe('provider profile files', () => {
  it('reads profiles with quoted names and default ports', () => {
    expect(parseProviderProfiles(FILE)).toEqual({
      problems: [],
      profiles: [
        { id: 'acme', label: 'ACME Telecom, Berlin', fields: { host: 'xsp.acme.example', connectionType: 'cti', port: 8011, urlPrefix: '' } },
        { id: 'nordic', label: 'Nordic Voice', fields: { host: '203.0.113.7', connectionType: 'https', port: 8443, urlPrefix: 'nv.xsi' } },
      ],
    });
  });

  it('names every problem with its line and takes nothing from a file with one', () => {
    const bad = ['id,label,host,connectionType,port,urlPrefix', 'ok,Fine,ok.example,https,,', 'Bad ID,x,h.example,https,,', 'p2,P2,-bad-,ftp,99999,a b', 'ok,Again,o.example,http,,', 'routit,Not Routit,other.example,https,443,', 'short,Short', 'q,"open,h.example,http,,'].join('\n');
    const r = parseProviderProfiles(bad);
    expect(r.profiles).toEqual([]);
    expect(r.problems.map((p) => `${p.params?.line} ${p.code}`)).toEqual(['3 profiles.badId', '4 profiles.badHost', '4 profiles.badType', '4 profiles.badPort', '4 profiles.badPrefix', '5 profiles.repeated', '6 profiles.builtIn', '7 profiles.cells', '8 profiles.openQuote']);
    expect(r.problems[5].message).toBe('line 5: profile ID "ok" is already on line 2');
    expect(parseProviderProfiles('# nothing\n').problems.map((p) => p.code)).toEqual(['profiles.noHeader']);
    expect(parseProviderProfiles('number,name\n1,a').problems[0].message).toMatch(/^line 1: expected the header "id,label,host,connectionType,port,urlPrefix"/);
  });
});

describe('provider profiles through the API', () => {
  it('imports all or nothing, lists built-in and added ones, exports a file that imports again, and fills in a connection', async () => {
    harness = startApi();
    const { api } = harness;
    const listed = await call(api, 'profiles.list', { family: 'broadworks' });
    expect(listed.builtIn.map((p: { id: string }) => p.id)).toEqual(['plusnet', 'routit']);
    expect(listed.added).toEqual([]);

    const refused = await (api as any)('profiles.import', { family: 'broadworks', fileName: 'providers.csv', text: `${FILE}bad,Bad,bad.example,smtp,,\n` });
    expect(refused).toMatchObject({ ok: false, error: { code: 'PROFILES_INVALID', details: { fileName: 'providers.csv', problems: [{ code: 'profiles.badType', params: { line: 6 } }] } } });
    expect(refused.error.message).toMatch(/^providers\.csv was not imported: line 6:/);
    expect((await call(api, 'profiles.list', { family: 'broadworks' })).added).toEqual([]);

    const imported = await call(api, 'profiles.import', { family: 'broadworks', fileName: 'providers.csv', text: FILE });
    expect(imported).toMatchObject({ imported: ['acme', 'nordic'], replaced: [] });
    expect(imported.added.map((p: { id: string }) => p.id)).toEqual(['acme', 'nordic']);
    const again = await call(api, 'profiles.import', { family: 'broadworks', fileName: 'acme.csv', text: 'id,label,host,connectionType,port,urlPrefix\nacme,ACME Telecom,xsp2.acme.example,ctis,,\n' });
    expect(again).toMatchObject({ imported: ['acme'], replaced: ['acme'] });

    const exported = await call(api, 'profiles.export', { family: 'broadworks' });
    expect(exported.fileName).toBe('broadworks-providers.csv');
    expect(exported.text).toContain('routit,Routit (Netherlands),cai.voipit.nl,https,443,nl.cai');
    expect(exported.text).toContain('acme,ACME Telecom,xsp2.acme.example,ctis,8012,');
    expect(await call(api, 'profiles.import', { family: 'broadworks', fileName: exported.fileName, text: exported.text })).toMatchObject({ imported: ['acme', 'nordic'], replaced: ['acme', 'nordic'] });

    const { id } = await call(api, 'instances.create', { family: 'broadworks', name: 'Provider' });
    expect(await (api as any)('instances.update', { id, patch: { connection: { provider: 'zeta' } } })).toMatchObject({ ok: false, error: { code: 'SETTINGS_INVALID', message: expect.stringContaining('provider must be one of custom, plusnet, routit, acme, nordic') } });
    const inst = await call(api, 'instances.update', { id, patch: { connection: { provider: 'nordic' } } });
    expect(inst.connection).toMatchObject({ provider: 'nordic', host: '203.0.113.7', connectionType: 'https', port: 8443, urlPrefix: 'nv.xsi' });
    const builtIn = await call(api, 'instances.update', { id, patch: { connection: { provider: 'plusnet' } } });
    expect(builtIn.connection).toMatchObject({ host: 'web.centraflex.de', connectionType: 'ctis', port: 8012, urlPrefix: '' });

    expect(await (api as any)('profiles.list', { family: 'panasonic' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
