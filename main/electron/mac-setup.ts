import { UNIT_NAMES } from '../services-control/control';

/** The shell script that installs the `linekeeper` command and the launchd daemons of the servers on macOS. */
export function macInstallScript(resources: string): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const data = '/Library/Application Support/Linekeeper';
  return [
    'set -e',
    'mkdir -p /usr/local/bin /Library/Logs/Linekeeper',
    `ln -sf ${q(`${resources}/bin/linekeeper`)} /usr/local/bin/linekeeper`,
    // The admin group shares the data directory with the daemon (setgid keeps the group on new files).
    `mkdir -p ${q(data)}`,
    `chgrp admin ${q(data)}`,
    `chmod 2770 ${q(data)}`,
    // As root, so the shared secret store's key goes to the System keychain (the daemon runs as root; the console
    // reads it there). A store that cannot is left on its key file, which the command then reports.
    `${q(`${resources}/bin/linekeeper`)} secrets status --data-dir ${q(data)} || true`,
    ...Object.values(UNIT_NAMES).map(({ launchd: label }) => {
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
