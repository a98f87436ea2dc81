import { runCli } from './run';

const stop = new Promise<void>((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
});

const code = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stopSignal: stop,
});
process.exitCode = code;
// Long-running commands return after stopSignal; short ones end here. Either way, do not wait on stray handles.
setImmediate(() => process.exit(code));
