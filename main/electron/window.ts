import { app, BrowserWindow, dialog, screen, session, type WebContents } from 'electron';
import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';
import { APP_ORIGIN, isAppUrl } from './ipc';
import { shellText } from './shell-text';
import { loadWindowState, MIN_SIZE, restoreBounds, saveWindowState } from './window-state';

/** Locks down every web contents: no navigation away, no new windows, no permissions, CSP on every response. */
export function hardenSessions(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

export function createMainWindow(preloadPath: string, stateFile?: string): BrowserWindow {
  const restored = restoreBounds(stateFile ? loadWindowState(stateFile) : undefined, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    ...restored.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Linekeeper',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => {
    if (restored.maximized) win.maximize();
    win.show();
  });
  if (stateFile) {
    // Remembered on close: the size before maximising, and whether it was maximised.
    win.on('close', () => {
      try {
        saveWindowState(stateFile, { bounds: win.getNormalBounds(), maximized: win.isMaximized() });
      } catch {
        /* a read-only profile only loses the remembered size */
      }
    });
  }
  // The console refuses to unload while it holds unsaved edits; Electron has no question of its own, so ask here.
  win.webContents.on('will-prevent-unload', (event) => {
    const text = shellText(app.getLocale());
    const choice = dialog.showMessageBoxSync(win, { type: 'question', buttons: [text.leaveUnsaved, text.stay], defaultId: 1, cancelId: 1, message: text.unsavedAsk });
    if (choice === 0) event.preventDefault();
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

export function preloadPath(): string {
  return join(app.getAppPath(), 'out', 'preload', 'preload.cjs');
}
