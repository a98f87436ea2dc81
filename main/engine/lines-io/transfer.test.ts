import { describe, expect, it } from 'vitest';
import type { Instance } from '../../../shared/model/instance';
import type { Line } from '../../../shared/model/line';
import type { InstanceStore } from '../instances';
import { encodeUtf8 } from './decode';
import { applyLinesImport } from './transfer';

/** A store whose lines change between the preview and the write, as when someone edits lines meanwhile. */
function storeChangingTo(family: Instance['family'], atPreview: Line[], atWrite: Line[]) {
  const written: Line[][] = [];
  const store = {
    get: async () => ({ id: 'i1', name: 'PBX', family, lines: atPreview }) as unknown as Instance,
    updateLines: async (_id: string, fn: (lines: Line[]) => Line[]) => {
      const lines = fn(atWrite.map((l) => ({ ...l })));
      written.push(lines);
      return { lines } as unknown as Instance;
    },
  } as unknown as InstanceStore;
  return { store, written };
}

describe('applying an import when the lines changed after the preview', () => {
  it('merges into the lines as they are at the moment of writing', async () => {
    const { store, written } = storeChangingTo('panasonic', [], [{ number: '100', name: 'Added meanwhile' }]);
    const result = await applyLinesImport(store, 'i1', { bytes: encodeUtf8('100,From file\n101,New\n', false), format: 'text' });
    expect(written).toEqual([[{ number: '100', name: 'From file' }, { number: '101', name: 'New' }]]);
    expect(result).toMatchObject({ applied: true, changed: [{ line: 1, fields: ['name'] }], added: [{ line: 2 }] });
  });

  it('writes nothing when a row became bad meanwhile (a CME device taken by another number)', async () => {
    const { store, written } = storeChangingTo('cme', [], [{ number: '300', name: 'Meanwhile', deviceId: 'SEP001122334455' }]);
    const error = await applyLinesImport(store, 'i1', { bytes: encodeUtf8('100;Alice;SEP001122334455\n', false), format: 'cme' }).catch((e) => e);
    expect(error).toMatchObject({ code: 'LINES_IMPORT_HAS_ERRORS', message: expect.stringContaining('line 1') });
    expect(written).toEqual([]);
  });
});
