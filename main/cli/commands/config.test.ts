import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCapture } from '../testing';
import { openConfigStores } from '../../engine/instances';

const tempDir = () => mkdtempSync(join(tmpdir(), 'lk-cli-cfg-'));

describe('linekeeper config', () => {
  it('backs up to one file without passwords and restores it', async () => {
    const dir = tempDir();
    await runCliCapture(['instances', 'create', '--family', 'panasonic', '--name', 'Berlin', '--data-dir', dir]);
    const stores = openConfigStores(dir);
    const inst = (await stores.instances.findByName('Berlin'))!;
    await stores.instances.setSecret(inst.id, 'multiplexerPassword', 'Mux-Pass-9931');
    await stores.instances.updateLines(inst.id, () => [{ number: '100', name: 'Reception' }]);
    const file = join(tempDir(), 'config-backup.json');
    const b = await runCliCapture(['config', 'backup', '--out', file, '--data-dir', dir]);
    expect(b).toMatchObject({ code: 0, stdout: `backup of 1 documents written to ${file}\n` });
    expect(readFileSync(file, 'utf8')).not.toContain('Mux-Pass-9931');

    await runCliCapture(['instances', 'delete', '--name', 'Berlin', '--data-dir', dir]);
    await runCliCapture(['instances', 'create', '--family', 'cme', '--name', 'Other', '--data-dir', dir]);
    const r = await runCliCapture(['config', 'restore', file, '--data-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`restored 1 documents from ${file}, removed 1 instances not in the backup`);
    expect(r.stdout).toContain('the previous configuration was saved to');
    const list = JSON.parse((await runCliCapture(['instances', 'list', '--json', '--data-dir', dir])).stdout);
    expect(list).toEqual([expect.objectContaining({ name: 'Berlin', lineCount: 1 })]);
  });

  it('leaves a damaged instance document as it is on restore and says so', async () => {
    const dir = tempDir();
    await runCliCapture(['instances', 'create', '--family', 'panasonic', '--name', 'Damaged', '--data-dir', dir]);
    const file = join(tempDir(), 'config-backup.json');
    await runCliCapture(['config', 'backup', '--out', file, '--data-dir', dir]);
    const inst = (await openConfigStores(dir).instances.findByName('Damaged'))!;
    const doc = join(dir, 'config', `instance-${inst.id}.json`);
    writeFileSync(doc, '{"kind":"instance",');
    const r = await runCliCapture(['config', 'restore', file, '--data-dir', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`left as they are, because they cannot be read: instance-${inst.id}`);
    expect(readFileSync(doc, 'utf8')).toBe('{"kind":"instance",');
  });

  it('writes the backup to standard output without --out', async () => {
    const dir = tempDir();
    await runCliCapture(['instances', 'create', '--family', 'cme', '--name', 'C', '--data-dir', dir]);
    const r = await runCliCapture(['config', 'backup', '--data-dir', dir]);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'linekeeper-config-backup', version: 1 });
  });

  it('restores nothing from a file that is not a backup, is not JSON, or is missing', async () => {
    const dir = tempDir();
    await runCliCapture(['instances', 'create', '--family', 'cme', '--name', 'Keep', '--data-dir', dir]);
    const other = join(tempDir(), 'other.json');
    writeFileSync(other, '{"lines":[]}');
    const notBackup = await runCliCapture(['config', 'restore', other, '--data-dir', dir]);
    expect(notBackup.code).toBe(1);
    expect(notBackup.stderr).toContain(`${other} is not a Linekeeper configuration backup`);
    expect(notBackup.stderr).toContain('[BACKUP_INVALID]');
    writeFileSync(other, '{oops');
    expect((await runCliCapture(['config', 'restore', other, '--data-dir', dir])).stderr).toContain(`cannot read ${other}`);
    expect((await runCliCapture(['config', 'restore', join(dir, 'nope.json'), '--data-dir', dir])).code).toBe(1);
    expect((await runCliCapture(['config', 'restore', '--data-dir', dir])).code).toBe(2);
    expect(JSON.parse((await runCliCapture(['instances', 'list', '--json', '--data-dir', dir])).stdout)).toEqual([expect.objectContaining({ name: 'Keep' })]);
  });
});
