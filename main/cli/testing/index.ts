import { runCli } from '../run';

/** Runs the CLI in-process and captures its output; for tests of commands and exit codes. */
export async function runCliCapture(argv: string[], stopSignal: Promise<void> = Promise.resolve()) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    stopSignal,
  });
  return { code, stdout, stderr };
}
