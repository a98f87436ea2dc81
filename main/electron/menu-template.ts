import type { MenuItemConstructorOptions } from 'electron';
import type { ShellText } from './shell-text';

export interface MenuActions {
  about(): void;
  exportSupportBundle(): void;
  openLogs(): void;
  /** macOS: put the command and the service in place (offered at first start too). */
  installCommand?(): void;
  /** macOS: stop and remove the daemons and the command; the data only when the admin asks. */
  removeServices?(): void;
}

/**
 * Linekeeper's own application menu instead of Electron's default (whose Help links point at electronjs.org).
 * Developer tools and forced reload only in unpackaged builds.
 */
export function menuTemplate(opts: { platform: NodeJS.Platform; isPackaged: boolean; text: ShellText; actions: MenuActions }): MenuItemConstructorOptions[] {
  const { text, actions } = opts;
  const mac = opts.platform === 'darwin';
  const about: MenuItemConstructorOptions = { label: text.about, click: () => actions.about() };
  const support: MenuItemConstructorOptions[] = [
    { label: text.supportBundle, click: () => actions.exportSupportBundle() },
    { label: text.openLogs, click: () => actions.openLogs() },
    ...(mac && actions.installCommand ? [{ label: text.installCommand, click: () => actions.installCommand!() }] : []),
    ...(mac && actions.removeServices ? [{ label: text.removeServices, click: () => actions.removeServices!() }] : []),
  ];
  const devTools: MenuItemConstructorOptions[] = opts.isPackaged ? [] : [{ type: 'separator' }, { role: 'forceReload' }, { role: 'toggleDevTools' }];
  return [
    ...(mac ? [{ label: 'Linekeeper', submenu: [about, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit', label: text.quit }] } as MenuItemConstructorOptions] : []),
    { label: text.file, submenu: [...support, { type: 'separator' }, mac ? { role: 'close' } : { role: 'quit', label: text.quit }] },
    { label: text.edit, submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    { label: text.view, submenu: [{ role: 'reload' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }, ...devTools] },
    { label: text.window, submenu: [{ role: 'minimize' }, ...(mac ? [{ role: 'zoom' } as MenuItemConstructorOptions, { role: 'front' } as MenuItemConstructorOptions] : [{ role: 'close' } as MenuItemConstructorOptions])] },
    { label: text.help, role: 'help', submenu: [...(mac ? [] : [about, { type: 'separator' } as MenuItemConstructorOptions]), ...support] },
  ];
}
