import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { applyLinesImport, exportLinesData, limitPreviewLists, previewLinesImport, tooLarge, type ImportSource } from '../../engine/lines-io';
import { LINES_IMPORT_MAX_BYTES, type LinesFormat } from '../../../shared/api/lines-io';
import { coded } from '../../../shared/problems';

type LinesIoHandlers = Pick<Handlers, 'lines.importPreview' | 'lines.importApply' | 'lines.export'>;

/** The file comes as bytes from the console; no API method reads or writes a path a caller names. */
function source(input: { data: string; format?: LinesFormat; fileName?: string }): ImportSource {
  // Refused by the length of the text before decoding it: base64 takes 4 characters for 3 bytes.
  if (input.data.length > Math.ceil(LINES_IMPORT_MAX_BYTES / 3) * 4) throw tooLarge(Math.floor((input.data.length * 3) / 4));
  return { bytes: new Uint8Array(Buffer.from(input.data, 'base64')), format: input.format, fileName: input.fileName };
}

export function linesIoHandlers(s: Services): LinesIoHandlers {
  const log = s.logger.child('lines-io');
  return {
    'lines.importPreview': async (input) => limitPreviewLists(await previewLinesImport(s.instances, input.instanceId, source(input))),
    'lines.importApply': async (input) => {
      const result = await applyLinesImport(s.instances, input.instanceId, { ...source(input), skipBad: input.skipBad });
      // The instance by name in the log; it was just written, so only a removal in between leaves its ID.
      const instance = await s.instances.get(input.instanceId).then((i) => i.name, () => input.instanceId);
      log.info(coded('logApp.linesImported', { instance, added: result.added.length, changed: result.changed.length, unchanged: result.unchanged.length, skipped: result.errors.length }));
      return limitPreviewLists(result);
    },
    'lines.export': (input) => exportLinesData(s.instances, input.instanceId, input.format),
  };
}
