import { EXIT_OK, EXIT_USAGE, parseOptions, UsageError, group, type Command } from '../command';
import { resolveDataDir } from '../data-dir';
import { openConfigStores } from '../../engine/instances';
import { StoreError } from '../../store';
import { EXIT_NOT_CONFIGURED, serviceNames, type ServiceName } from '../../../shared/api/services';
import { muxArguments, readMuxServiceSettings, readUacstaServiceSettings, uacstaArguments } from '../../services-control/settings';
import { ServiceControl } from '../../services-control/control';
import { UACSTA_PHONE_PASSWORD_SECRET } from '../../servers/uacsta';
import { muxCommand } from './mux';
import { uacstaCommand } from './uacsta';

const runUsage = `linekeeper service run mux|uacsta [--data-dir DIR] [--stop-on-stdin-end]

What the installed system services run (systemd unit, Windows service, launchd daemon): the multiplexer (mux) or
the uaCSTA server for SIP phones (uacsta) with the settings the console saved in the data directory (Services page)
and the passwords in its secret store. Exits 78 (SERVICE_NOT_CONFIGURED) while nothing is saved, so the service
manager does not restart it in a loop.
--stop-on-stdin-end stops it when standard input closes (how the Windows service host asks it to stop).`;

/** The server's command line for the saved settings, or a reason it cannot start (said on stderr, exit 78). */
async function serverArguments(name: 'mux' | 'uacsta', dataDir: string, stderr: (text: string) => void): Promise<{ command: Command; args: string[] } | undefined> {
  const stores = openConfigStores(dataDir);
  const settings = name === 'mux' ? await readMuxServiceSettings(stores.docs) : await readUacstaServiceSettings(stores.docs);
  if (!settings) {
    stderr(`linekeeper service run ${name}: not configured yet; save its settings in the console (Services) for the data directory ${dataDir} (SERVICE_NOT_CONFIGURED)\n`);
    return undefined;
  }
  if ('pbxHost' in settings) {
    if (settings.tlsPort !== undefined && !settings.certFile) {
      stderr(`linekeeper service run ${name}: TLS port ${settings.tlsPort} waits for a certificate; choose one in the console (Services). Serving TCP only (SERVICE_TLS_CERT_MISSING)\n`);
    }
    return { command: muxCommand, args: muxArguments(settings, dataDir) };
  }
  if (!(await stores.secrets.has(UACSTA_PHONE_PASSWORD_SECRET))) {
    stderr(`linekeeper service run ${name}: no phone password is saved yet; set it in the console (Services) for the data directory ${dataDir} (SERVICE_NOT_CONFIGURED)\n`);
    return undefined;
  }
  const tlsPorts = [settings.phoneTlsPort, settings.clientTlsPort].filter((p) => p !== undefined);
  if (tlsPorts.length > 0 && !settings.certFile) {
    stderr(`linekeeper service run ${name}: TLS port ${tlsPorts.join(', ')} waits for a certificate; choose one in the console (Services). Serving TCP only (SERVICE_TLS_CERT_MISSING)\n`);
  }
  return { command: uacstaCommand, args: uacstaArguments(settings, dataDir) };
}

const runVerb: Command = {
  name: 'run',
  summary: 'run a server as the installed service does, with the settings saved by the console',
  usage: runUsage,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { 'data-dir': { type: 'string' }, 'stop-on-stdin-end': { type: 'boolean' } }, true);
    const [name, ...extra] = positionals;
    if (!name || extra.length > 0) throw new UsageError(`name one service: ${serviceNames.join(', ')}`);
    if (!(serviceNames as readonly string[]).includes(name)) throw new UsageError(`unknown service "${name}" (known: ${serviceNames.join(', ')})`);
    const dataDir = resolveDataDir(values['data-dir']);
    let server;
    try {
      server = await serverArguments(name as ServiceName, dataDir, io.stderr);
    } catch (e) {
      if (!(e instanceof StoreError)) throw e;
      io.stderr(`linekeeper service run ${name}: the saved settings cannot be used: ${e.message} (${e.code})\n`);
      return EXIT_NOT_CONFIGURED;
    }
    if (!server) return EXIT_NOT_CONFIGURED;
    let stopSignal = io.stopSignal;
    if (values['stop-on-stdin-end']) {
      const stdinEnd = new Promise<void>((resolve) => {
        process.stdin.once('end', resolve).once('close', resolve).resume();
      });
      stopSignal = Promise.race([io.stopSignal, stdinEnd]);
    }
    // Settings that the server refuses (a bad address, a missing client login) are a configuration problem, not a
    // crash to retry.
    try {
      const code = await server.command.run(server.args, { ...io, stopSignal });
      return code === EXIT_USAGE ? EXIT_NOT_CONFIGURED : code;
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      io.stderr(`linekeeper service run ${name}: the saved settings cannot be used: ${e.message} (SERVICE_NOT_CONFIGURED)\n`);
      return EXIT_NOT_CONFIGURED;
    }
  },
};

const statusVerb: Command = {
  name: 'status',
  summary: 'the installed services as the service manager reports them',
  usage: `linekeeper service status [--json]

One line per service: its state (not-installed, running, starting, stopping, stopped, failed, unknown), the service
manager, and the reason code when it is not installed or failed. --json prints the same as a JSON array.`,
  async run(argv, io) {
    const { values } = parseOptions(argv, { json: { type: 'boolean' } });
    const control = new ServiceControl();
    const states = await Promise.all(serviceNames.map(async (name) => ({ name, manager: control.manager, ...(await control.query(name)) })));
    if (values.json) io.stdout(JSON.stringify(states, null, 2) + '\n');
    else for (const s of states) io.stdout(`${s.name}: ${s.state} (${s.manager})${s.problem ? ` ${s.problem.code} ${JSON.stringify(s.problem.params)}` : ''}${s.dataDir ? ` data: ${s.dataDir}` : ''}\n`);
    return EXIT_OK;
  },
};

export const serviceCommand: Command = group('service', 'run the servers the way the installed system services do; their state', [runVerb, statusVerb]);
