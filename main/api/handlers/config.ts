import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { backupConfiguration, restoreConfiguration } from '../../engine/instances';
import { readSettings, updateSettings } from '../../store';
import { coded } from '../../../shared/problems';

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
      s.logger.child('config').info(coded('logApp.configRestored', { documents: result.restored.length, removed: result.removed.length, file: result.safetyFile }));
      return result;
    },
  };
}
