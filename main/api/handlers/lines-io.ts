import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { applyLinesImport, exportLinesTo, previewLinesImport, readImportFile, type ImportSource } from '../../engine/lines-io';
import type { LinesFormat } from '../../../shared/api/lines-io';

type LinesIoHandlers = Pick<Handlers, 'lines.importPreview' | 'lines.importApply' | 'lines.export'>;

async function source(input: { path?: string; data?: string; format?: LinesFormat; fileName?: string }): Promise<ImportSource> {
  const bytes = input.path !== undefined ? await readImportFile(input.path) : new Uint8Array(Buffer.from(input.data ?? '', 'base64'));
  return { bytes, format: input.format, fileName: input.fileName ?? input.path };
}

export function linesIoHandlers(s: Services): LinesIoHandlers {
  const log = s.logger.child('lines-io');
  return {
    'lines.importPreview': async (input) => previewLinesImport(s.instances, input.instanceId, await source(input)),
    'lines.importApply': async (input) => {
      const result = await applyLinesImport(s.instances, input.instanceId, { ...(await source(input)), skipBad: input.skipBad });
      log.info(`import into ${input.instanceId}: ${result.added.length} added, ${result.changed.length} changed, ${result.unchanged.length} unchanged, ${result.errors.length} bad rows skipped`);
      return result;
    },
    'lines.export': (input) => exportLinesTo(s.instances, input.instanceId, { format: input.format, path: input.path }),
  };
}
