import { join } from 'node:path';
import { EXIT_FAILED, EXIT_OK, parseOptions, parsePort, parseWholeNumber, UsageError, type Command } from '../command';
import { resolveDataDir } from '../data-dir';
import { Logger } from '../../log/logger';
import { openConfigStores } from '../../engine/instances';
import { DEFAULT_BIND, DEFAULT_MAX_OUTSTANDING, DEFAULT_TCP_PORT, DEFAULT_TLS_PORT, MuxStartError, startMultiplexer, type MuxOptions } from '../../servers/mux';
import { readMuxLogin } from '../../servers/mux/service';
import { guardProcess } from '../../log/process-guard';
import { coded } from '../../../shared/problems';

const usage = `linekeeper mux --pbx HOST:PORT [--tcp-port 33333] [--tls-port 33334 --cert F --key F] [--bind ADDR]
    [--require-login] [--max-outstanding 256] [--data-dir DIR]

Runs the CSTA multiplexer until stopped (Ctrl-C, SIGTERM): holds the one CSTA link to the Panasonic PBX at
HOST:PORT and serves many CTI applications on the TCP port (and the TLS port with a certificate: --cert and --key
as PEM files, or --cert alone as a PFX file). The login applications must send is kept in the data directory's
secret store (admin/admin until changed in the console); it is always required on TLS, and on TCP with
--require-login. Applications on this computer only (127.0.0.1) unless --bind names an interface
(0.0.0.0 = all). --max-outstanding caps the requests one application may have waiting for the PBX's answer
(beyond it they are refused at once). Logs go to stdout and <data-dir>/logs.
See docs/multiplexer.md.`;

/** "host:port", "[v6]:port" or a bare host (port 33333). */
export function parsePbxAddress(value: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(value) ?? /^([^:]+)(?::(\d+))?$/.exec(value);
  if (!m || !m[1]) throw new UsageError(`--pbx must be HOST:PORT, got "${value}"`);
  const port = parsePort(m[2], '--pbx port', DEFAULT_TCP_PORT);
  if (port === 0) throw new UsageError(`--pbx port must be 1-65535, got "${value}"`);
  return { host: m[1], port };
}

export const muxCommand: Command = {
  name: 'mux',
  summary: 'run the CSTA multiplexer: many CTI applications share the PBX link',
  usage,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      pbx: { type: 'string' },
      'tcp-port': { type: 'string' },
      'tls-port': { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      bind: { type: 'string' },
      'require-login': { type: 'boolean' },
      'max-outstanding': { type: 'string' },
      'data-dir': { type: 'string' },
    });
    if (!values.pbx) throw new UsageError('missing required option --pbx HOST:PORT');
    const pbx = parsePbxAddress(values.pbx);
    const bind = values.bind ?? DEFAULT_BIND;
    const maxOutstandingPerApplication = parseWholeNumber(values['max-outstanding'], DEFAULT_MAX_OUTSTANDING, 1, 32767, (v) => `--max-outstanding must be a whole number 1-32767, got "${v}"`);
    const options: MuxOptions = { pbx, bind, tcpPort: parsePort(values['tcp-port'], '--tcp-port', DEFAULT_TCP_PORT), requireLogin: values['require-login'] ?? false, maxOutstandingPerApplication };
    if (values['tls-port'] !== undefined || values.cert !== undefined || values.key !== undefined) {
      if (!values.cert) throw new UsageError('TLS needs --cert (PEM with --key, or a PFX file alone)');
      const port = parsePort(values['tls-port'], '--tls-port', DEFAULT_TLS_PORT);
      options.tls = values.key ? { port, cert: values.cert, key: values.key } : { port, pfx: values.cert };
    }
    const dataDir = resolveDataDir(values['data-dir']);
    const logger = new Logger({ directory: join(dataDir, 'logs'), level: 'info' });
    logger.onEntry((e) => (e.level === 'error' || e.level === 'warn' ? io.stderr : io.stdout)(`${e.time} ${e.level.toUpperCase()} ${e.message}\n`));
    options.logger = logger.child('mux');
    options.login = await readMuxLogin(openConfigStores(dataDir).secrets);
    const unguard = guardProcess('linekeeper mux', (m) => logger.log('error', 'process', coded('logApp.processError', { detail: m })));

    let mux;
    try {
      mux = await startMultiplexer(options);
    } catch (e) {
      if (e instanceof MuxStartError) {
        io.stderr(`linekeeper mux: ${e.message} (${e.code})\n`);
        unguard();
        return EXIT_FAILED;
      }
      unguard();
      throw e;
    }
    const s = mux.status();
    io.stdout(
      [
        `CSTA multiplexer for the PBX at ${pbx.host}:${pbx.port}`,
        `CSTA (TCP): ${bind}:${mux.tcpPort}`,
        ...(mux.tlsPort !== undefined ? [`CSTA (TLS): ${bind}:${mux.tlsPort}`] : []),
        `login: required on TLS${options.requireLogin ? ' and TCP' : ', optional on TCP'}`,
        ...s.warnings.map((w) => `warning: ${w === 'DEFAULT_CREDENTIALS' ? 'the default login admin/admin is in use' : 'applications on TCP may connect without a login'}`),
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    await io.stopSignal;
    await mux.close();
    io.stdout('multiplexer stopped\n');
    unguard();
    return EXIT_OK;
  },
};
