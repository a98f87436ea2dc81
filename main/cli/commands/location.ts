import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, group, parseOptions, requireOption, UsageError, type CliIO, type Command } from '../command';
import { CanonicalParseError, formatCanonical, inRanges, parseCanonical, parseLocationPrefix, parseRanges, type ExtensionRange, type LocationPrefix } from '../../engine/location';

/** The --location value read, or null after printing why it is unusable. */
function readLocation(text: string, io: CliIO): LocationPrefix | null {
  const loc = parseLocationPrefix(text);
  if (loc.ok) return loc.prefix;
  io.stderr(`${loc.problem.message}\n`);
  return null;
}

const formatUsage = "linekeeper location format --location '49(89)1234' [--ranges '100-199, 300'] EXTENSION...";

const format: Command = {
  name: 'format',
  summary: 'print the canonical number of each extension at a location',
  usage: formatUsage,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { location: { type: 'string' }, ranges: { type: 'string' } }, true);
    const text = requireOption(values.location, '--location');
    if (positionals.length === 0) throw new UsageError('give at least one EXTENSION');
    const prefix = readLocation(text, io);
    if (!prefix) return EXIT_USAGE;
    let ranges: ExtensionRange[] | null = null;
    if (values.ranges !== undefined) {
      const r = parseRanges(values.ranges);
      if (!r.ok) {
        for (const p of r.problems) io.stderr(`--ranges: ${p.message}\n`);
        return EXIT_USAGE;
      }
      ranges = r.ranges;
    }
    const bad = positionals.filter((e) => !/^\d+$/.test(e));
    if (bad.length) {
      io.stderr(`not an extension (digits only): ${bad.map((b) => `"${b}"`).join(', ')}\n`);
      return EXIT_USAGE;
    }
    let outside = 0;
    for (const ext of positionals) {
      io.stdout(formatCanonical(prefix, ext) + '\n');
      if (ranges && !inRanges(ranges, ext)) {
        outside++;
        io.stderr(`extension ${ext} is outside the ranges ${values.ranges}\n`);
      }
    }
    return outside ? EXIT_FAILED : EXIT_OK;
  },
};

const parseUsage = "linekeeper location parse [--location '49(89)1234'] NUMBER...";

const parse: Command = {
  name: 'parse',
  summary: 'read canonical numbers in any common form and print them in the one written form',
  usage: parseUsage,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { location: { type: 'string' } }, true);
    if (positionals.length === 0) throw new UsageError('give at least one NUMBER');
    let prefix: LocationPrefix | undefined;
    if (values.location !== undefined) {
      const read = readLocation(values.location, io);
      if (!read) return EXIT_USAGE;
      prefix = read;
    }
    let failed = 0;
    for (const n of positionals) {
      try {
        io.stdout(parseCanonical(n, prefix).canonical + '\n');
      } catch (e) {
        if (!(e instanceof CanonicalParseError)) throw e;
        failed++;
        io.stdout('\n');
        io.stderr(`${e.message}\n`);
      }
    }
    return failed ? EXIT_FAILED : EXIT_OK;
  },
};

export const locationCommand = group('location', 'format and parse canonical numbers for a location', [format, parse]);
