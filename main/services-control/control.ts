import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ServiceManager, ServiceName, ServiceProblem, ServiceRunState } from '../../shared/api/services';

/** What one call of a service manager's command gave; `missing` when the command is not on this machine. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  missing?: boolean;
}

export type CommandRunner = (command: string, args: string[]) => Promise<CommandResult>;

/** Runs a command found on the PATH of `env` (read at each call, so a changed PATH applies). */
export function execRunner(env: NodeJS.ProcessEnv = process.env): CommandRunner {
  return (command, args) =>
    new Promise((resolve) => {
      execFile(command, args, { env, timeout: 15_000, windowsHide: true, encoding: 'utf8' }, (error, stdout, stderr) => {
        const code = error ? (error as NodeJS.ErrnoException).code : 0;
        if (code === 'ENOENT') return resolve({ code: -1, stdout: '', stderr: '', missing: true });
        resolve({ code: typeof code === 'number' ? code : error ? 1 : 0, stdout, stderr });
      });
    });
}

export interface ServiceQuery {
  state: ServiceRunState;
  problem?: ServiceProblem;
  /** The data directory the installed service runs on, where the manager tells. */
  dataDir?: string;
}

/** How each manager names a service; the installers use the same names. */
export const UNIT_NAMES: Record<ServiceName, { systemd: string; windows: string; launchd: string }> = {
  mux: { systemd: 'linekeeper-mux.service', windows: 'linekeeper-mux', launchd: 'org.linekeeper.mux' },
  uacsta: { systemd: 'linekeeper-uacsta.service', windows: 'linekeeper-uacsta', launchd: 'org.linekeeper.uacsta' },
};

/** Exit code of `linekeeper service run` while the service has no settings. */
const NOT_CONFIGURED = 78;
const LAUNCH_DAEMONS = '/Library/LaunchDaemons';

const firstLine = (text: string) => text.trim().split(/\r?\n/)[0] ?? '';

function keyValues(text: string, separator: RegExp): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = separator.exec(line);
    if (m) map.set(m[1].trim(), m[2].trim());
  }
  return map;
}

/** Failed with the reason: not configured (exit 78), or the exit code it ended with. */
function exitProblem(exitCode: number, extra: Record<string, string | number> = {}): ServiceProblem {
  return exitCode === NOT_CONFIGURED ? { code: 'SERVICE_NOT_CONFIGURED', params: {} } : { code: 'SERVICE_EXITED', params: { exitCode, ...extra } };
}

/** The `systemctl show` properties of a unit as a state. */
export function parseSystemdShow(text: string, unit: string): ServiceQuery {
  const p = keyValues(text, /^(\w+)=(.*)$/);
  const dataDir = /(?:^|\s)LINEKEEPER_DATA_DIR=(\S+)/.exec(p.get('Environment') ?? '')?.[1];
  if (p.get('LoadState') === 'not-found') return { state: 'not-installed', problem: { code: 'SERVICE_NOT_INSTALLED', params: { unit } } };
  const exitCode = Number(p.get('ExecMainStatus') ?? 0);
  switch (p.get('ActiveState')) {
    case 'active':
      return { state: 'running', dataDir };
    case 'activating':
    case 'reloading':
      return { state: 'starting', dataDir };
    case 'deactivating':
      return { state: 'stopping', dataDir };
    case 'failed':
      return { state: 'failed', problem: exitProblem(exitCode, { result: p.get('Result') ?? '' }), dataDir };
    case 'inactive':
      return { state: 'stopped', dataDir };
    default:
      return { state: 'unknown', dataDir };
  }
}

/** `sc.exe query` (state) and `sc.exe qc` (program line with the data directory) of a Windows service. */
export function parseScQuery(query: string, qc: string): ServiceQuery {
  const p = keyValues(query, /^\s*([A-Z0-9_]+)\s*:\s*(.*)$/);
  const state = Number(/^(\d+)/.exec(p.get('STATE') ?? '')?.[1]);
  const win32Exit = Number(/^(\d+)/.exec(p.get('WIN32_EXIT_CODE') ?? '')?.[1] ?? 0);
  const serviceExit = Number(/^(\d+)/.exec(p.get('SERVICE_EXIT_CODE') ?? '')?.[1] ?? 0);
  const binPath = keyValues(qc, /^\s*([A-Z_]+)\s*:\s*(.*)$/).get('BINARY_PATH_NAME') ?? '';
  const dataDir = /"([^"]+)"\s*$/.exec(binPath)?.[1];
  switch (state) {
    case 4:
      return { state: 'running', dataDir };
    case 2:
    case 5:
      return { state: 'starting', dataDir };
    case 3:
    case 6:
    case 7:
      return { state: 'stopping', dataDir };
    case 1:
      // 1066: the service reported its own exit code.
      if (win32Exit === 1066) return { state: 'failed', problem: exitProblem(serviceExit), dataDir };
      return win32Exit !== 0 ? { state: 'failed', problem: exitProblem(win32Exit), dataDir } : { state: 'stopped', dataDir };
    default:
      return { state: 'unknown', dataDir };
  }
}

/** `launchctl print system/<label>` of a loaded daemon. */
export function parseLaunchctlPrint(text: string): ServiceQuery {
  const p = keyValues(text, /^\s*([a-z][a-z ]*?)\s*=\s*(.*)$/);
  const dataDir = /LINEKEEPER_DATA_DIR => (.+)$/m.exec(text)?.[1]?.trim();
  const lastExit = Number(p.get('last exit code'));
  if (p.get('state') === 'running') return { state: 'running', dataDir };
  if (Number.isInteger(lastExit) && lastExit !== 0) return { state: 'failed', problem: exitProblem(lastExit), dataDir };
  return { state: 'stopped', dataDir };
}

/**
 * Reads and changes the state of the installed services through the machine's service manager (systemctl, sc.exe,
 * launchctl). Nothing here needs the services to exist: a missing manager or unit is a state with a reason code.
 */
export class ServiceControl {
  readonly manager: ServiceManager;
  private readonly run: CommandRunner;

  constructor(opts: { platform?: NodeJS.Platform; run?: CommandRunner; launchDaemons?: string } = {}) {
    const platform = opts.platform ?? process.platform;
    this.manager = platform === 'linux' ? 'systemd' : platform === 'win32' ? 'windows' : platform === 'darwin' ? 'launchd' : 'none';
    this.run = opts.run ?? execRunner();
    this.launchDaemons = opts.launchDaemons ?? LAUNCH_DAEMONS;
  }

  private readonly launchDaemons: string;

  async query(name: ServiceName): Promise<ServiceQuery> {
    const unit = UNIT_NAMES[name];
    switch (this.manager) {
      case 'systemd': {
        const r = await this.run('systemctl', ['show', unit.systemd, '--no-pager', '--property=LoadState,ActiveState,SubState,Result,ExecMainStatus,Environment']);
        if (r.missing) return { state: 'not-installed', problem: { code: 'SERVICE_MANAGER_MISSING', params: { manager: 'systemd' } } };
        if (r.code !== 0) return { state: 'not-installed', problem: { code: 'SERVICE_MANAGER_UNAVAILABLE', params: { manager: 'systemd', detail: firstLine(r.stderr || r.stdout) } } };
        return parseSystemdShow(r.stdout, unit.systemd);
      }
      case 'windows': {
        const r = await this.run('sc.exe', ['query', unit.windows]);
        if (r.missing) return { state: 'not-installed', problem: { code: 'SERVICE_MANAGER_MISSING', params: { manager: 'windows' } } };
        // 1060: the service does not exist.
        if (r.code === 1060 || /\b1060\b/.test(r.stdout)) return { state: 'not-installed', problem: { code: 'SERVICE_NOT_INSTALLED', params: { unit: unit.windows } } };
        if (r.code !== 0) return { state: 'unknown', problem: { code: 'SERVICE_MANAGER_UNAVAILABLE', params: { manager: 'windows', detail: firstLine(r.stdout || r.stderr) } } };
        const qc = await this.run('sc.exe', ['qc', unit.windows]);
        return parseScQuery(r.stdout, qc.code === 0 ? qc.stdout : '');
      }
      case 'launchd': {
        if (!existsSync(`${this.launchDaemons}/${unit.launchd}.plist`)) return { state: 'not-installed', problem: { code: 'SERVICE_NOT_INSTALLED', params: { unit: unit.launchd } } };
        const r = await this.run('launchctl', ['print', `system/${unit.launchd}`]);
        if (r.missing) return { state: 'not-installed', problem: { code: 'SERVICE_MANAGER_MISSING', params: { manager: 'launchd' } } };
        // Installed but not loaded (booted out): stopped.
        if (r.code !== 0) return { state: 'stopped' };
        return parseLaunchctlPrint(r.stdout);
      }
      default:
        return { state: 'not-installed', problem: { code: 'SERVICE_MANAGER_MISSING', params: { manager: 'none' } } };
    }
  }

  /** Starts, stops or restarts; a refusal (not installed, no rights) comes back as SERVICE_CONTROL_FAILED. */
  async control(name: ServiceName, action: 'start' | 'stop' | 'restart'): Promise<{ ok: true } | { ok: false; problem: ServiceProblem }> {
    const unit = UNIT_NAMES[name];
    let r: CommandResult;
    switch (this.manager) {
      case 'systemd':
        r = await this.run('systemctl', [action, unit.systemd]);
        break;
      case 'windows':
        if (action === 'restart') {
          await this.run('sc.exe', ['stop', unit.windows]);
          r = await this.run('sc.exe', ['start', unit.windows]);
        } else r = await this.run('sc.exe', [action, unit.windows]);
        break;
      case 'launchd': {
        const target = `system/${unit.launchd}`;
        if (action === 'stop') r = await this.run('launchctl', ['bootout', target]);
        else {
          const loaded = await this.run('launchctl', ['print', target]);
          r = loaded.code === 0 ? await this.run('launchctl', ['kickstart', ...(action === 'restart' ? ['-k'] : []), target]) : await this.run('launchctl', ['bootstrap', 'system', `${this.launchDaemons}/${unit.launchd}.plist`]);
        }
        break;
      }
      default:
        return { ok: false, problem: { code: 'SERVICE_MANAGER_MISSING', params: { manager: 'none' } } };
    }
    if (r.missing) return { ok: false, problem: { code: 'SERVICE_MANAGER_MISSING', params: { manager: this.manager } } };
    if (r.code !== 0) return { ok: false, problem: { code: 'SERVICE_CONTROL_FAILED', params: { action, detail: firstLine(r.stderr || r.stdout) } } };
    return { ok: true };
  }
}
