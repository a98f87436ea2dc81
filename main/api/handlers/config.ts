import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { backupConfiguration, restoreConfiguration } from '../../engine/instances';
import { readSettings, updateSettings } from '../../store';

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
    'config.backup': () => backupConfiguration(s),
    'config.restore': async ({ backup }) => {
      const result = await restoreConfiguration(s, s.options.dataDir, backup);
      s.logger.child('config').info(`configuration restored: ${result.restored.length} documents, ${result.removed.length} instances removed; previous configuration in ${result.safetyFile}`);
      return result;
    },
  };
}
