import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { readSettings, updateSettings } from '../../store';
import { PRODUCT_NAME, PRODUCT_VERSION } from '../../version';

type AppHandlers = Pick<Handlers, 'app.info' | 'log.recent' | 'log.settings' | 'log.configure' | 'log.deleteOld' | 'log.reportError'>;

export function appHandlers(s: Services): AppHandlers {
  // Level and keep-days live in the saved global settings, so the Settings page and the log view agree.
  const logSettings = async () => {
    const saved = await readSettings(s.docs);
    return { level: s.logger.level, directory: s.logger.directory, keepDays: saved.logKeepDays };
  };
  return {
    'app.info': () => ({
      product: PRODUCT_NAME,
      version: PRODUCT_VERSION,
      transport: s.options.transport,
      dataDir: s.options.dataDir,
      platform: process.platform,
    }),
    'log.recent': ({ limit, minLevel }) => s.logger.recent(limit, minLevel),
    'log.settings': logSettings,
    'log.configure': async ({ level, keepDays }) => {
      const saved = await updateSettings(s.docs, { ...(level && { logLevel: level }), ...(keepDays !== undefined && { logKeepDays: keepDays }) });
      s.logger.level = saved.logLevel;
      s.bus.emit('settings.changed', saved);
      s.logger.log('info', 'app', `log level ${saved.logLevel}, keep ${saved.logKeepDays} days`);
      return logSettings();
    },
    'log.reportError': ({ message, stack, componentStack }) => {
      const where = [stack, componentStack && `in the component tree:${componentStack}`].filter(Boolean).join('\n');
      s.logger.log('error', 'console', where ? `${message}\n${where}` : message);
      return { logged: true as const };
    },
    'log.deleteOld': ({ olderThanDays }) => ({ deleted: s.logger.deleteOlderThan(olderThanDays) }),
  };
}
