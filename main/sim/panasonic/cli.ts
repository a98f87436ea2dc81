// `linekeeper sim panasonic`: the simulator as a command of its own, for support, demos and manual tests.
import { EXIT_FAILED, EXIT_OK, parseOptions, parsePort, parseWholeNumber, readPemFile, UsageError, type Command } from '../../cli/command';
import { DeviceConfigError, readDeviceFile, type DeviceConfig } from './devices';
import { startPanasonicSim, type PanasonicSim, type PanasonicSimOptions } from './index';
import { guardProcess } from '../../log/process-guard';

const PANASONIC_USAGE = `linekeeper sim panasonic [--host 127.0.0.1] [--port 33333] [--tls-port N --cert F --key F]
    [--extensions 100-199,300-310] [--sip 200-219] [--dect R] [--analogue R] [--twins desk:dect,...]
    [--devices FILE] [--names] [--user U --password P] [--control-port N] [--no-answer-seconds 15]

Runs a simulated Panasonic PBX speaking CSTA Phase III until stopped (Ctrl-C). One CTI association at a time,
like the real PBX. The loopback HTTP control API (calls, faults, counters) is printed at start; see
docs/simulator.md. Default devices: --extensions 100-199.`;

export const panasonicSimCommand: Command = {
  name: 'panasonic',
  summary: 'run a simulated Panasonic PBX (CSTA Phase III over TCP/TLS)',
  usage: PANASONIC_USAGE,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      host: { type: 'string' },
      port: { type: 'string' },
      'tls-port': { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      extensions: { type: 'string' },
      sip: { type: 'string' },
      dect: { type: 'string' },
      analogue: { type: 'string' },
      twins: { type: 'string' },
      devices: { type: 'string' },
      names: { type: 'boolean' },
      user: { type: 'string' },
      password: { type: 'string' },
      'control-port': { type: 'string' },
      'no-answer-seconds': { type: 'string' },
    });
    const host = values.host ?? '127.0.0.1';
    const line = (level: string) => (m: string) => (level === 'info' ? io.stdout : io.stderr)(`${new Date().toISOString()} ${level.toUpperCase()} ${m}\n`);
    const options: PanasonicSimOptions = {
      host,
      port: parsePort(values.port, '--port', 33333),
      controlPort: parsePort(values['control-port'], '--control-port', 0),
      noAnswerMs: parseWholeNumber(values['no-answer-seconds'], 15, 1, 600, (v) => `--no-answer-seconds: "${v}" is not a number of seconds from 1 to 600`) * 1000,
      logger: { info: line('info'), warn: line('warn'), error: line('error') },
    };
    if (values['tls-port'] !== undefined || values.cert !== undefined || values.key !== undefined) {
      if (values['tls-port'] === undefined || !values.cert || !values.key) throw new UsageError('--tls-port, --cert and --key go together');
      options.tls = { port: parsePort(values['tls-port'], '--tls-port', 33334), cert: readPemFile(values.cert, '--cert'), key: readPemFile(values.key, '--key') };
    }
    if ((values.user === undefined) !== (values.password === undefined)) throw new UsageError('--user and --password go together');
    if (values.user !== undefined) options.login = { user: values.user, password: values.password! };

    let sim: PanasonicSim;
    const config: DeviceConfig = { extensions: values.extensions, sip: values.sip, dect: values.dect, analogue: values.analogue, twins: values.twins, names: values.names ?? false };
    try {
      if (values.devices) {
        const file = readDeviceFile(values.devices);
        config.devices = file.devices;
        if (file.twins) config.twins = [config.twins, file.twins].filter(Boolean).join(',');
      }
      if (!config.extensions && !config.sip && !config.dect && !config.analogue && !config.devices) config.extensions = '100-199';
      options.devices = config;
      sim = await startPanasonicSim(options);
    } catch (e) {
      if (e instanceof DeviceConfigError) throw new UsageError(e.message);
      io.stderr(`linekeeper sim panasonic: ${(e as Error).message}\n`);
      return EXIT_FAILED;
    }
    const unguard = guardProcess('linekeeper sim panasonic', line('error'));
    io.stdout(
      [
        `Panasonic PBX simulator: ${sim.deviceCount} devices`,
        `CSTA (TCP): ${host}:${sim.tcpPort}`,
        ...(sim.tlsPort !== undefined ? [`CSTA (TLS): ${host}:${sim.tlsPort}`] : []),
        `login: ${options.login ? `user "${options.login.user}" required` : 'any'}`,
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

