import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useApiHarness } from '../api/handlers/api-harness';
import { runCliCapture } from '../cli/testing';
import { writeSupportBundle } from './bundle';

const harness = useApiHarness('lk-support-');

/** The archive as Python's zipfile reads it (an independent reader): name -> text. */
function unzip(file: string): Record<string, string> {
  const script = 'import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({n: z.read(n).decode("latin-1") for n in z.namelist()}))';
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }));
}

describe('support bundle', () => {
  it('holds logs, configuration without credentials, crash dumps and versions, and never the secret store', async () => {
    const { call, services, dataDir } = harness.setup();
    await call('services.setSettings', { name: 'mux', settings: { pbxHost: 'pbx.local' }, user: 'ops', password: 'Dienst-Geheim-9' });
    services.logger.log('warn', 'test', 'a line support should see');
    // A document with a credential field (none should have one; the bundle removes it anyway).
    writeFileSync(join(dataDir, 'config', 'legacy.json'), JSON.stringify({ host: 'h', pbxPassword: 'Alt-Geheim-3', nested: { passphrase: 'Pfx-Geheim-5' } }));
    const crashes = mkdtempSync(join(tmpdir(), 'lk-crash-'));
    writeFileSync(join(crashes, 'a1b2.dmp'), 'MDMP minidump');
    const out = join(mkdtempSync(join(tmpdir(), 'lk-bundle-')), 'support.zip');

    const { files } = writeSupportBundle({ dataDir, crashDumpsDir: crashes, versions: { Linekeeper: '9.9.9', Node: process.versions.node }, outFile: out });
    const zip = unzip(out);
    expect(Object.keys(zip).sort()).toEqual([...files].sort());
    expect(Object.keys(zip)).toEqual(expect.arrayContaining(['manifest.txt', 'config/service-mux.json', 'config/legacy.json', 'crash-dumps/a1b2.dmp']));
    expect(Object.keys(zip).some((n) => n.startsWith('logs/') && zip[n].includes('a line support should see'))).toBe(true);
    expect(zip['manifest.txt']).toMatch(/Linekeeper: 9\.9\.9/);
    expect(zip['config/service-mux.json']).toContain('pbx.local');
    expect(JSON.parse(zip['config/legacy.json'])).toEqual({ host: 'h', pbxPassword: '(removed)', nested: { passphrase: '(removed)' } });
    expect(Object.keys(zip).filter((n) => /secret/.test(n))).toEqual([]);
    const key = readFileSync(join(dataDir, 'secrets', 'secret.key')).toString('latin1');
    for (const [name, text] of Object.entries(zip)) {
      for (const secret of ['Dienst-Geheim-9', 'Alt-Geheim-3', 'Pfx-Geheim-5', key]) expect(text.includes(secret), `${secret.slice(0, 4)}… in ${name}`).toBe(false);
    }
  });

  it('`linekeeper support bundle` writes it; a failed write leaves no partial file', async () => {
    const { dataDir, services } = harness.setup();
    services.logger.log('info', 'test', 'from the CLI test');
    const dir = mkdtempSync(join(tmpdir(), 'lk-bundle-'));
    const { code, stdout } = await runCliCapture(['support', 'bundle', '--out', join(dir, 'b.zip'), '--data-dir', dataDir]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/support bundle: .*b\.zip \(\d+ files, \d+ bytes\)/);
    expect(unzip(join(dir, 'b.zip'))['manifest.txt']).toMatch(/^Node: /m);
    expect((await runCliCapture(['support', 'bundle'])).code).toBe(2);

    const blocked = join(dir, 'blocked');
    mkdirSync(join(blocked, 'b.zip'), { recursive: true });
    expect(() => writeSupportBundle({ dataDir, versions: {}, outFile: join(blocked, 'b.zip') })).toThrow();
    expect(readdirSync(blocked)).toEqual(['b.zip']);
    expect(existsSync(join(blocked, 'b.zip', 'manifest.txt'))).toBe(false);
  });
});
