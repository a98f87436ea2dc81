import { app, dialog, Menu, shell, type BrowserWindow } from 'electron';
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// CommonJS whose autoUpdater is a getter Node's ESM loader cannot name: taken from the default export.
import electronUpdater from 'electron-updater';
import type { Services } from '../app/services';
import { writeSupportBundle } from '../support/bundle';
import { runtimeVersions } from '../support/versions';
import { PRODUCT_NAME } from '../version';
import { macInstallScript, macRemoveScript } from './mac-setup';
import { menuTemplate } from './menu-template';
import { aboutDetail, fill, shellText } from './shell-text';
import { selfUpdating } from './updates';
import { coded } from '../../shared/problems';

/** The native parts around the console: menu, About, support bundle, the macOS command offer, updates. */
export function setUpShell(services: Services, window: () => BrowserWindow | null): void {
  const text = shellText(app.getLocale());
  const log = services.logger.child('shell');
  const parent = () => window() ?? undefined;
  const message = (opts: Electron.MessageBoxOptions) => {
    const w = parent();
    return w ? dialog.showMessageBox(w, opts) : dialog.showMessageBox(opts);
  };

  const about = () => void message({ type: 'info', title: text.about, message: `${PRODUCT_NAME} ${app.getVersion()}`, detail: aboutDetail(runtimeVersions()) });

  const exportSupportBundle = async () => {
    const w = parent();
    const options = { defaultPath: join(app.getPath('documents'), `linekeeper-support-${new Date().toISOString().slice(0, 10)}.zip`), filters: [{ name: 'Zip', extensions: ['zip'] }] };
    const choice = w ? await dialog.showSaveDialog(w, options) : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return;
    try {
      const { files } = writeSupportBundle({ dataDir: services.options.dataDir, crashDumpsDir: app.getPath('crashDumps'), versions: runtimeVersions(), outFile: choice.filePath });
      log.info(coded('logApp.supportBundleWritten', { file: choice.filePath }));
      await message({ type: 'info', message: fill(text.supportSaved, { file: choice.filePath, files: files.length }) });
    } catch (e) {
      log.warn(coded('logApp.supportBundleFailed', { detail: (e as Error).message }));
      await message({ type: 'error', message: fill(text.supportFailed, { message: (e as Error).message }) });
    }
  };

  /** Runs a shell script as root: macOS asks for an administrator's password. */
  const runAsAdmin = (script: string, done: (error: string | undefined) => void) => {
    // AppleScript string: backslashes and quotes escaped.
    const applescript = `do shell script "${script.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '; ')}" with administrator privileges`;
    execFile('osascript', ['-e', applescript], (error, _stdout, stderr) => done(error ? stderr.trim() || error.message : undefined));
  };

  const installCommand = async () => {
    runAsAdmin(macInstallScript(process.resourcesPath), (error) => {
      if (error) {
        log.warn(coded('logApp.commandInstallFailed', { detail: error }));
        void message({ type: 'error', message: fill(text.installFailed, { message: error }) });
      } else {
        log.info(coded('logApp.commandInstalled'));
        void message({ type: 'info', message: text.installDone });
      }
    });
  };

  const removeServices = async () => {
    // Keeping the data is the default (and what Escape chooses is Cancel).
    const r = await message({ type: 'question', message: text.removeAsk, buttons: [text.removeKeepData, text.removeWithData, text.cancel], defaultId: 0, cancelId: 2 });
    if (r.response === 2) return;
    runAsAdmin(macRemoveScript({ removeData: r.response === 1 }), (error) => {
      if (error) {
        log.warn(coded('logApp.servicesRemoveFailed', { detail: error }));
        void message({ type: 'error', message: fill(text.removeFailed, { message: error }) });
      } else {
        log.info(coded(r.response === 1 ? 'logApp.servicesAndDataRemoved' : 'logApp.servicesRemoved'));
        void message({ type: 'info', message: text.removeDone });
      }
    });
  };

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        platform: process.platform,
        isPackaged: app.isPackaged,
        text,
        actions: { about, exportSupportBundle: () => void exportSupportBundle(), openLogs: () => void shell.openPath(services.logger.directory), installCommand: () => void installCommand(), removeServices: () => void removeServices() },
      }),
    ),
  );

  // macOS has no installer step: offer the command once, at the first start of a packaged app.
  const offered = join(app.getPath('userData'), 'command-offered');
  if (process.platform === 'darwin' && app.isPackaged && !existsSync('/usr/local/bin/linekeeper') && !existsSync(offered)) {
    writeFileSync(offered, new Date().toISOString());
    void message({ type: 'question', message: text.installAsk, buttons: [text.install, text.later], defaultId: 0, cancelId: 1 }).then((r) => {
      if (r.response === 0) void installCommand();
    });
  }

  if (app.isPackaged && selfUpdating({ platform: process.platform, execPath: process.execPath, env: process.env, productName: PRODUCT_NAME })) {
    const { autoUpdater } = electronUpdater;
    // The updater's own English goes to the log file; the console says that it reported.
    autoUpdater.logger = {
      info: (m: unknown) => log.info(coded('logApp.updater', { detail: String(m) })),
      warn: (m: unknown) => log.warn(coded('logApp.updater', { detail: String(m) })),
      error: (m: unknown) => log.warn(coded('logApp.updater', { detail: String(m), failed: 'yes' })),
      debug: () => undefined,
    };
    autoUpdater.checkForUpdatesAndNotify().catch((e: Error) => log.warn(coded('logApp.updateCheckFailed', { detail: e.message })));
  }
}
