import { KEY_SERVICE, SYSTEM_KEYCHAIN } from '../store/key-protector';
import { UNIT_NAMES } from '../services-control/control';

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const DATA = '/Library/Application Support/Linekeeper';
const LOGS = '/Library/Logs/Linekeeper';
const COMMAND = '/usr/local/bin/linekeeper';
const labels = () => Object.values(UNIT_NAMES).map((u) => u.launchd);

/** The shell script that installs the `linekeeper` command and the launchd daemons of the servers on macOS. */
export function macInstallScript(resources: string): string {
  return [
    'set -e',
    `mkdir -p /usr/local/bin ${LOGS}`,
    `ln -sf ${q(`${resources}/bin/linekeeper`)} ${COMMAND}`,
    // The admin group shares the data directory with the daemon (setgid keeps the group on new files).
    `mkdir -p ${q(DATA)}`,
    `chgrp admin ${q(DATA)}`,
    `chmod 2770 ${q(DATA)}`,
    // As root, so the shared secret store's key goes to the System keychain (the daemon runs as root; the console
    // reads it there). A store that cannot is left on its key file, which the command then reports.
    `${q(`${resources}/bin/linekeeper`)} secrets status --data-dir ${q(DATA)} || true`,
    ...labels().map((label) => {
      const plist = `/Library/LaunchDaemons/${label}.plist`;
      return [
        // The plist names the app in /Applications; an app kept elsewhere gets its own path written in.
        `sed ${q(`s|/Applications/Linekeeper.app/Contents/Resources|${resources}|g`)} ${q(`${resources}/services/macos/${label}.plist`)} > ${plist}`,
        `chown root:wheel ${plist}`,
        `chmod 644 ${plist}`,
        `launchctl bootstrap system ${plist} 2>/dev/null || true`,
      ].join('\n');
    }),
  ].join('\n');
}

/**
 * The reverse of macInstallScript, run as root from the app menu: stops and removes the daemons and the command
 * (only our symlink, never a file someone else put there). The data directory, its logs and the System keychain
 * item stay unless `removeData`: the admin may reinstall and expects the settings back.
 */
export function macRemoveScript(opts: { removeData: boolean }): string {
  return [
    ...labels().flatMap((label) => [`launchctl bootout system/${label} 2>/dev/null || true`, `rm -f /Library/LaunchDaemons/${label}.plist`]),
    `if [ -L ${COMMAND} ]; then rm -f ${COMMAND}; fi`,
    ...(opts.removeData
      ? [`rm -rf ${q(DATA)} ${LOGS}`, `/usr/bin/security delete-generic-password -s ${KEY_SERVICE} ${SYSTEM_KEYCHAIN} >/dev/null 2>&1 || true`]
      : []),
    'exit 0',
  ].join('\n');
}
