// `linekeeper lines discover`: reads the lines of a PBX once, for scripts and support, without an instance.
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseOptions, parsePort, requireOption, UsageError, type Command } from '../command';
import { sipFilterSchema, type SipFilter } from '../../../shared/model/rules';
import { DRIVER_REGISTRY, DriverFailure } from '../../drivers';
import { applySipFilter, rangeTools } from '../../engine/discovery';
import { readUserFile } from './rules';

/** Families whose driver can read lines without an instance. */
const discoverable = Object.keys(DRIVER_REGISTRY).filter((f) => DRIVER_REGISTRY[f].cli && DRIVER_REGISTRY[f].driver);

const usage = [
  `linekeeper lines discover --family ${discoverable.join('|')} --host H [--port P] [--tls] [--ca FILE | --fingerprint SHA256] [--user U --password P] [--ranges 100-199] [--names] [--sip-filter FILE] [--json]`,
  '  --ca FILE: trust the certificates in this PEM file besides the system\'s; --fingerprint: trust the certificate with this SHA-256 fingerprint (printed when TLS fails)',
  ...discoverable.flatMap((f) => (DRIVER_REGISTRY[f].cli?.usage ? [`  --family ${f}: ${DRIVER_REGISTRY[f].cli!.usage}`] : [])),
].join('\n');

const COMMON_OPTIONS = {
  family: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  tls: { type: 'boolean', default: false },
  ca: { type: 'string' },
  fingerprint: { type: 'string' },
  user: { type: 'string' },
  password: { type: 'string' },
  ranges: { type: 'string', default: '' },
  names: { type: 'boolean' },
  'sip-filter': { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

/** The --family value, read before the family's own flags are known. */
function familyFlag(argv: string[]): string | undefined {
  const at = argv.findIndex((a) => a === '--family' || a.startsWith('--family='));
  if (at < 0) return undefined;
  return argv[at].includes('=') ? argv[at].slice('--family='.length) : argv[at + 1];
}

/** Reads a SIP-filter JSON file; prints the problems and returns null when it is not usable. */
function loadSipFilter(path: string, io: Parameters<Command['run']>[1]): SipFilter | null {
  const text = readUserFile(path, 'SIP filter file', io);
  if (text === null) return null;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    io.stderr(`${path}: not valid JSON: ${(e as Error).message}\n`);
    return null;
  }
  const r = sipFilterSchema.strict().safeParse(data);
  if (r.success) return r.data;
  io.stderr(r.error.issues.map((i) => `${path}: ${i.path.join('.') || 'file'}: ${i.message}\n`).join(''));
  return null;
}

export const linesDiscoverCommand: Command = {
  name: 'discover',
  summary: 'read the lines a PBX offers (number, name, kind, SIP) without changing any instance',
  usage,
  async run(argv, io) {
    const family = requireOption(familyFlag(argv), '--family');
    const entry = Object.hasOwn(DRIVER_REGISTRY, family) ? DRIVER_REGISTRY[family] : undefined;
    if (!entry?.cli || !entry.driver) throw new UsageError(`--family ${family}: only ${discoverable.join(', ')} can be discovered so far`);
    const { values } = parseOptions(argv, { ...COMMON_OPTIONS, ...entry.cli.options });
    const host = requireOption(values.host as string | undefined, '--host');
    const port = parsePort(values.port as string | undefined, '--port', entry.cli.defaultPort(values));
    if (values.password !== undefined && values.user === undefined) throw new UsageError('--password needs --user');
    let ranges: ReturnType<typeof rangeTools>;
    try {
      ranges = rangeTools(values.ranges);
    } catch (e) {
      throw new UsageError(`--ranges: ${(e as Error).message}`);
    }
    const filter = values['sip-filter'] === undefined ? { mode: 'none' as const, rules: [] } : loadSipFilter(values['sip-filter'], io);
    if (!filter) return EXIT_USAGE;

    const fingerprint = values.fingerprint as string | undefined;
    if (fingerprint !== undefined && !/^[0-9A-Fa-f:]{64,95}$/.test(fingerprint)) throw new UsageError('--fingerprint: a SHA-256 fingerprint, 64 hex digits, colons allowed');
    if (fingerprint !== undefined && values.ca !== undefined) throw new UsageError('--ca and --fingerprint: give one of them');
    const ca = values.ca === undefined ? undefined : readUserFile(values.ca as string, 'CA file', io);
    if (ca === null) return EXIT_USAGE;

    const common = { host, port, tls: Boolean(values.tls), user: values.user as string | undefined, password: values.password as string | undefined, ca, fingerprint };
    const driver = entry.driver.create({ ...common, ...entry.cli.settings?.(values), keepAliveMs: 0 });
    try {
      await driver.connect();
      const found = await driver.discover({ inRange: ranges.inRange, probeNumbers: ranges.probeNumbers, readNames: Boolean(values.names ?? entry.cli.readsNames) });
      const { filtered, warnings } = applySipFilter(filter, found.devices);
      const sip = new Set(filtered.map((f) => f.line.number));
      for (const w of [...found.warnings, ...warnings]) io.stderr(`warning: ${w.message}\n`);
      for (const d of found.devices) {
        const own = entry.cli.row?.(d);
        const row = own ?? { number: d.number, name: d.name, kind: d.kind, sip: sip.has(d.number) };
        if (values.json) io.stdout(JSON.stringify(row) + '\n');
        else io.stdout(own ? `${Object.values(own).map((v) => (Array.isArray(v) ? v.join(';') : v)).join('\t')}\n` : `${d.number}\t${d.name}\t${d.kind}${sip.has(d.number) ? '\tsip' : ''}\n`);
      }
      io.stderr(`${found.devices.length} lines from ${host}:${port} (${found.method}${found.outOfRange ? `, ${found.outOfRange} outside the ranges` : ''}${sip.size ? `, ${sip.size} detected as SIP` : ''})\n`);
      return EXIT_OK;
    } catch (e) {
      if (!(e instanceof DriverFailure)) throw e;
      io.stderr(`${e.code}: ${e.message}\n`);
      // The admin checks it on the device, then trusts it for the next run.
      if (e.fingerprint) io.stderr(`certificate SHA-256 fingerprint: ${e.fingerprint} (to trust it: --fingerprint ${e.fingerprint})\n`);
      return EXIT_FAILED;
    } finally {
      await driver.close();
    }
  },
};
