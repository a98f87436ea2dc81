import { EXIT_OK, formatTable, parseOptions, requireOption, type Command } from '../command';
import { withStores } from './instances';
import { linesShownAs } from '../../engine/location';
import type { Line } from '../../../shared/model/line';

/** The optional line fields, as columns shown only when some line has them. */
const EXTRA: Array<[keyof Line, string]> = [['deviceId', 'DEVICE'], ['userId', 'USER'], ['mobile', 'MOBILE']];

export const linesListCommand: Command = {
  name: 'list',
  summary: 'list the lines of an instance, with the canonical number each is shown as when its location says so',
  usage: 'linekeeper lines list --instance NAME [--json] [--data-dir DIR]',
  async run(argv, io) {
    const { values } = parseOptions(argv, { instance: { type: 'string' }, json: { type: 'boolean', default: false }, 'data-dir': { type: 'string' } });
    const name = requireOption(values.instance, '--instance');
    return withStores(io, 'lines list', values['data-dir'], async ({ instances }) => {
      const inst = await instances.getByName(name);
      // The one rule of the API's lines.list: canonical numbers only with a valid location shown canonical.
      const shownAs = linesShownAs(inst.location, inst.lines.map((l) => l.number));
      if (values.json) {
        io.stdout(JSON.stringify({ instance: inst.name, total: inst.lines.length, lines: inst.lines, shownAs }, null, 2) + '\n');
        return EXIT_OK;
      }
      if (!inst.lines.length) {
        io.stdout(`"${inst.name}" has no lines\n`);
        return EXIT_OK;
      }
      const extra = EXTRA.filter(([k]) => inst.lines.some((l) => l[k]));
      const header = ['NUMBER', ...(shownAs ? ['SHOWN AS'] : []), ...extra.map(([, h]) => h), 'NAME'];
      const rows = inst.lines.map((l) => [l.number, ...(shownAs ? [shownAs[l.number]] : []), ...extra.map(([k]) => String(l[k] ?? '-')), l.name || '-']);
      io.stdout(formatTable([header, ...rows]));
      return EXIT_OK;
    });
  },
};
