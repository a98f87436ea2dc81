import { join } from 'node:path';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseOptions, UsageError, group, type Command, type CliIO } from '../command';
import { resolveDataDir } from '../data-dir';
import { openConfigStores } from '../../engine/instances';
import { StoreError } from '../../store';
import { EXIT_NOT_CONFIGURED, serviceNames, type ServiceName } from '../../../shared/api/services';
import { muxArguments, readMuxServiceSettings } from '../../services-control/settings';
import { ServiceControl } from '../../services-control/control';
import { UacstaService, UacstaServiceError } from '../../servers/uacsta';
import { UACSTA_SETTINGS_DOC, UACSTA_SETTINGS_SPEC } from '../../servers/uacsta/service';
import type { UacstaStatus } from '../../../shared/api/uacsta';
import { openLicenceService } from '../../engine/licences';
import { Logger } from '../../log/logger';
import { guardProcess } from '../../log/process-guard';
import { muxCommand } from './mux';
import { coded } from '../../../shared/problems';
import { phoneState } from './phone-state';

const runUsage = `linekeeper service run mux|uacsta [--data-dir DIR] [--stop-on-stdin-end]

What the installed system services run (systemd unit, Windows service, launchd daemon): the multiplexer (mux) or
the uaCSTA server for SIP phones (uacsta) with the settings the console saved in the data directory (multiplexer:
Services page; uacsta: the SIP phone server area) and the passwords and certificate in its secret store. Exits 78
(SERVICE_NOT_CONFIGURED) while nothing is saved, so the service manager does not restart it in a loop.
--stop-on-stdin-end stops it when standard input closes (how the Windows service host asks it to stop).`;

/** The multiplexer's command line for the saved settings, or undefined when nothing is saved (said on stderr, exit 78). */
async function muxServerArguments(dataDir: string, stderr: (text: string) => void): Promise<string[] | undefined> {
  const settings = await readMuxServiceSettings(openConfigStores(dataDir).docs);
  if (!settings) {
    stderr(`linekeeper service run mux: not configured yet; save its settings in the console (Services) for the data directory ${dataDir} (SERVICE_NOT_CONFIGURED)\n`);
    return undefined;
  }
  if (settings.tlsPort !== undefined && !settings.certFile) {
    stderr(`linekeeper service run mux: TLS port ${settings.tlsPort} waits for a certificate; choose one in the console (Services). Serving TCP only (SERVICE_TLS_CERT_MISSING)\n`);
  }
  return muxArguments(settings, dataDir);
}

/**
 * The uaCSTA server as the console's SIP phone server area runs it, from the same settings document, passwords and
 * certificate: one configuration for both. Refusals of the settings exit 78, a taken port or failed listen exit 1.
 */
async function runUacstaService(dataDir: string, io: CliIO, stopSignal: Promise<unknown>): Promise<number> {
  const stores = openConfigStores(dataDir);
  const where = `in the console (SIP phone server) for the data directory ${dataDir}`;
  const settings = await stores.docs.read(UACSTA_SETTINGS_DOC, UACSTA_SETTINGS_SPEC);
  if (!settings) {
    io.stderr(`linekeeper service run uacsta: not configured yet; save its settings ${where} (SERVICE_NOT_CONFIGURED)\n`);
    return EXIT_NOT_CONFIGURED;
  }
  const logger = new Logger({ directory: join(dataDir, 'logs'), level: 'info' });
  logger.onEntry((e) => (e.level === 'error' || e.level === 'warn' ? io.stderr : io.stdout)(`${e.time} ${e.level.toUpperCase()} ${e.message}\n`));
  const unguard = guardProcess('linekeeper service run uacsta', (m) => logger.log('error', 'process', coded('logApp.processError', { detail: m })));
  // the licence pool every driver on this PC shares (its trial, keys and lease ledger in the data directory)
  const licences = openLicenceService(dataDir, stores.docs, stores.instances, stores.secrets, logger.child('licences'));
  // A line per phone whose state changes (only the diagnostics filter's phones when it names some), as `uacsta` prints.
  const phoneLog = logger.child('uacsta-phones');
  const seen = new Map<string, string>();
  const logMacs = settings.diagnostics.logMacs;
  const notify = (status: UacstaStatus) => {
    for (const p of status.phones) {
      const entry = phoneState(p);
      if (seen.get(p.mac) === entry.message || (logMacs.length > 0 && !logMacs.includes(p.mac))) continue;
      seen.set(p.mac, entry.message);
      phoneLog.info(entry);
    }
  };
  const service = new UacstaService({ dataDir, docs: stores.docs, secrets: stores.secrets, licences: licences.pool, logger: logger.child('uacsta'), notify });
  try {
    const status = await service.start();
    const lines = status.listening.filter((l) => !l.advertised).map((l) => `${l.interface} (${l.transport}): ${l.host}:${l.port}`);
    io.stdout(['uaCSTA server for SIP phones', ...lines, `new phones: ${settings.autoActivate ? 'put into operation at once' : 'wait to be enabled'}`, 'Press Ctrl-C to stop.', ''].join('\n'));
    await stopSignal;
    await service.stop();
    io.stdout('uaCSTA server stopped\n');
    return EXIT_OK;
  } catch (e) {
    if (!(e instanceof UacstaServiceError)) throw e;
    const config = e.code === 'UACSTA_NOT_CONFIGURED' || e.code === 'UACSTA_CERTIFICATE_INVALID' || e.code === 'UACSTA_PHONE_LIST_UNREADABLE';
    io.stderr(`linekeeper service run uacsta: ${e.message} (${e.problem.code}); ${config ? `change it ${where} (SERVICE_NOT_CONFIGURED)` : e.code}\n`);
    return config ? EXIT_NOT_CONFIGURED : EXIT_FAILED;
  } finally {
    await service.dispose();
    licences.pool.releaseAll();
    unguard();
  }
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
    let stopSignal = io.stopSignal;
    if (values['stop-on-stdin-end']) {
      const stdinEnd = new Promise<void>((resolve) => {
        process.stdin.once('end', resolve).once('close', resolve).resume();
      });
      stopSignal = Promise.race([io.stopSignal, stdinEnd]);
    }
    let args;
    try {
      if (name === 'uacsta') return await runUacstaService(dataDir, io, stopSignal);
      args = await muxServerArguments(dataDir, io.stderr);
    } catch (e) {
      if (!(e instanceof StoreError)) throw e;
      io.stderr(`linekeeper service run ${name}: the saved settings cannot be used: ${e.message} (${e.code})\n`);
      return EXIT_NOT_CONFIGURED;
    }
    if (!args) return EXIT_NOT_CONFIGURED;
    // Settings that the server refuses (a bad address, a missing client login) are a configuration problem, not a
    // crash to retry.
    try {
      const code = await muxCommand.run(args, { ...io, stopSignal });
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
