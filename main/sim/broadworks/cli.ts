// `linekeeper sim broadworks`: the simulator as a command of its own, for support, demos and manual tests.
import { EXIT_FAILED, EXIT_OK, parseOptions, parsePort, parseWholeNumber, readPemFile, UsageError, type Command } from '../../cli/command';
import { guardProcess } from '../../log/process-guard';
import { startBroadWorksSim, MAX_USERS, SIM_GROUP, type BroadWorksSim, type BroadWorksSimOptions } from './index';

const USAGE = `linekeeper sim broadworks [--host 127.0.0.1] [--port 8080] [--tls-port N --cert F --key F] [--users 20]
    [--prefix com.broadsoft] [--admin-password P] [--user-password P] [--control-port N]

Runs a simulated BroadWorks platform speaking Xsi-Actions and Xsi-Events over HTTP (and HTTPS with a
certificate) for one group of up to ${MAX_USERS} users, until stopped (Ctrl-C). Users are 2000@sim.test, 2001@sim.test
…; the group administrator is admin@sim.test. The loopback control API (calls, passwords, faults) is printed at
start; see docs/broadworks.md.`;

export const broadworksSimCommand: Command = {
  name: 'broadworks',
  summary: 'run a simulated BroadWorks platform (Xsi over HTTP/HTTPS)',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      host: { type: 'string' },
      port: { type: 'string' },
      'tls-port': { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      users: { type: 'string' },
      prefix: { type: 'string' },
      'admin-password': { type: 'string' },
      'user-password': { type: 'string' },
      'control-port': { type: 'string' },
    });
    const host = values.host ?? '127.0.0.1';
    const line = (level: string) => (m: string) => (level === 'info' ? io.stdout : io.stderr)(`${new Date().toISOString()} ${level.toUpperCase()} ${m}\n`);
    if (values.prefix !== undefined && !/^[A-Za-z0-9._~-]{1,64}$/.test(values.prefix)) throw new UsageError(`--prefix: "${values.prefix}" may contain letters, digits and . _ ~ - only`);
    const options: BroadWorksSimOptions = {
      host,
      port: parsePort(values.port, '--port', 8080),
      controlPort: parsePort(values['control-port'], '--control-port', 0),
      users: parseWholeNumber(values.users, 20, 1, MAX_USERS, (v) => `--users: "${v}" is not a number from 1 to ${MAX_USERS}`),
      prefix: values.prefix,
      adminPassword: values['admin-password'],
      userPassword: values['user-password'],
      logger: { info: line('info'), warn: line('warn'), error: line('error') },
    };
    if (values['tls-port'] !== undefined || values.cert !== undefined || values.key !== undefined) {
      if (values['tls-port'] === undefined || !values.cert || !values.key) throw new UsageError('--tls-port, --cert and --key go together');
      options.tls = { port: parsePort(values['tls-port'], '--tls-port', 8443), cert: readPemFile(values.cert, '--cert'), key: readPemFile(values.key, '--key') };
    }
    let sim: BroadWorksSim;
    try {
      sim = await startBroadWorksSim(options);
    } catch (e) {
      io.stderr(`linekeeper sim broadworks: ${(e as Error).message}\n`);
      return EXIT_FAILED;
    }
    const unguard = guardProcess('linekeeper sim broadworks', line('error'));
    io.stdout(
      [
        `BroadWorks simulator: ${sim.group.users.length} users in group ${SIM_GROUP.groupId} (service provider ${SIM_GROUP.serviceProviderId})`,
        `Xsi (HTTP): http://${host}:${sim.port}/${options.prefix ?? 'com.broadsoft'}.xsi-actions/v2.0/`,
        ...(sim.tlsPort !== undefined ? [`Xsi (HTTPS): port ${sim.tlsPort}`] : []),
        `group admin: ${sim.admin.userId}; users: ${sim.group.users[0].userId} …`,
        `control API: ${sim.controlUrl}`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    await io.stopSignal;
    await sim.close();
    io.stdout('simulator stopped\n');
    unguard();
    return EXIT_OK;
  },
};
