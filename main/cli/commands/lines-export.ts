import { resolve } from 'node:path';
import { EXIT_OK, parseOptions, requireOption, type Command } from '../command';
import { withStores } from './instances';
import { parseFormat } from './lines-import';
import { LINES_FORMATS } from '../../../shared/api/lines-io';
import { exportInstanceLines, writeFileAtomic } from '../../engine/lines-io';

export const linesExportCommand: Command = {
  name: 'export',
  summary: 'export the lines of an instance as text, CME or CSV (UTF-8 with BOM)',
  usage: `linekeeper lines export --instance NAME [--format ${LINES_FORMATS.join('|')}] [--out FILE] [--data-dir DIR]`,
  async run(argv, io) {
    const { values } = parseOptions(argv, { instance: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, 'data-dir': { type: 'string' } });
    const name = requireOption(values.instance, '--instance');
    const format = parseFormat(values.format);
    return withStores(io, 'lines export', values['data-dir'], async ({ instances }) => {
      const inst = await instances.getByName(name);
      const out = await exportInstanceLines(instances, inst.id, format);
      if (values.out === undefined) {
        io.stdout(new TextDecoder('utf-8', { ignoreBOM: true }).decode(out.bytes));
        return EXIT_OK;
      }
      const path = resolve(values.out);
      await writeFileAtomic(path, out.bytes);
      io.stdout(`exported ${out.lineCount} lines of "${inst.name}" to ${path} (${out.format})\n`);
      return EXIT_OK;
    });
  },
};
