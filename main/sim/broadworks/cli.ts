// `linekeeper sim broadworks`: the simulator as a command of its own, for support, demos and manual tests.
import { parseOptions, parsePort, parseWholeNumber, UsageError, type Command } from '../../cli/command';
import { runSimUntilStopped, SIM_TLS_FLAGS, simLogger, simTls } from '../sim-command';
import { CTI_FRAMINGS, type CtiFraming } from '../../protocols/xsi/cti-framing';
import { startBroadWorksSim, MAX_USERS, SIM_GROUP, type BroadWorksSimOptions } from './index';

const USAGE = `linekeeper sim broadworks [--host 127.0.0.1] [--port 8080] [--cti-port 8011] [--tls-port N --cert F --key F]
    [--cti-tls-port N] [--cti-framing xml|nul|length] [--users 20] [--prefix com.broadsoft] [--admin-password P]
    [--user-password P] [--control-port N]

Runs a simulated BroadWorks platform speaking Xsi-Actions and Xsi-Events over HTTP (and HTTPS with a
certificate) and the CTI interface over TCP (and TLS with --cti-tls-port), its documents framed as
--cti-framing says (default xml), for one group of up to ${MAX_USERS} users, until stopped (Ctrl-C). Users are 2000@sim.test, 2001@sim.test
…; the group administrator is admin@sim.test. The loopback control API (calls, passwords, faults) is printed at
start; see docs/broadworks.md.`;

export const broadworksSimCommand: Command = {
  name: 'broadworks',
  summary: 'run a simulated BroadWorks platform (Xsi over HTTP/HTTPS, the CTI interface)',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      host: { type: 'string' },
      port: { type: 'string' },
      ...SIM_TLS_FLAGS,
      users: { type: 'string' },
      prefix: { type: 'string' },
      'admin-password': { type: 'string' },
      'user-password': { type: 'string' },
      'control-port': { type: 'string' },
      'cti-port': { type: 'string' },
      'cti-tls-port': { type: 'string' },
      'cti-framing': { type: 'string' },
    });
    const host = values.host ?? '127.0.0.1';
    if (values.prefix !== undefined && !/^[A-Za-z0-9._~-]{1,64}$/.test(values.prefix)) throw new UsageError(`--prefix: "${values.prefix}" may contain letters, digits and . _ ~ - only`);
    const framing = values['cti-framing'] ?? 'xml';
    if (!(CTI_FRAMINGS as readonly string[]).includes(framing)) throw new UsageError(`--cti-framing must be one of ${CTI_FRAMINGS.join(', ')}, got "${framing}"`);
    const tls = simTls(values, 8443);
    if (values['cti-tls-port'] !== undefined && !tls) throw new UsageError('--cti-tls-port needs --tls-port, --cert and --key (the same certificate)');
    const options: BroadWorksSimOptions = {
      host,
      port: parsePort(values.port, '--port', 8080),
      controlPort: parsePort(values['control-port'], '--control-port', 0),
      users: parseWholeNumber(values.users, 20, 1, MAX_USERS, (v) => `--users: "${v}" is not a number from 1 to ${MAX_USERS}`),
      prefix: values.prefix,
      adminPassword: values['admin-password'],
      userPassword: values['user-password'],
      logger: simLogger(io),
      tls,
      ctiPort: parsePort(values['cti-port'], '--cti-port', 8011),
      ctiTlsPort: values['cti-tls-port'] === undefined ? undefined : parsePort(values['cti-tls-port'], '--cti-tls-port', 8012),
      ctiFraming: framing as CtiFraming,
    };
    return runSimUntilStopped('linekeeper sim broadworks', io, () => startBroadWorksSim(options), (sim) => [
      `BroadWorks simulator: ${sim.group.users.length} users in group ${SIM_GROUP.groupId} (service provider ${SIM_GROUP.serviceProviderId})`,
      `Xsi (HTTP): http://${host}:${sim.port}/${options.prefix ?? 'com.broadsoft'}.xsi-actions/v2.0/`,
      ...(sim.tlsPort !== undefined ? [`Xsi (HTTPS): port ${sim.tlsPort}`] : []),
      `CTI (TCP): port ${sim.ctiPort} (framing ${framing})`,
      ...(sim.ctiTlsPort !== undefined ? [`CTI (TLS): port ${sim.ctiTlsPort}`] : []),
      `group admin: ${sim.admin.userId}; users: ${sim.group.users[0].userId} …`,
      `control API: ${sim.controlUrl}`,
    ]);
  },
};
