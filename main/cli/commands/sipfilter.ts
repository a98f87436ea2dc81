import { EXIT_OK, EXIT_USAGE, group, parseOptions, requireOption, UsageError, type Command } from '../command';
import { sipFilterSchema } from '../../../shared/model/rules';
import { checkSipLine, compileSipFilter } from '../../engine/sip-filter';
import { readUserFile } from './rules';

const usage = 'linekeeper sipfilter check --rules FILE --name NAME --number NUMBER [--json]';

const check: Command = {
  name: 'check',
  summary: 'tell whether a line (name and number) is detected as a SIP line, and by which rule',
  usage,
  async run(argv, io) {
    const { values } = parseOptions(argv, { rules: { type: 'string' }, name: { type: 'string' }, number: { type: 'string' }, json: { type: 'boolean', default: false } });
    const file = requireOption(values.rules, '--rules');
    if (values.name === undefined && values.number === undefined) throw new UsageError('give --name, --number or both');
    const text = readUserFile(file, 'filter file', io);
    if (text === null) return EXIT_USAGE;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      io.stderr(`${file}: not valid JSON: ${(e as Error).message}\n`);
      return EXIT_USAGE;
    }
    const parsed = sipFilterSchema.strict().safeParse(data);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const [key, idx] = i.path;
        const where = key === 'rules' && typeof idx === 'number' ? `rule ${idx + 1}: ${i.path.slice(2).join('.') || 'rule'}` : i.path.join('.') || 'file';
        io.stderr(`${file}: ${where}: ${i.message}\n`);
      }
      return EXIT_USAGE;
    }
    const filter = compileSipFilter(parsed.data);
    if (filter.errors.length) {
      for (const e of filter.errors) io.stderr(`${file}: ${e.message}\n`);
      return EXIT_USAGE;
    }
    const r = checkSipLine(filter, { name: values.name ?? '', number: values.number ?? '' });
    if (values.json) {
      const { errors: _errors, ...rest } = r;
      io.stdout(JSON.stringify(rest) + '\n');
    } else if (r.sip) io.stdout(`sip (rule ${r.rule}: ${r.kind} "${r.pattern}")\n`);
    else io.stdout('not sip\n');
    return EXIT_OK;
  },
};

export const sipfilterCommand = group('sipfilter', 'check lines against a SIP-line filter file', [check]);
