import { EXIT_OK, EXIT_USAGE, parseOptions, UsageError, group, type Command } from '../command';
import { resolveDataDir } from '../data-dir';
import { openConfigStores } from '../../engine/instances';
import { StoreError } from '../../store';
import { EXIT_NOT_CONFIGURED, serviceNames } from '../../../shared/api/services';
import { muxArguments, readMuxServiceSettings } from '../../services-control/settings';
import { ServiceControl } from '../../services-control/control';
import { muxCommand } from './mux';

const runUsage = `linekeeper service run mux [--data-dir DIR] [--stop-on-stdin-end]

What the installed system service runs (systemd unit, Windows service, launchd daemon): the multiplexer with the
settings the console saved in the data directory (Services page) and the login in its secret store. Exits 78
(SERVICE_NOT_CONFIGURED) while nothing is saved, so the service manager does not restart it in a loop.
--stop-on-stdin-end stops it when standard input closes (how the Windows service host asks it to stop).`;

const runVerb: Command = {
  name: 'run',
  summary: 'run a server as the installed service does, with the settings saved by the console',
  usage: runUsage,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { 'data-dir': { type: 'string' }, 'stop-on-stdin-end': { type: 'boolean' } }, true);
    const [name, ...extra] = positionals;
    if (!name || extra.length > 0) throw new UsageError('name one service: mux');
    if (!(serviceNames as readonly string[]).includes(name)) throw new UsageError(`unknown service "${name}" (known: ${serviceNames.join(', ')})`);
    const dataDir = resolveDataDir(values['data-dir']);
    let settings;
    try {
      settings = await readMuxServiceSettings(openConfigStores(dataDir).docs);
    } catch (e) {
      if (!(e instanceof StoreError)) throw e;
      io.stderr(`linekeeper service run ${name}: the saved settings cannot be used: ${e.message} (${e.code})\n`);
      return EXIT_NOT_CONFIGURED;
    }
    if (!settings) {
      io.stderr(`linekeeper service run ${name}: not configured yet; save its settings in the console (Services) for the data directory ${dataDir} (SERVICE_NOT_CONFIGURED)\n`);
      return EXIT_NOT_CONFIGURED;
    }
    if (settings.tlsPort !== undefined && !settings.certFile) {
      io.stderr(`linekeeper service run ${name}: TLS port ${settings.tlsPort} waits for a certificate; choose one in the console (Services). Serving TCP only (SERVICE_TLS_CERT_MISSING)\n`);
    }
    let stopSignal = io.stopSignal;
    if (values['stop-on-stdin-end']) {
      const stdinEnd = new Promise<void>((resolve) => {
        process.stdin.once('end', resolve).once('close', resolve).resume();
      });
      stopSignal = Promise.race([io.stopSignal, stdinEnd]);
    }
    const code = await muxCommand.run(muxArguments(settings, dataDir), { ...io, stopSignal });
    // Settings that the multiplexer refuses (a bad address) are a configuration problem, not a crash to retry.
    return code === EXIT_USAGE ? EXIT_NOT_CONFIGURED : code;
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
