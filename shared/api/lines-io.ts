import { z } from 'zod';
import { method } from './define';
import type { Line } from '../model/line';
import type { Coded } from '../problems';

/** `text`: Panasonic/BroadWorks `number[,name]`; `cme`: `number;name;device-ID;button;…`; `csv`: with a header row. */
export const LINES_FORMATS = ['text', 'cme', 'csv'] as const;
export type LinesFormat = (typeof LINES_FORMATS)[number];

/** Larger import files are refused before they are read (LINES_FILE_TOO_LARGE); 1,000,000 CME lines as CSV take about 50 MB. */
export const LINES_IMPORT_MAX_BYTES = 64 * 1024 * 1024;

/**
 * A bad row (or a problem with the whole file, then on its first line), by file line number (1-based).
 * With a code (`LINES_CONTROL_CHARACTER`: params line, field, character as `U+0000`) the console words it from
 * the code and params; `message` is the English for the command line.
 */
export interface LinesRowProblem {
  line: number;
  message: string;
  field?: string;
  code?: string;
  params?: Coded['params'];
}

/**
 * Over the API each list holds at most this many entries (the first in file order), so a preview of a million
 * rows is a small answer; `counts` says how many there are. The command line gets every entry.
 */
export const LINES_PREVIEW_LIST_MAX = 1000;

export interface LinesImportPreview {
  format: LinesFormat;
  /** How the file's bytes were read: utf-8, utf-8-bom, utf-16le, utf-16be or windows-1252. */
  encoding: string;
  delimiter?: ',' | ';';
  /** How many rows each list has in full. */
  counts: { added: number; changed: number; unchanged: number; errors: number; warnings: number };
  added: Array<{ line: number; after: Line }>;
  changed: Array<{ line: number; before: Line; after: Line; fields: string[] }>;
  unchanged: Array<{ line: number; number: string }>;
  errors: LinesRowProblem[];
  warnings: LinesRowProblem[];
}

export interface LinesImportResult extends LinesImportPreview {
  /** False when there was nothing to change. */
  applied: boolean;
  lineCount: number;
}

export interface LinesExportResult {
  format: LinesFormat;
  lineCount: number;
  bytes: number;
  /** A file name to offer in the download (the browser's or Electron's save dialog). */
  fileName: string;
  /** The file's bytes, base64. */
  data: string;
}

const id = z.string().min(1);
const format = z.enum(LINES_FORMATS).optional();

/**
 * The file to import, as its bytes (base64) from the console's file picker or a browser upload. The API never
 * takes a path: whoever can call it must not make main read (or, on export, write) any file they name.
 */
const importSource = z
  .object({
    instanceId: id,
    format,
    /** Over LINES_IMPORT_MAX_BYTES: LINES_FILE_TOO_LARGE, refused before decoding. */
    data: z.string(),
    /** For choosing the format when none is given (`.csv` means CSV). */
    fileName: z.string().max(1024).optional(),
  })
  .strict();

export const linesIoMethods = {
  /** Reads the file and says what importing it would do; changes nothing. */
  'lines.importPreview': method<LinesImportPreview>()(importSource),
  /** Imports all or nothing: with any error nothing is applied (LINES_IMPORT_HAS_ERRORS) unless skipBad. */
  'lines.importApply': method<LinesImportResult>()(importSource.extend({ skipBad: z.boolean().default(false) })),
  /** The instance's lines as a file's bytes (base64), which the console offers as a download. */
  'lines.export': method<LinesExportResult>()(z.object({ instanceId: id, format }).strict()),
};
