import { isAbsolute, join } from 'node:path';
import { ApiFailure } from '../../../shared/api/errors';
import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { readSettings, updateSettings } from '../../store';
import { PRODUCT_NAME, PRODUCT_VERSION } from '../../version';
import { checkWritableDirectory } from '../../log/logger';
import { coded } from '../../../shared/problems';

/** The folder the daily log files go to while the admin chose none. */
export const defaultLogDirectory = (dataDir: string) => join(dataDir, 'logs');

/** Checks a chosen log folder: absolute and writable, else a coded failure naming the folder and the cause. */
export function checkLogDirectory(directory: string): void {
  if (!isAbsolute(directory)) throw new ApiFailure('LOG_DIRECTORY_NOT_ABSOLUTE', `log folder "${directory}" is not an absolute path`, { directory });
  try {
    checkWritableDirectory(directory);
  } catch (e) {
    const cause = (e as NodeJS.ErrnoException).code ?? 'EIO';
    throw new ApiFailure('LOG_DIRECTORY_NOT_WRITABLE', `log folder "${directory}" cannot be written (${cause}: ${(e as Error).message}); the logs stay where they were`, { directory, cause });
  }
}

type AppHandlers = Pick<Handlers, 'app.info' | 'log.recent' | 'log.settings' | 'log.configure' | 'log.openFolder' | 'log.deleteOld' | 'log.reportError'>;

export function appHandlers(s: Services): AppHandlers {
  // Level and keep-days live in the saved global settings, so the Settings page and the log view agree.
  const logSettings = async () => {
    const saved = await readSettings(s.docs);
    return { level: s.logger.level, directory: s.logger.directory, defaultDirectory: defaultLogDirectory(s.options.dataDir), keepDays: saved.logKeepDays };
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
    'log.configure': async ({ level, keepDays, directory }) => {
      // the folder is checked before anything is saved: a folder that cannot be written changes nothing
      const target = directory === undefined ? undefined : directory === '' ? defaultLogDirectory(s.options.dataDir) : directory;
      if (target !== undefined) {
        checkLogDirectory(target);
        if (target !== s.logger.directory) s.logger.log('info', 'app', coded('logApp.logFolderChanged', { folder: target }));
        s.logger.useDirectory(target);
      }
      const saved = await updateSettings(s.docs, { ...(level && { logLevel: level }), ...(keepDays !== undefined && { logKeepDays: keepDays }), ...(directory !== undefined && { logDirectory: directory }) });
      s.logger.level = saved.logLevel;
      s.bus.emit('settings.changed', saved);
      s.logger.log('info', 'app', coded('logApp.logSettings', { level: saved.logLevel, days: saved.logKeepDays }));
      return logSettings();
    },
    'log.reportError': ({ message, stack, componentStack }) => {
      const where = [stack, componentStack && `in the component tree:${componentStack}`].filter(Boolean).join('\n');
      s.logger.log('error', 'console', coded('logApp.consoleError', { detail: where ? `${message}\n${where}` : message }));
      return { logged: true as const };
    },
    'log.openFolder': async () => {
      const directory = s.logger.directory;
      if (!s.options.openFolder) throw new ApiFailure('LOG_FOLDER_NOT_OPENED', `this console runs in a browser and cannot open folders on the computer running Linekeeper; the log folder is ${directory}`, { directory, cause: 'browser' });
      const failed = await s.options.openFolder(directory);
      if (failed) throw new ApiFailure('LOG_FOLDER_NOT_OPENED', `the log folder ${directory} could not be opened: ${failed}`, { directory, cause: failed });
      return { directory };
    },
    'log.deleteOld': ({ olderThanDays }) => ({ deleted: s.logger.deleteOlderThan(olderThanDays) }),
  };
}
