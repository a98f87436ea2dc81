import { commands } from './commands/index';
import { EXIT_OK, EXIT_USAGE, runCommand, type CliIO } from './command';
import { PRODUCT_VERSION } from '../version';

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'linekeeper — CTI driver console and tools',
    '',
    'Usage: linekeeper <command> [options]',
    '       linekeeper --help | --version',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Run "linekeeper <command> --help" for the options of a command.',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(helpText() + '\n');
    return EXIT_USAGE;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout(helpText() + '\n');
    return EXIT_OK;
  }
  if (first === '--version' || first === '-V') {
    io.stdout(PRODUCT_VERSION + '\n');
    return EXIT_OK;
  }
  const cmd = commands.find((c) => c.name === first);
  if (!cmd) {
    io.stderr(`linekeeper: unknown command "${first}"\n\n${helpText()}\n`);
    return EXIT_USAGE;
  }
  return runCommand(cmd, rest, io);
}
