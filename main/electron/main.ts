import { app, crashReporter, ipcMain, protocol, shell, type BrowserWindow } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { createServices } from '../app/services';
import { createApi } from '../api';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';
import { forwardEvents, registerIpcHandlers } from './ipc';
import { createMainWindow, hardenSessions, preloadPath } from './window';
import { appSecretStore } from './secrets';
import { startDemoWithLines } from '../engine/demo/first-start';
import { consoleDataDir } from '../services-control/data-dir';
import { setUpShell } from './shell';
import { coded } from '../../shared/problems';
import { guardProcess } from '../log/process-guard';

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

function dataDirOverride(): string | undefined {
  const flag = process.argv.find((a) => a.startsWith('--data-dir='));
  return flag ? flag.slice('--data-dir='.length) : process.env.LINEKEEPER_DATA_DIR;
}

// Tests and portable installs pick their own data directory; must happen before anything reads userData.
const override = dataDirOverride();
if (override) app.setPath('userData', override);
// Settings and secrets live in the data directory the services share where the installer made one; Chromium's
// own profile stays in userData.
const data = consoleDataDir({ override });
// In the shared directory the service account must be able to read (and the group to replace) what we write.
if (data.shared && process.platform !== 'win32') process.umask(0o007);

// Crash dumps stay on this machine (app.getPath('crashDumps')); the support bundle carries them on request.
crashReporter.start({ uploadToServer: false, compress: true });
app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const singleInstance = process.env.LINEKEEPER_ALLOW_SECOND_INSTANCE === '1' || app.requestSingleInstanceLock();
if (!singleInstance) app.quit();

let mainWindow: BrowserWindow | null = null;

app.on('second-instance', () => {
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
});

/** Serves the built renderer from the app folder under app://console, never from file://. */
function registerAppProtocol(root: string): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const rel = url.pathname === '/' ? '/index.html' : decodeURIComponent(url.pathname);
    const file = normalize(join(root, rel));
    if (url.host !== 'console' || !file.startsWith(root + sep)) return new Response('forbidden', { status: 403 });
    try {
      const body = await readFile(file);
      return new Response(body, { headers: { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CONTENT_SECURITY_POLICY } });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

if (singleInstance) {
  void app.whenReady().then(async () => {
    const secrets = await appSecretStore(data.dir);
    const services = createServices({ dataDir: data.dir, transport: 'electron', secretStore: secrets.store, openFolder: (dir) => shell.openPath(dir) });
    // The window's engines serve PBX links and servers: an error that escaped its handler is logged, not fatal.
    guardProcess('Linekeeper', (m) => services.logger.log('error', 'process', coded('logApp.processError', { detail: m })));
    services.logger.log('info', 'app', coded('logApp.started', { version: app.getVersion(), folder: data.dir, ...(data.shared ? { shared: 'yes' } : {}) }));
    if (secrets.migrated.length > 0) services.logger.log('info', 'app', coded('logApp.passwordsMoved', { count: secrets.migrated.length }));
    if (secrets.warning) services.logger.log('warn', 'app', secrets.warning);
    hardenSessions();
    registerAppProtocol(join(app.getAppPath(), 'out', 'renderer'));
    registerIpcHandlers(ipcMain, createApi(services));
    forwardEvents(services.bus, () => mainWindow?.webContents ?? null);
    if (process.argv.includes('--demo')) {
      startDemoWithLines(services).catch((e) => services.logger.log('warn', 'demo', coded('logApp.demoNotStarted', { detail: (e as Error).message })));
    }
    setUpShell(services, () => mainWindow);
    mainWindow = createMainWindow(preloadPath(), join(app.getPath('userData'), 'window-state.json'));
    mainWindow.on('closed', () => (mainWindow = null));
    app.on('window-all-closed', () => app.quit());
    app.on('before-quit', () => void services.dispose());
  });
}
