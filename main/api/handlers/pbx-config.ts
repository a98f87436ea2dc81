import { ApiFailure, ErrorCodes } from '../../../shared/api/errors';
import { DriverFailure } from '../../drivers/driver';
import { familyOf, type FamilyDriver } from '../../drivers/registry';
import type { FamilyConfigHelper } from '../../drivers/family';
import type { Instance } from '../../../shared/model/instance';
import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { coded } from '../../../shared/problems';

type PbxConfigHandlers = Pick<Handlers, 'pbxConfig.choices' | 'pbxConfig.commands' | 'pbxConfig.apply'>;

/** A family's configuration helpers (its spec's `configHelpers`): commands to copy, choices read from the PBX, applying. */
export function pbxConfigHandlers(s: Services): PbxConfigHandlers {
  const helperOf = async (instanceId: string, id: string): Promise<{ instance: Instance; family: FamilyDriver; helper: FamilyConfigHelper; applies: boolean }> => {
    const instance = await s.instances.get(instanceId);
    const family = familyOf(s.registry, instance.family);
    const spec = family.spec.configHelpers?.find((h) => h.id === id);
    const helper = family.configHelpers?.[id];
    if (!spec || !helper) throw new ApiFailure(ErrorCodes.notFound, `the ${instance.family} family has no configuration helper "${id}"`);
    return { instance, family, helper, applies: spec.applies && !!helper.apply };
  };
  // As the runtime connects: with the stored password and the pinned certificate.
  const settingsOf = (instance: Instance) => s.drivers.settingsOf(instance);
  const asApi = (e: unknown): never => {
    if (e instanceof DriverFailure) throw new ApiFailure(e.code, e.message, e.params);
    throw e;
  };
  return {
    'pbxConfig.choices': async ({ instanceId, helper: id }) => {
      const { instance, helper } = await helperOf(instanceId, id);
      if (!helper.choices) return { choices: [] };
      return { choices: await helper.choices(await settingsOf(instance)).catch(asApi) };
    },
    'pbxConfig.commands': async ({ instanceId, helper: id, options }) => {
      const { helper, applies } = await helperOf(instanceId, id);
      return { ...helper.commands(options), applies };
    },
    'pbxConfig.apply': async ({ instanceId, helper: id, options }) => {
      const { instance, helper, applies } = await helperOf(instanceId, id);
      if (!applies) throw new ApiFailure('NOT_SUPPORTED', `the configuration helper "${id}" only shows its commands to copy`);
      const { lines } = helper.commands(options);
      const r = await helper.apply!(await settingsOf(instance), lines).catch(asApi);
      const log = s.logger.child('config');
      if (r.ok) {
        log.info(coded('logApp.pbxConfigApplied', { instance: instance.name, helper: id, count: lines.length }));
        return { applied: lines.length };
      }
      log.warn(coded('logApp.pbxConfigRefused', { instance: instance.name, helper: id, line: r.line, command: r.command, detail: r.error, applied: r.line - 1 }));
      throw new ApiFailure('PBX_CONFIG_LINE_FAILED', `the PBX refused line ${r.line} "${r.command}": ${r.error}; the ${r.line - 1} lines before it are applied`, { line: r.line, command: r.command, error: r.error, applied: r.line - 1 });
    },
  };
}
