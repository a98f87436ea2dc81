import type { Command } from '../command';
import { muxCommand } from './mux';
import { serveCommand } from './serve';
import { instancesCommand } from './instances';
import { configCommand } from './config';
import { rulesCommand } from './rules';
import { sipfilterCommand } from './sipfilter';
import { locationCommand } from './location';
import { simCommand } from './sim';
import { linesCommand } from './lines';
import { lineCommand } from './line';
import { licencesCommand } from './licences';
import { serviceCommand } from './service';
import { supportCommand } from './support';
import { secretsCommand } from './secrets';
import { uacstaCommand } from './uacsta';

/** Every top-level subcommand, one module each; add new ones here. */
export const commands: Command[] = [
  serveCommand,
  instancesCommand,
  configCommand,
  rulesCommand,
  sipfilterCommand,
  locationCommand,
  simCommand,
  linesCommand,
  lineCommand,
  licencesCommand,
  muxCommand,
  serviceCommand,
  supportCommand,
  secretsCommand,
  uacstaCommand,
];
