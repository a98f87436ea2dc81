import { resolve } from 'node:path';
import { EXIT_OK, group, parseOptions, requireOption, type Command } from '../command';
import { resolveDataDir } from '../data-dir';
import { writeSupportBundle } from '../../support/bundle';
import { runtimeVersions } from '../../support/versions';

const bundleVerb: Command = {
  name: 'bundle',
  summary: 'write a zip of logs and configuration (no passwords) to send to support',
  usage: `linekeeper support bundle --out FILE.zip [--data-dir DIR]

Writes the logs, the configuration documents (credential fields removed) and a list of versions into one zip
file for support. The secret store and its key are never included. Prints the number of files and bytes.`,
  async run(argv, io) {
    const { values } = parseOptions(argv, { out: { type: 'string' }, 'data-dir': { type: 'string' } });
    const outFile = resolve(requireOption(values.out, '--out'));
    const { files, bytes } = writeSupportBundle({ dataDir: resolveDataDir(values['data-dir']), versions: runtimeVersions(), outFile });
    io.stdout(`support bundle: ${outFile} (${files.length} files, ${bytes} bytes)\n`);
    return EXIT_OK;
  },
};

export const supportCommand: Command = group('support', 'help for support: a bundle of logs and configuration', [bundleVerb]);
