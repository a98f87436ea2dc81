import { join } from 'node:path';
import { EXIT_FAILED, EXIT_OK, parseOptions, group, type Command } from '../command';
import { resolveDataDir } from '../data-dir';
import { describeProtector, openSecretStore, prepareDataDir, StoreError } from '../../store';

const statusVerb: Command = {
  name: 'status',
  summary: 'where the key of the secret store is kept, and whether it can be read',
  usage: `linekeeper secrets status [--data-dir DIR] [--json]

Says which protector holds the key of the data directory's secret store (secret-service, keychain, dpapi or
keyfile; see docs/security.md) and how many passwords it keeps, reading the key once to prove it is there. A store
without a protector yet gets one now, moving the key of an earlier version's key file into the OS keychain where one
serves it; the macOS first-start setup runs this as root so the daemon's store uses the System keychain.
Exits 1 with SECRET_STORE_FAILED when the key cannot be read. Passwords are never printed.`,
  async run(argv, io) {
    const { values } = parseOptions(argv, { 'data-dir': { type: 'string' }, json: { type: 'boolean' } });
    const dataDir = resolveDataDir(values['data-dir']);
    prepareDataDir(dataDir);
    try {
      const store = openSecretStore(join(dataDir, 'secrets'));
      const { record, migrated } = store.resolve();
      const entries = (await store.keys()).length;
      const out = { dataDir, protector: record.protector, where: describeProtector(record), entries, migrated, ...(record.reason ? { reason: record.reason } : {}) };
      if (values.json) io.stdout(JSON.stringify(out, null, 2) + '\n');
      else {
        io.stdout(`protector: ${out.protector} (${out.where})\nentries: ${entries}\n`);
        if (migrated) io.stdout('the key was moved from the key file into the protector\n');
        if (record.reason) io.stdout(`key file because: ${record.reason}\n`);
      }
      return EXIT_OK;
    } catch (e) {
      if (!(e instanceof StoreError)) throw e;
      io.stderr(`linekeeper secrets status: ${e.message} (${e.code})\n`);
      return EXIT_FAILED;
    }
  },
};

export const secretsCommand: Command = group('secrets', 'the secret store of the data directory (passwords are never shown)', [statusVerb]);
