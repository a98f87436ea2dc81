import { z } from 'zod';
import { method } from './define';
import type { Line } from '../model/line';

/** `text`: Panasonic/BroadWorks `number[,name]`; `cme`: `number;name;device-ID;button;…`; `csv`: with a header row. */
export const LINES_FORMATS = ['text', 'cme', 'csv'] as const;
export type LinesFormat = (typeof LINES_FORMATS)[number];

/** A bad row (or a problem with the whole file, then on its first line), by file line number (1-based). */
export interface LinesRowProblem {
  line: number;
  message: string;
  field?: string;
}

export interface LinesImportPreview {
  format: LinesFormat;
  /** How the file's bytes were read: utf-8, utf-8-bom, utf-16le, utf-16be or windows-1252. */
  encoding: string;
  delimiter?: ',' | ';';
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
  /** A file name to offer in a save dialog. */
  fileName: string;
  /** Set when the file was written by main. */
  path?: string;
  /** The file's bytes, base64, when no path was given. */
  data?: string;
}

const id = z.string().min(1);
const format = z.enum(LINES_FORMATS).optional();

/** The file to import: a path main reads, or the bytes (base64) from a browser upload. Exactly one. */
const importSource = z
  .object({
    instanceId: id,
    format,
    path: z.string().min(1).optional(),
    data: z.string().optional(),
    /** For choosing the format when none is given (`.csv` means CSV). */
    fileName: z.string().optional(),
  })
  .strict();
const oneSource = (v: { path?: string; data?: string }) => (v.path === undefined) !== (v.data === undefined);
const oneSourceMessage = { message: 'give either path or data (base64), not both or neither', path: ['path'] };

export const linesIoMethods = {
  /** Reads the file and says what importing it would do; changes nothing. */
  'lines.importPreview': method<LinesImportPreview>()(importSource.refine(oneSource, oneSourceMessage)),
  /** Imports all or nothing: with any error nothing is applied (LINES_IMPORT_HAS_ERRORS) unless skipBad. */
  'lines.importApply': method<LinesImportResult>()(importSource.extend({ skipBad: z.boolean().default(false) }).refine(oneSource, oneSourceMessage)),
  /** The instance's lines as a file: written to `path` when given, else returned as base64 `data`. */
  'lines.export': method<LinesExportResult>()(z.object({ instanceId: id, format, path: z.string().min(1).optional() }).strict()),
};
