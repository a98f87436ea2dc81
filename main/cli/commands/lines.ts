import { group, type Command } from '../command';
import { linesExportCommand } from './lines-export';
import { linesImportCommand } from './lines-import';
import { linesDiscoverCommand } from './lines-discover';
import { linesListCommand } from './lines-list';

/** The verbs of `linekeeper lines`; add a verb (e.g. discover) by adding its module here. */
export const linesVerbs: Command[] = [linesListCommand, linesImportCommand, linesExportCommand, linesDiscoverCommand];

export const linesCommand: Command = group('lines', 'list, import and export the lines of a driver instance', linesVerbs);
