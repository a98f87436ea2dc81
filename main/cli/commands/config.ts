import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT_FAILED, EXIT_OK, group, parseOptions, UsageError, type Command } from '../command';
import { backupConfiguration, restoreConfiguration } from '../../engine/instances';
import { writeFileAtomic } from '../../store';
import { withStores } from './instances';

const dataDirOption = { 'data-dir': { type: 'string' } } as const;

const backup: Command = {
  name: 'backup',
  summary: 'write the whole configuration (instances, lines, settings; no passwords, no licences) to one file',
  usage: 'linekeeper config backup [--out FILE] [--data-dir DIR]   (standard output without --out)',
  async run(argv, io) {
    const { values } = parseOptions(argv, { out: { type: 'string' }, ...dataDirOption });
    return withStores(io, 'config backup', values['data-dir'], async (stores) => {
      const { backup: b, skipped } = await backupConfiguration(stores);
      for (const s of skipped) io.stderr(`warning: document "${s.document}" is not in the backup: ${s.cause}\n`);
      const text = JSON.stringify(b, null, 2) + '\n';
      if (!values.out) {
        io.stdout(text);
        return skipped.length ? EXIT_FAILED : EXIT_OK;
      }
      await writeFileAtomic(resolve(values.out), text);
      io.stdout(`backup of ${Object.keys(b.documents).length} documents written to ${resolve(values.out)}\n`);
      return skipped.length ? EXIT_FAILED : EXIT_OK;
    });
  },
};

const restore: Command = {
  name: 'restore',
  summary: 'replace the configuration by a backup file (passwords stay; the old configuration is saved first)',
  usage: 'linekeeper config restore FILE [--data-dir DIR]',
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { ...dataDirOption }, true);
    if (positionals.length !== 1) throw new UsageError('give exactly one backup FILE');
    const file = resolve(positionals[0]);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      io.stderr(`linekeeper config restore: cannot read ${file}: ${(e as Error).message}\n`);
      return EXIT_FAILED;
    }
    return withStores(io, 'config restore', values['data-dir'], async (stores, dataDir) => {
      const result = await restoreConfiguration(stores, dataDir, parsed, file);
      io.stdout(`restored ${result.restored.length} documents from ${file}${result.removed.length ? `, removed ${result.removed.length} instances not in the backup` : ''}\n`);
      // Damaged instance documents were not touched: name them, so the admin restores each from its backup copy.
      if (result.kept.length) io.stdout(`left as they are, because they cannot be read: ${result.kept.join(', ')}; restore each from its backup copy\n`);
      io.stdout(`the previous configuration was saved to ${result.safetyFile}\n`);
      return EXIT_OK;
    });
  },
};

export const configCommand: Command = group('config', 'back up and restore the whole configuration', [backup, restore]);
