export { decodeText, decodeWindows1252, encodeUtf8, type TextEncoding } from './decode';
export { parseCsv, readCsv, detectDelimiter, formatCsvRecord, type CsvRecord, type CsvDelimiter } from './csv';
export { readTextFormat, readCmeFormat, writeTextFormat, writeCmeFormat } from './text-formats';
export { parseCsvFormat, writeCsvFormat } from './csv-format';
export {
  parseImport,
  previewImport,
  applyImport,
  ImportHasErrors,
  type ParsedImport,
  type ImportPreview,
  type AddedLine,
  type ChangedLine,
  type UnchangedLine,
} from './preview';
export { exportLines, defaultFormat, ExportNotLossless } from './export';
export { LINES_FORMATS, LINE_FIELDS, changedFields, type LinesFormat, type LineField, type ImportRow, type RowProblem } from './row';
export {
  LinesIoErrorCodes,
  readImportFile,
  previewLinesImport,
  applyLinesImport,
  exportInstanceLines,
  exportLinesData,
  tooLarge,
  limitPreviewLists,
  writeFileAtomic,
  type ImportSource,
} from './transfer';
