import type { Command } from '../command';
import { serveCommand } from './serve';

/** Every top-level subcommand, one module each; add new ones here. */
export const commands: Command[] = [
  serveCommand,
];
