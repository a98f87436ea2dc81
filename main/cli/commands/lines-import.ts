import { EXIT_FAILED, EXIT_OK, parseOptions, requireOption, UsageError, type Command } from '../command';
import { withStores } from './instances';
import { isApiError } from '../../../shared/api/errors';
import { LINES_FORMATS, type LinesFormat, type LinesImportPreview } from '../../../shared/api/lines-io';
import type { Line } from '../../../shared/model/line';
import { applyLinesImport, previewLinesImport, readImportFile } from '../../engine/lines-io';

export function parseFormat(value: string | undefined): LinesFormat | undefined {
  if (value === undefined) return undefined;
  if (!(LINES_FORMATS as readonly string[]).includes(value)) throw new UsageError(`--format must be one of ${LINES_FORMATS.join('|')}, got "${value}"`);
  return value as LinesFormat;
}

function describeLine(l: Line): string {
  const extra = [l.deviceId && `device ${l.deviceId}`, l.buttons?.length && `buttons ${l.buttons.join(' ')}`, l.mobile && `mobile ${l.mobile}`, l.userId && `user ${l.userId}`].filter(Boolean);
  return `${l.number}${l.name ? ` "${l.name}"` : ''}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

/** The preview as the admin reads it: one line per added, changed and bad row, each with its file line. */
export function formatPreview(p: LinesImportPreview): string {
  const out = [`added: ${p.added.length}, changed: ${p.changed.length}, unchanged: ${p.unchanged.length}, errors: ${p.errors.length}`];
  for (const a of p.added) out.push(`  + line ${a.line}: ${describeLine(a.after)}`);
  for (const c of p.changed) {
    const diffs = c.fields.map((f) => `${f} ${JSON.stringify(show(c.before, f))} -> ${JSON.stringify(show(c.after, f))}`);
    out.push(`  ~ line ${c.line}: ${c.after.number}: ${diffs.join(', ')}`);
  }
  for (const e of p.errors) out.push(`  ! line ${e.line}: ${e.message}`);
  for (const w of p.warnings) out.push(`  warning, line ${w.line}: ${w.message}`);
  return out.join('\n') + '\n';
}

function show(l: Line, field: string): string {
  const v = (l as Record<string, unknown>)[field];
  return Array.isArray(v) ? v.join(' ') : typeof v === 'string' ? v : '';
}

export const linesImportCommand: Command = {
  name: 'import',
  summary: 'import lines from a text, CME or CSV file (preview, then all or nothing)',
  usage: `linekeeper lines import --instance NAME [--format ${LINES_FORMATS.join('|')}] [--dry-run] [--skip-bad] [--data-dir DIR] FILE`,
  async run(argv, io) {
    const { values, positionals } = parseOptions(
      argv,
      {
        instance: { type: 'string' },
        format: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'skip-bad': { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
      },
      true,
    );
    const name = requireOption(values.instance, '--instance');
    const format = parseFormat(values.format);
    if (positionals.length !== 1) throw new UsageError(positionals.length ? `one FILE expected, got ${positionals.length}` : 'missing the FILE to import');
    const file = positionals[0];
    const skipBad = values['skip-bad'];
    return withStores(io, 'lines import', values['data-dir'], async ({ instances }) => {
      const inst = await instances.getByName(name);
      const source = { bytes: await readImportFile(file), format, fileName: file };
      const preview = await previewLinesImport(instances, inst.id, source);
      io.stdout(`${file} into "${inst.name}" (${preview.format}, ${preview.encoding}${preview.delimiter ? `, delimiter "${preview.delimiter}"` : ''})\n`);
      io.stdout(formatPreview(preview));
      if (preview.errors.length && !skipBad) {
        io.stderr(`nothing imported: the file has ${preview.errors.length} bad row${preview.errors.length === 1 ? '' : 's'}; fix them, or use --skip-bad to import the other rows\n`);
        return EXIT_FAILED;
      }
      if (values['dry-run']) {
        io.stdout('dry run: nothing was changed\n');
        return EXIT_OK;
      }
      try {
        const result = await applyLinesImport(instances, inst.id, { ...source, skipBad });
        io.stdout(
          result.applied
            ? `imported: ${result.added.length} added, ${result.changed.length} changed${result.errors.length ? `, ${result.errors.length} bad row${result.errors.length === 1 ? '' : 's'} skipped` : ''}; "${inst.name}" now has ${result.lineCount} lines\n`
            : `nothing to change: "${inst.name}" already has these lines\n`,
        );
        return EXIT_OK;
      } catch (e) {
        // The lines changed between preview and apply and a row became bad; nothing was written.
        if (isApiError(e) && e.code === 'LINES_IMPORT_HAS_ERRORS') {
          io.stderr(`nothing imported: ${e.message}\n`);
          return EXIT_FAILED;
        }
        throw e;
      }
    });
  },
};
