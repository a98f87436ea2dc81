import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCliCapture } from '../testing';

const tempDir = () => mkdtempSync(join(tmpdir(), 'lk-cli-inst-'));

describe('linekeeper instances', () => {
  it('creates one instance of every family and lists them as a table and as JSON', async () => {
    const dir = tempDir();
    for (const [family, name] of [['panasonic', 'Berlin'], ['cme', 'Hamburg CME'], ['broadworks', 'Cloud'], ['sip-phones', 'Phones']]) {
      const r = await runCliCapture(['instances', 'create', '--family', family, '--name', name, '--data-dir', dir]);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(new RegExp(`^created ${family} instance "${name}" \\(id [0-9a-f-]+\\)\\n$`));
    }
    const table = await runCliCapture(['instances', 'list', '--data-dir', dir]);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+FAMILY\s+HOST\s+PORT\s+LINES$/);
    expect(table.stdout).toMatch(/Berlin\s+panasonic\s+-\s+33333\s+0/);
    expect(table.stdout).toMatch(/Hamburg CME\s+cme\s+-\s+80\s+0/);
    expect(table.stdout).toMatch(/Cloud\s+broadworks\s+-\s+443\s+0/);
    expect(table.stdout).toMatch(/Phones\s+sip-phones\s+-\s+5060\s+0/);
    const json = await runCliCapture(['instances', 'list', '--json', '--data-dir', dir]);
    expect(JSON.parse(json.stdout).map((i: { name: string; family: string }) => [i.name, i.family])).toEqual([
      ['Berlin', 'panasonic'],
      ['Cloud', 'broadworks'],
      ['Hamburg CME', 'cme'],
      ['Phones', 'sip-phones'],
    ]);
  });

  it('rejects an unknown family or a missing name with exit code 2 and creates nothing', async () => {
    const dir = tempDir();
    const bad = await runCliCapture(['instances', 'create', '--family', 'avaya', '--name', 'X', '--data-dir', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--family must be one of panasonic|cme|broadworks|sip-phones, got "avaya"');
    expect((await runCliCapture(['instances', 'create', '--family', 'cme', '--data-dir', dir])).stderr).toContain('missing required option --name');
    expect((await runCliCapture(['instances', 'create', '--family', 'cme', '--name', '  ', '--data-dir', dir])).code).toBe(2);
    expect((await runCliCapture(['instances', 'list', '--data-dir', dir])).stdout).toBe('no instances\n');
  });

  it('refuses a second instance with the same name with exit code 1', async () => {
    const dir = tempDir();
    await runCliCapture(['instances', 'create', '--family', 'cme', '--name', 'Main', '--data-dir', dir]);
    const again = await runCliCapture(['instances', 'create', '--family', 'panasonic', '--name', 'MAIN', '--data-dir', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('an instance named "Main" exists already [INSTANCE_NAME_TAKEN]');
  });

  it('deletes an instance by name, and says which names exist when the name is unknown', async () => {
    const dir = tempDir();
    await runCliCapture(['instances', 'create', '--family', 'panasonic', '--name', 'Old PBX', '--data-dir', dir]);
    const missing = await runCliCapture(['instances', 'delete', '--name', 'Nope', '--data-dir', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no instance named "Nope" (instances: Old PBX)');
    const del = await runCliCapture(['instances', 'delete', '--name', 'old pbx', '--data-dir', dir]);
    expect(del).toMatchObject({ code: 0, stdout: 'deleted instance "Old PBX" and its 0 lines\n' });
    expect((await runCliCapture(['instances', 'list', '--json', '--data-dir', dir])).stdout).toBe('[]\n');
    expect((await runCliCapture(['instances', 'delete', '--data-dir', dir])).code).toBe(2);
  });

  it('renames, duplicates and shows an instance', async () => {
    const dir = tempDir();
    await runCliCapture(['instances', 'create', '--family', 'cme', '--name', 'A', '--data-dir', dir]);
    expect((await runCliCapture(['instances', 'rename', '--name', 'A', '--new-name', 'B', '--data-dir', dir])).stdout).toBe('renamed "A" to "B"\n');
    expect((await runCliCapture(['instances', 'duplicate', '--name', 'B', '--data-dir', dir])).stdout).toMatch(/^duplicated "B" as "B \(copy\)"/);
    const show = await runCliCapture(['instances', 'show', '--name', 'B (copy)', '--json', '--data-dir', dir]);
    expect(JSON.parse(show.stdout)).toMatchObject({ name: 'B (copy)', family: 'cme', connection: { sessionServerId: 'ss_ecsta', axlPort: 80 }, secrets: { axlPassword: false } });
    const text = await runCliCapture(['instances', 'show', '--name', 'B', '--data-dir', dir]);
    expect(text.stdout).toContain('connection.sessionServerId = "ss_ecsta"');
    expect(text.stdout).toContain('missing: connection.host: host must not be empty');
  });

  it('changes settings with SECTION.FIELD=VALUE, typed like the setting, and a password from a file', async () => {
    const dir = tempDir();
    await runCliCapture(['instances', 'create', '--family', 'cme', '--name', 'C', '--data-dir', dir]);
    const pw = join(dir, 'pw.txt');
    writeFileSync(pw, 'axl-pass\n');
    const r = await runCliCapture(['instances', 'set', '--name', 'C', 'connection.host=10.0.0.5', 'connection.axlUser=1234', 'connection.axlProtocol=https', 'advanced.readLineButtons=true', 'advanced.updateLinesInterval=600', 'notes=rack 2', '--password-file', pw, '--data-dir', dir]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('password axlPassword of "C" saved');
    const shown = JSON.parse((await runCliCapture(['instances', 'show', '--name', 'C', '--json', '--data-dir', dir])).stdout);
    expect(shown.connection).toMatchObject({ host: '10.0.0.5', axlUser: '1234', axlProtocol: 'https', axlPort: 443 });
    expect(shown.advanced).toMatchObject({ readLineButtons: true, updateLinesInterval: 600 });
    expect(shown).toMatchObject({ notes: 'rack 2', secrets: { axlPassword: true }, problems: [] });
    expect(JSON.stringify(shown)).not.toContain('axl-pass');
  });

  it('refuses settings out of range or of an unknown form, changing nothing', async () => {
    const dir = tempDir();
    await runCliCapture(['instances', 'create', '--family', 'panasonic', '--name', 'P', '--data-dir', dir]);
    const port = await runCliCapture(['instances', 'set', '--name', 'P', 'connection.host=pbx', 'connection.port=70000', '--data-dir', dir]);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('connection.port: port must be 1-65535 [SETTINGS_INVALID]');
    const interval = await runCliCapture(['instances', 'set', '--name', 'P', 'advanced.monitorRetryInterval=1', '--data-dir', dir]);
    expect(interval.stderr).toContain('advanced.monitorRetryInterval: must be at least 5 seconds');
    const form = await runCliCapture(['instances', 'set', '--name', 'P', 'host=pbx', '--data-dir', dir]);
    expect(form.code).toBe(2);
    expect(form.stderr).toContain('"host=pbx" is not SECTION.FIELD=VALUE');
    expect(JSON.parse((await runCliCapture(['instances', 'show', '--name', 'P', '--json', '--data-dir', dir])).stdout).connection).toMatchObject({ host: '', port: 33333 });
  });

  it('warns about an instance document that cannot be loaded and names its backup', async () => {
    const dir = tempDir();
    await runCliCapture(['instances', 'create', '--family', 'cme', '--name', 'A', '--data-dir', dir]);
    await runCliCapture(['instances', 'rename', '--name', 'A', '--new-name', 'B', '--data-dir', dir]);
    const { readdirSync, writeFileSync } = await import('node:fs');
    const file = readdirSync(join(dir, 'config')).find((f) => f.startsWith('instance-') && f.endsWith('.json'))!;
    writeFileSync(join(dir, 'config', file), 'garbage');
    const r = await runCliCapture(['instances', 'list', '--data-dir', dir]);
    expect(r.stderr).toContain(`warning: document "${file.slice(0, -5)}"`);
    expect(r.stderr).toContain('not valid JSON');
    expect(r.stderr).toContain(`${file}.bak`);
  });

  it('works through the real linekeeper binary', async () => {
    const dir = tempDir();
    const bin = join(import.meta.dirname, '../../../bin/linekeeper.js');
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [bin, 'instances', 'create', '--family', 'sip-phones', '--name', 'Desk phones', '--data-dir', dir], { env: { ...process.env, LINEKEEPER_FROM_SOURCE: '1' } });
    expect(stdout).toMatch(/^created sip-phones instance "Desk phones"/);
    const listed = await runCliCapture(['instances', 'list', '--json', '--data-dir', dir]);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: 'Desk phones', family: 'sip-phones' })]);
  });
});
