import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { PRODUCT_NAME, PRODUCT_VERSION } from '../../version';

type AppHandlers = Pick<Handlers, 'app.info' | 'log.recent' | 'log.settings' | 'log.configure' | 'log.deleteOld'>;

export function appHandlers(s: Services): AppHandlers {
  let keepDays = 30;
  const settings = () => ({ level: s.logger.level, directory: s.logger.directory, keepDays });
  return {
    'app.info': () => ({
      product: PRODUCT_NAME,
      version: PRODUCT_VERSION,
      transport: s.options.transport,
      dataDir: s.options.dataDir,
      platform: process.platform,
    }),
    'log.recent': ({ limit, minLevel }) => s.logger.recent(limit, minLevel),
    'log.settings': settings,
    'log.configure': ({ level, keepDays: days }) => {
      if (level) s.logger.level = level;
      if (days !== undefined) keepDays = days;
      s.logger.log('info', 'app', `log level ${s.logger.level}, keep ${keepDays} days`);
      return settings();
    },
    'log.deleteOld': ({ olderThanDays }) => ({ deleted: s.logger.deleteOlderThan(olderThanDays) }),
  };
}
