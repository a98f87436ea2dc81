// What every `linekeeper sim <family>` command shares: the TLS flags, a timestamped logger on the command's
// output, and running the started simulator until the stop signal.
import { EXIT_FAILED, EXIT_OK, parsePort, readPemFile, UsageError, type CliIO } from '../cli/command';
import { guardProcess } from '../log/process-guard';
import type { Coded } from '../../shared/problems';

export const SIM_TLS_FLAGS = { 'tls-port': { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' } } as const;

/** The certificate and port of --tls-port/--cert/--key (all three or none). */
export function simTls(values: { 'tls-port'?: string; cert?: string; key?: string }, defaultPort: number): { port: number; cert: Buffer; key: Buffer } | undefined {
  if (values['tls-port'] === undefined && values.cert === undefined && values.key === undefined) return undefined;
  if (values['tls-port'] === undefined || !values.cert || !values.key) throw new UsageError('--tls-port, --cert and --key go together');
  return { port: parsePort(values['tls-port'], '--tls-port', defaultPort), cert: readPemFile(values.cert, '--cert'), key: readPemFile(values.key, '--key') };
}

/** Prints the English of coded entries too (the protocol layers log coded, `logServers.*`). */
export function simLogger(io: CliIO): { info: (m: string | Coded) => void; warn: (m: string | Coded) => void; error: (m: string | Coded) => void } {
  const line = (level: string) => (m: string | Coded) => (level === 'info' ? io.stdout : io.stderr)(`${new Date().toISOString()} ${level.toUpperCase()} ${typeof m === 'string' ? m : m.message}\n`);
  return { info: line('info'), warn: line('warn'), error: line('error') };
}

/** Starts the simulator, prints `banner` and the stop hint, and closes it on the stop signal. */
export async function runSimUntilStopped<S extends { close(): Promise<void> }>(label: string, io: CliIO, start: () => Promise<S>, banner: (sim: S) => string[]): Promise<number> {
  let sim: S;
  try {
    sim = await start();
  } catch (e) {
    io.stderr(`${label}: ${(e as Error).message}\n`);
    return EXIT_FAILED;
  }
  const unguard = guardProcess(label, simLogger(io).error);
  io.stdout([...banner(sim), 'Press Ctrl-C to stop.', ''].join('\n'));
  await io.stopSignal;
  await sim.close();
  io.stdout('simulator stopped\n');
  unguard();
  return EXIT_OK;
}
