import { join } from 'node:path';
import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { INSTANCE_PREFIX, INSTANCE_SPEC } from '../../engine/instances';
import { createConfigBackup, parseConfigBackup, readSettings, restoreConfigBackup, SETTINGS_SPEC, updateSettings } from '../../store';

type ConfigHandlers = Pick<Handlers, 'settings.get' | 'settings.update' | 'config.backup' | 'config.restore'>;

export function configHandlers(s: Services): ConfigHandlers {
  return {
    'settings.get': () => readSettings(s.docs),
    'settings.update': async (patch) => {
      const saved = await updateSettings(s.docs, patch);
      s.logger.level = saved.logLevel;
      s.bus.emit('settings.changed', saved);
      return saved;
    },
    'config.backup': () => createConfigBackup(s.docs),
    'config.restore': async ({ backup }) => {
      const parsed = parseConfigBackup(backup);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const result = await restoreConfigBackup(s.docs, parsed, {
        specs: [INSTANCE_SPEC, SETTINGS_SPEC],
        replacePrefixes: [INSTANCE_PREFIX],
        safetyFile: join(s.options.dataDir, 'backups', `before-restore-${stamp}.json`),
      });
      await s.instances.pruneSecrets();
      for (const name of result.restored) if (name.startsWith(INSTANCE_PREFIX)) s.instances.announce({ instanceId: name.slice(INSTANCE_PREFIX.length), kind: 'updated' });
      for (const name of result.removed) s.instances.announce({ instanceId: name.slice(INSTANCE_PREFIX.length), kind: 'deleted' });
      s.logger.child('config').info(`configuration restored: ${result.restored.length} documents, ${result.removed.length} instances removed; previous configuration in ${result.safetyFile}`);
      return result;
    },
  };
}
