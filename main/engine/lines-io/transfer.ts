import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { ApiFailure } from '../../../shared/api/errors';
import { LINES_IMPORT_MAX_BYTES, LINES_PREVIEW_LIST_MAX, type LinesExportResult, type LinesImportPreview, type LinesImportResult } from '../../../shared/api/lines-io';
import type { InstanceStore } from '../instances';
import { defaultFormat, ExportNotLossless, exportLines } from './export';
import { parseImport, previewImport, type ImportPreview } from './preview';
import type { LinesFormat } from './row';

export const LinesIoErrorCodes = {
  /** The import file has bad rows and skipping them was not chosen; nothing was imported. */
  hasErrors: 'LINES_IMPORT_HAS_ERRORS',
  /** The import file cannot be read (missing, a folder). */
  unreadable: 'LINES_FILE_UNREADABLE',
  /** The import file is larger than LINES_IMPORT_MAX_BYTES; refused before reading it. Details: size, limit. */
  tooLarge: 'LINES_FILE_TOO_LARGE',
  /** A line cannot be written in the chosen format without loss; nothing was written. */
  lossy: 'LINES_EXPORT_LOSSY',
  /** The export file cannot be written. */
  writeFailed: 'LINES_FILE_WRITE_FAILED',
} as const;

export interface ImportSource {
  bytes: Uint8Array;
  format?: LinesFormat;
  fileName?: string;
}

export function tooLarge(size: number): ApiFailure {
  return new ApiFailure(
    LinesIoErrorCodes.tooLarge,
    `the import file has ${size} bytes, more than the ${LINES_IMPORT_MAX_BYTES} (${LINES_IMPORT_MAX_BYTES / 1024 / 1024} MB) an import may have; split it into smaller files`,
    { size, limit: LINES_IMPORT_MAX_BYTES, limitMB: LINES_IMPORT_MAX_BYTES / 1024 / 1024 },
  );
}

/**
 * Reads a file named on the command line. Its size is checked on the open handle before any byte is read,
 * so refusing a file of any size costs one stat.
 */
export async function readImportFile(path: string): Promise<Uint8Array> {
  let fh;
  try {
    fh = await open(path, 'r');
    const info = await fh.stat();
    if (info.isDirectory()) throw Object.assign(new Error('it is a folder'), { code: 'EISDIR' });
    if (info.size > LINES_IMPORT_MAX_BYTES) throw tooLarge(info.size);
    const bytes = await fh.readFile();
    if (bytes.length > LINES_IMPORT_MAX_BYTES) throw tooLarge(bytes.length);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  } catch (e) {
    if (e instanceof ApiFailure) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new ApiFailure(LinesIoErrorCodes.unreadable, `cannot read the import file ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, { path });
  } finally {
    await fh?.close();
  }
}

function toView(p: ImportPreview): LinesImportPreview {
  const { result: _result, ...view } = p;
  const counts = { added: p.added.length, changed: p.changed.length, unchanged: p.unchanged.length, errors: p.errors.length, warnings: p.warnings.length };
  return { ...view, counts };
}

/** The preview as the API sends it: each list cut to LINES_PREVIEW_LIST_MAX entries, the counts whole. */
export function limitPreviewLists<T extends LinesImportPreview>(p: T): T {
  const cut = <E>(list: E[]) => (list.length > LINES_PREVIEW_LIST_MAX ? list.slice(0, LINES_PREVIEW_LIST_MAX) : list);
  return { ...p, added: cut(p.added), changed: cut(p.changed), unchanged: cut(p.unchanged), errors: cut(p.errors), warnings: cut(p.warnings) };
}

async function previewFor(store: InstanceStore, instanceId: string, source: ImportSource) {
  const inst = await store.get(instanceId);
  if (source.bytes.length > LINES_IMPORT_MAX_BYTES) throw tooLarge(source.bytes.length);
  const format = source.format ?? defaultFormat(source.fileName, inst.family);
  const parsed = parseImport(source.bytes, format);
  return { inst, parsed, preview: previewImport(inst.lines, parsed, inst.family) };
}

/** What importing the file into the instance would do; writes nothing. */
export async function previewLinesImport(store: InstanceStore, instanceId: string, source: ImportSource): Promise<LinesImportPreview> {
  return toView((await previewFor(store, instanceId, source)).preview);
}

/**
 * The error names the bad rows by line, field and code but quotes nothing of the file: errors reach logs,
 * and what a row holds is the preview's business (which only the caller who sent the file sees).
 */
function hasErrors(preview: ImportPreview): ApiFailure {
  const first = preview.errors[0];
  const n = preview.errors.length;
  return new ApiFailure(
    LinesIoErrorCodes.hasErrors,
    `the file has ${n} bad row${n === 1 ? '' : 's'} (first on line ${first.line}); nothing was imported — fix the file or skip the bad rows`,
    { count: n, errors: preview.errors.slice(0, 100).map(({ line, field, code }) => ({ line, field, code })) },
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

/** Export for the API: the file's bytes as base64, for the console to offer as a download (it never names a path). */
export async function exportLinesData(store: InstanceStore, instanceId: string, format?: LinesFormat): Promise<LinesExportResult> {
  const out = await exportInstanceLines(store, instanceId, format);
  return { format: out.format, lineCount: out.lineCount, bytes: out.bytes.length, fileName: out.fileName, data: Buffer.from(out.bytes).toString('base64') };
}
