import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDocumentStore, type DocumentSpec } from './document-store';
import { StoreError } from './errors';

const v2 = z.object({ title: z.string().min(1), count: z.number().int() });
const SPEC: DocumentSpec<z.output<typeof v2>> = {
  kind: 'note',
  version: 2,
  schema: v2,
  migrations: { 1: (d: { title: string }) => ({ title: d.title, count: 0 }) },
};

function tempDir() {
  return mkdtempSync(join(tmpdir(), 'lk-docs-'));
}

describe('document store', () => {
  it('saves a document and reads it back with its kind and schema version on disk', async () => {
    const store = openDocumentStore(tempDir());
    await store.write('settings', SPEC, { title: 'a', count: 1 });
    expect(await store.read('settings', SPEC)).toEqual({ title: 'a', count: 1 });
    const onDisk = JSON.parse(readFileSync(store.fileOf('settings'), 'utf8'));
    expect(onDisk).toMatchObject({ kind: 'note', schemaVersion: 2, data: { title: 'a', count: 1 } });
    expect(await store.read('missing', SPEC)).toBeUndefined();
  });

  it('keeps the previous version as a backup on every save', async () => {
    const store = openDocumentStore(tempDir());
    await store.write('n', SPEC, { title: 'first', count: 1 });
    await store.write('n', SPEC, { title: 'second', count: 2 });
    expect((await store.readBackup('n', SPEC))?.value).toEqual({ title: 'first', count: 1 });
    expect(readdirSync(store.dir).sort()).toEqual(['n.json', 'n.json.bak']);
  });

  it('migrates an old schema version forward when loading', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'old.json'), JSON.stringify({ kind: 'note', schemaVersion: 1, savedAt: '', data: { title: 'legacy' } }));
    const store = openDocumentStore(dir);
    expect(await store.read('old', SPEC)).toEqual({ title: 'legacy', count: 0 });
  });

  it('refuses a value that fails its schema and writes nothing', async () => {
    const store = openDocumentStore(tempDir());
    await store.write('n', SPEC, { title: 'ok', count: 1 });
    await expect(store.write('n', SPEC, { title: '', count: 1 })).rejects.toMatchObject({ code: 'DOCUMENT_INVALID', message: expect.stringContaining('title') });
    expect(await store.read('n', SPEC)).toEqual({ title: 'ok', count: 1 });
    // the backup is still the first version, not the refused one
    expect((await store.readBackup('n', SPEC))?.value).toEqual({ title: 'ok', count: 1 });
  });

  it('a new document\'s first version is its backup: damaged before any change, it comes back from it', async () => {
    const store = openDocumentStore(tempDir());
    await store.write('n', SPEC, { title: 'only', count: 1 });
    writeFileSync(store.fileOf('n'), '{"kind":"note","schemaVersion":2,"data":{"tit');
    await expect(store.read('n', SPEC)).rejects.toMatchObject({ code: 'DOCUMENT_UNREADABLE', details: { backupFile: store.backupFileOf('n') } });
    expect(await store.restoreBackup('n', SPEC)).toEqual({ title: 'only', count: 1 });
    // and the next save still keeps the version before it, with no temp file left over
    await store.write('n', SPEC, { title: 'next', count: 2 });
    expect((await store.readBackup('n', SPEC))?.value).toEqual({ title: 'only', count: 1 });
    expect(readdirSync(store.dir).filter((f) => !f.includes('.broken-')).sort()).toEqual(['n.json', 'n.json.bak']);
  });

  it('never overwrites a document that fails to load, names it and offers the backup', async () => {
    const store = openDocumentStore(tempDir());
    await store.write('n', SPEC, { title: 'good', count: 1 });
    await store.write('n', SPEC, { title: 'newer', count: 2 });
    writeFileSync(store.fileOf('n'), '{"kind":"note","schemaVersion":2,"data":{"tit');
    const err = await store.read('n', SPEC).catch((e) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err.code).toBe('DOCUMENT_UNREADABLE');
    expect(err.message).toContain(store.fileOf('n'));
    expect(err.details).toMatchObject({ document: 'n', backupFile: store.backupFileOf('n') });
    await expect(store.write('n', SPEC, { title: 'x', count: 3 })).rejects.toMatchObject({ code: 'DOCUMENT_UNREADABLE' });
    expect(readFileSync(store.fileOf('n'), 'utf8')).toContain('"tit');
    expect(await store.restoreBackup('n', SPEC)).toEqual({ title: 'good', count: 1 });
    expect(await store.read('n', SPEC)).toEqual({ title: 'good', count: 1 });
    expect(readdirSync(store.dir).some((f) => f.startsWith('n.json.broken-'))).toBe(true);
  });

  it('refuses a document written by a newer version without touching it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'n.json'), JSON.stringify({ kind: 'note', schemaVersion: 9, savedAt: '', data: {} }));
    const store = openDocumentStore(dir);
    await expect(store.read('n', SPEC)).rejects.toMatchObject({ code: 'DOCUMENT_TOO_NEW' });
    await expect(store.update('n', SPEC, () => ({ title: 't', count: 1 }))).rejects.toMatchObject({ code: 'DOCUMENT_TOO_NEW' });
  });

  it('serialises concurrent updates so no increment is lost', async () => {
    const store = openDocumentStore(tempDir());
    await store.write('c', SPEC, { title: 'c', count: 0 });
    await Promise.all(Array.from({ length: 50 }, () => store.update('c', SPEC, (cur) => ({ title: 'c', count: cur!.count + 1 }))));
    expect((await store.read('c', SPEC))?.count).toBe(50);
  });

  it('an update that throws writes nothing', async () => {
    const store = openDocumentStore(tempDir());
    await store.write('c', SPEC, { title: 'c', count: 0 });
    await expect(store.update('c', SPEC, () => { throw new Error('no'); })).rejects.toThrow('no');
    expect(await store.read('c', SPEC)).toEqual({ title: 'c', count: 0 });
    expect((await store.readBackup('c', SPEC))?.value).toEqual({ title: 'c', count: 0 });
  });

  it('sees a document saved by another process (another store on the same directory)', async () => {
    const dir = tempDir();
    const mine = openDocumentStore(dir);
    const theirs = openDocumentStore(dir);
    await mine.write('n', SPEC, { title: 'mine', count: 1 });
    expect(await mine.read('n', SPEC)).toEqual({ title: 'mine', count: 1 });
    await theirs.write('n', SPEC, { title: 'theirs', count: 2 });
    expect(await mine.read('n', SPEC)).toEqual({ title: 'theirs', count: 2 });
    await theirs.remove('n');
    expect(await mine.read('n', SPEC)).toBeUndefined();
  });

  it('hands out read-only values, so a caller cannot change the stored state by accident', async () => {
    const store = openDocumentStore(tempDir());
    await store.write('n', SPEC, { title: 'a', count: 1 });
    const v = (await store.read('n', SPEC))!;
    expect(() => {
      v.count = 5;
    }).toThrow(TypeError);
  });

  it('writes readable JSON with each element of a list on one line', async () => {
    const spec: DocumentSpec<{ items: Array<{ n: number }> }> = { kind: 'list', version: 1, schema: z.object({ items: z.array(z.object({ n: z.number() })) }) };
    const store = openDocumentStore(tempDir());
    await store.write('l', spec, { items: [{ n: 1 }, { n: 2 }] });
    expect(readFileSync(store.fileOf('l'), 'utf8')).toMatch(/"items": \[\n      \{"n":1\},\n      \{"n":2\}\n    \]/);
  });

  it('waits for another process that is saving, and names it when it does not finish', async () => {
    const dir = tempDir();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, '.write.lock'), String(holder.pid));
      const store = openDocumentStore(dir, { lockWaitMs: 300 });
      await expect(store.write('n', SPEC, { title: 'a', count: 1 })).rejects.toMatchObject({ code: 'CONFIG_LOCKED', message: expect.stringContaining(`pid ${holder.pid}`) });
      expect(await store.read('n', SPEC)).toBeUndefined();
      const saved = store.write('n', SPEC, { title: 'b', count: 2 });
      setTimeout(() => unlinkSync(join(dir, '.write.lock')), 50);
      await saved;
      expect(await store.read('n', SPEC)).toEqual({ title: 'b', count: 2 });
    } finally {
      holder.kill();
    }
  });

  it('takes over the lock of a writer that was killed', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.write.lock'), '999999999');
    const store = openDocumentStore(dir, { lockWaitMs: 300 });
    await store.write('n', SPEC, { title: 'a', count: 1 });
    expect(existsSync(join(dir, '.write.lock'))).toBe(false);
  });

  it('removes temp files left behind by a killed writer when opened', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'n.json.tmp-999999-1'), 'half');
    const store = openDocumentStore(dir);
    expect(readdirSync(dir)).toEqual([]);
    expect(await store.list()).toEqual([]);
  });
});
