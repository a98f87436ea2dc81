import type { Command } from '../command';

/** Every top-level subcommand, one module each; add new ones here. */
export const commands: Command[] = [];
