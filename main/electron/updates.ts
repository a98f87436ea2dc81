import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Whether this install updates itself through electron-updater: NSIS (its uninstaller sits beside the program),
 * AppImage and the macOS app do; MSI and deb installs are updated by the admin's tools (Group Policy/Intune with
 * the MSI upgrade code, apt), so the app leaves them alone.
 */
export function selfUpdating(opts: { platform: NodeJS.Platform; execPath: string; env: NodeJS.ProcessEnv; productName: string; exists?: (p: string) => boolean }): boolean {
  const exists = opts.exists ?? existsSync;
  if (opts.env.LINEKEEPER_UPDATES === 'off') return false;
  if (opts.platform === 'win32') return exists(join(dirname(opts.execPath), `Uninstall ${opts.productName}.exe`));
  if (opts.platform === 'linux') return !!opts.env.APPIMAGE;
  return opts.platform === 'darwin';
}
