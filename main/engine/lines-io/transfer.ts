import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename } from 'node:path';
import { ApiFailure } from '../../../shared/api/errors';
import type { LinesExportResult, LinesImportPreview, LinesImportResult } from '../../../shared/api/lines-io';
import type { InstanceStore } from '../instances';
import { defaultFormat, ExportNotLossless, exportLines } from './export';
import { parseImport, previewImport, type ImportPreview } from './preview';
import type { LinesFormat } from './row';

export const LinesIoErrorCodes = {
  /** The import file has bad rows and skipping them was not chosen; nothing was imported. */
  hasErrors: 'LINES_IMPORT_HAS_ERRORS',
  /** The import file cannot be read (missing, a folder, too large). */
  unreadable: 'LINES_FILE_UNREADABLE',
  /** A line cannot be written in the chosen format without loss; nothing was written. */
  lossy: 'LINES_EXPORT_LOSSY',
  /** The export file cannot be written. */
  writeFailed: 'LINES_FILE_WRITE_FAILED',
} as const;

/** Larger files are refused before reading; 100,000 lines of CSV take about 5 MB. */
const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

export interface ImportSource {
  bytes: Uint8Array;
  format?: LinesFormat;
  fileName?: string;
}

export async function readImportFile(path: string): Promise<Uint8Array> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new Error('it is a folder');
    if (info.size > MAX_IMPORT_BYTES) throw new Error(`it has ${info.size} bytes, more than the ${MAX_IMPORT_BYTES} an import may have`);
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ApiFailure(LinesIoErrorCodes.unreadable, `cannot read the import file ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, { path });
  }
}

function toView(p: ImportPreview): LinesImportPreview {
  const { result: _result, ...view } = p;
  return view;
}

async function previewFor(store: InstanceStore, instanceId: string, source: ImportSource) {
  const inst = await store.get(instanceId);
  const format = source.format ?? defaultFormat(source.fileName, inst.family);
  const parsed = parseImport(source.bytes, format);
  if (!parsed.rows.length && !parsed.errors.length) parsed.warnings.push({ line: 1, message: 'the file holds no lines' });
  return { inst, parsed, preview: previewImport(inst.lines, parsed, inst.family) };
}

/** What importing the file into the instance would do; writes nothing. */
export async function previewLinesImport(store: InstanceStore, instanceId: string, source: ImportSource): Promise<LinesImportPreview> {
  return toView((await previewFor(store, instanceId, source)).preview);
}

function hasErrors(preview: ImportPreview): ApiFailure {
  const first = preview.errors[0];
  const n = preview.errors.length;
  return new ApiFailure(
    LinesIoErrorCodes.hasErrors,
    `the file has ${n} bad row${n === 1 ? '' : 's'} (first: line ${first.line}: ${first.message}); nothing was imported — fix the file or skip the bad rows`,
    { errors: preview.errors },
  );
}

/**
 * Imports all or nothing: the preview is made again inside the instance store's atomic update, so it applies
 * to the lines as they are at that moment; with any bad row and no skipBad nothing is written.
 */
export async function applyLinesImport(store: InstanceStore, instanceId: string, source: ImportSource & { skipBad?: boolean }): Promise<LinesImportResult> {
  const first = await previewFor(store, instanceId, source);
  if (first.preview.errors.length && !source.skipBad) throw hasErrors(first.preview);
  if (!first.preview.added.length && !first.preview.changed.length) return { ...toView(first.preview), applied: false, lineCount: first.inst.lines.length };
  let applied = first.preview;
  const previewed = JSON.stringify(first.inst.lines);
  const saved = await store.updateLines(instanceId, (lines) => {
    // Usually nothing changed since the preview; then its result stands and the rows need not be merged again.
    if (JSON.stringify(lines) !== previewed) applied = previewImport(lines, first.parsed, first.inst.family);
    if (applied.errors.length && !source.skipBad) throw hasErrors(applied);
    return applied.result;
  });
  return { ...toView(applied), applied: true, lineCount: saved.lines.length };
}

/** The instance's lines as a file in the format (by default the family's text format). */
export async function exportInstanceLines(store: InstanceStore, instanceId: string, format?: LinesFormat): Promise<{ bytes: Uint8Array; format: LinesFormat; lineCount: number; fileName: string }> {
  const inst = await store.get(instanceId);
  const chosen = format ?? defaultFormat(undefined, inst.family);
  let bytes: Uint8Array;
  try {
    bytes = exportLines(inst.lines, chosen, { family: inst.family });
  } catch (e) {
    if (e instanceof ExportNotLossless) throw new ApiFailure(LinesIoErrorCodes.lossy, e.message, { format: chosen, problems: e.problems });
    throw e;
  }
  const safeName = inst.name.replace(/[^\p{L}\p{N}._-]+/gu, '_') || 'lines';
  return { bytes, format: chosen, lineCount: inst.lines.length, fileName: `${safeName}-lines.${chosen === 'csv' ? 'csv' : 'txt'}` };
}

/** Writes the file whole or not at all (temp file, fsync, rename), so a failed export never leaves half a file. */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const fh = await open(temp, 'w');
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, path);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw new ApiFailure(LinesIoErrorCodes.writeFailed, `cannot write ${path}: ${(e as Error).message}`, { path });
  }
}

/** Export for the API: to a file when a path is given, else the bytes as base64. */
export async function exportLinesTo(store: InstanceStore, instanceId: string, options: { format?: LinesFormat; path?: string }): Promise<LinesExportResult> {
  const out = await exportInstanceLines(store, instanceId, options.format);
  const base = { format: out.format, lineCount: out.lineCount, bytes: out.bytes.length, fileName: options.path ? basename(options.path) : out.fileName };
  if (options.path) {
    await writeFileAtomic(options.path, out.bytes);
    return { ...base, path: options.path };
  }
  return { ...base, data: Buffer.from(out.bytes).toString('base64') };
}
