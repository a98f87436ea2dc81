import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { ApiFailure, ErrorCodes } from '../../../shared/api/errors';
import type { DocumentProblem, InstanceDetails, LineRef } from '../../../shared/api/instances';
import { instanceProblems, lineKey, type Family, type Instance } from '../../../shared/model/instance';
import type { Line } from '../../../shared/model/line';
import { INSTANCE_PREFIX, type InstanceStore } from '../../engine/instances';
import type { UnreadableDetails } from '../../store';
import { linesShownAs } from '../../engine/location';

type InstancesHandlers = Pick<
  Handlers,
  | 'instances.list'
  | 'instances.get'
  | 'instances.create'
  | 'instances.commit'
  | 'instances.rename'
  | 'instances.duplicate'
  | 'instances.delete'
  | 'instances.update'
  | 'instances.setSecret'
  | 'instances.restoreBackup'
  | 'lines.list'
  | 'lines.add'
  | 'lines.update'
  | 'lines.delete'
>;

export async function instanceDetails(store: InstanceStore, inst: Instance): Promise<InstanceDetails> {
  const { lines, ...rest } = inst;
  return { ...rest, lineCount: lines.length, secrets: await store.secretStatus(inst.id), problems: instanceProblems(inst) };
}

function findLine(family: Family, lines: Line[], ref: LineRef): number {
  const key = lineKey(family, { number: ref.number.trim(), deviceId: ref.deviceId?.trim() || undefined });
  return lines.findIndex((l) => lineKey(family, l) === key);
}

function describeRef(ref: LineRef): string {
  return ref.deviceId ? `${ref.number} (device ${ref.deviceId})` : ref.number;
}

export function instancesHandlers(s: Services): InstancesHandlers {
  const store = s.instances;
  const details = (inst: Instance) => instanceDetails(store, inst);
  return {
    'instances.list': async () => {
      const problems: DocumentProblem[] = (await store.problems()).map((p) => {
        const d = p.details as Partial<UnreadableDetails> | undefined;
        return { document: p.document, code: p.code, message: p.message, name: p.name, backupFile: d?.backupFile ?? null, backupSavedAt: d?.backupSavedAt ?? null };
      });
      return { instances: await store.summaries(), problems };
    },
    'instances.get': async ({ id }) => details(await store.get(id)),
    'instances.create': async (input) => {
      if (!Object.hasOwn(s.registry, input.family)) {
        throw new ApiFailure(ErrorCodes.invalidInput, `family: must be one of ${Object.keys(s.registry).join(', ')}, got "${input.family}"`, { issues: [{ path: 'family', message: `unknown family "${input.family}"` }] });
      }
      const { pending, ...fields } = input;
      return details(await (pending ? store.createPending(fields) : store.create(fields)));
    },
    'instances.commit': async ({ id }) => details(await store.commit(id)),
    'instances.rename': async ({ id, name }) => details(await store.rename(id, name)),
    'instances.duplicate': async ({ id, name }) => details(await store.duplicate(id, name)),
    'instances.delete': async ({ id, confirmName }) => {
      const inst = await store.get(id);
      // A wizard's unsaved instance holds nothing yet: Cancel drops it without the name confirmation.
      if (store.isPending(id)) {
        await store.delete(id);
        return { deleted: inst.name };
      }
      if (confirmName.trim().toLowerCase() !== inst.name.toLowerCase()) {
        throw new ApiFailure('CONFIRMATION_REQUIRED', `to delete instance "${inst.name}" with its ${inst.lines.length} lines, confirm with its name`, { name: inst.name });
      }
      await store.delete(id);
      return { deleted: inst.name };
    },
    'instances.update': async ({ id, patch }) => details(await store.update(id, patch)),
    'instances.setSecret': async ({ id, field, value }) => {
      await store.setSecret(id, field, value);
      return { secrets: await store.secretStatus(id) };
    },
    'instances.restoreBackup': async ({ document }) => {
      if (!document.startsWith(INSTANCE_PREFIX)) throw new ApiFailure(ErrorCodes.invalidInput, `"${document}" is not an instance document`);
      return details(await store.restoreFromBackup(document.slice(INSTANCE_PREFIX.length)));
    },

    'lines.list': async ({ instanceId, offset, limit }) => {
      const inst = await store.get(instanceId);
      const lines = inst.lines.slice(offset, offset + limit);
      return { total: inst.lines.length, lines, shownAs: linesShownAs(inst.location, lines.map((l) => l.number)) };
    },
    'lines.add': async ({ instanceId, line }) => {
      const saved = await store.updateLines(instanceId, (lines) => [...lines, line]);
      return { line: saved.lines[saved.lines.length - 1], lineCount: saved.lines.length };
    },
    'lines.update': async ({ instanceId, ref, line }) => {
      let at = -1;
      const saved = await store.updateLines(instanceId, (lines, inst) => {
        at = findLine(inst.family, lines, ref);
        if (at < 0) throw new ApiFailure(ErrorCodes.notFound, `instance "${inst.name}" has no line ${describeRef(ref)}`, { ref });
        lines[at] = line;
        return lines;
      });
      return { line: saved.lines[at], lineCount: saved.lines.length };
    },
    'lines.delete': async ({ instanceId, refs }) => {
      let deleted = 0;
      const saved = await store.updateLines(instanceId, (lines, inst) => {
        const drop = new Set<number>();
        const missing: string[] = [];
        for (const ref of refs) {
          const at = findLine(inst.family, lines, ref);
          if (at < 0) missing.push(describeRef(ref));
          else drop.add(at);
        }
        if (missing.length) throw new ApiFailure(ErrorCodes.notFound, `instance "${inst.name}" has no line ${missing.join(', ')}; nothing was deleted`, { missing });
        deleted = drop.size;
        return lines.filter((_, i) => !drop.has(i));
      });
      return { deleted, lineCount: saved.lines.length };
    },
  };
}
