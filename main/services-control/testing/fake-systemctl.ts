import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A stand-in systemctl for tests, written into `dir` (put it first on the PATH). `show UNIT` prints `<UNIT>.state`
 * (else `state`, one file for every unit); start and stop change its ActiveState, and a start of a unit with a
 * `<UNIT>.exit` file fails with that exit code, as a service without settings does; a `deny` file refuses as polkit
 * does without rights. Every call is appended to `calls`.
 */
export function writeFakeSystemctl(dir: string): void {
  writeFileSync(
    join(dir, 'systemctl'),
    `#!/bin/sh
dir=$(dirname "$0")
echo "$*" >> "$dir/calls"
state="$dir/$2.state"
[ -f "$state" ] || state="$dir/state"
case "$1" in
  show) cat "$state" ;;
  start|restart)
    if [ -f "$dir/deny" ]; then echo "Interactive authentication required." >&2; exit 1; fi
    if [ -f "$dir/$2.exit" ]; then
      sed -i -e 's/^ActiveState=.*/ActiveState=failed/' -e "s/^ExecMainStatus=.*/ExecMainStatus=$(cat "$dir/$2.exit")/" -e 's/^Result=.*/Result=exit-code/' "$state"
    else
      sed -i -e 's/^ActiveState=.*/ActiveState=active/' -e 's/^ExecMainStatus=.*/ExecMainStatus=0/' -e 's/^Result=.*/Result=success/' "$state"
    fi ;;
  stop) sed -i 's/^ActiveState=.*/ActiveState=inactive/' "$state" ;;
esac
`,
  );
  chmodSync(join(dir, 'systemctl'), 0o755);
  writeFileSync(join(dir, 'calls'), '');
}

/** A `systemctl show` answer for a loaded unit. */
export const unitState = (active: string, extra: Record<string, string> = {}): string =>
  Object.entries({ LoadState: 'loaded', ActiveState: active, SubState: 'dead', Result: 'success', ExecMainStatus: '0', ...extra })
    .map(([k, v]) => `${k}=${v}\n`)
    .join('');
