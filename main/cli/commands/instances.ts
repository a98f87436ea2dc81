import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, group, parseOptions, requireOption, UsageError, type CliIO, type Command } from '../command';
import { resolveDataDir } from '../data-dir';
import { isApiError } from '../../../shared/api/errors';
import { FAMILIES, instanceProblems, mainPort, type Family, type Instance } from '../../../shared/model/instance';
import { openConfigStores, summarize, type ConfigStores } from '../../engine/instances';

const dataDirOption = { 'data-dir': { type: 'string' } } as const;

/** Opens the stores of `--data-dir` (or the default), runs the verb, and turns store/API failures into exit codes. */
export async function withStores(io: CliIO, verb: string, dataDirFlag: string | undefined, fn: (s: ConfigStores, dataDir: string) => Promise<number>): Promise<number> {
  try {
    const dataDir = resolveDataDir(dataDirFlag);
    return await fn(openConfigStores(dataDir), dataDir);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (isApiError(e)) {
      io.stderr(`linekeeper ${verb}: ${e.message} [${e.code}]\n`);
      return e.code === 'SETTINGS_INVALID' || e.code === 'INVALID_INPUT' ? EXIT_USAGE : EXIT_FAILED;
    }
    io.stderr(`linekeeper ${verb}: ${(e as Error).message}\n`);
    return EXIT_FAILED;
  }
}

function parseFamily(value: string | undefined): Family {
  const v = requireOption(value, '--family');
  if (!(FAMILIES as readonly string[]).includes(v)) throw new UsageError(`--family must be one of ${FAMILIES.join('|')}, got "${v}"`);
  return v as Family;
}

const create: Command = {
  name: 'create',
  summary: 'create a driver instance with the defaults of its family',
  usage: `linekeeper instances create --family ${FAMILIES.join('|')} --name NAME [--data-dir DIR]`,
  async run(argv, io) {
    const { values } = parseOptions(argv, { family: { type: 'string' }, name: { type: 'string' }, ...dataDirOption });
    const family = parseFamily(values.family);
    const name = requireOption(values.name, '--name');
    return withStores(io, 'instances create', values['data-dir'], async ({ instances }) => {
      const inst = await instances.create({ family, name });
      io.stdout(`created ${family} instance "${inst.name}" (id ${inst.id})\n`);
      return EXIT_OK;
    });
  },
};

const list: Command = {
  name: 'list',
  summary: 'list the driver instances',
  usage: 'linekeeper instances list [--json] [--data-dir DIR]',
  async run(argv, io) {
    const { values } = parseOptions(argv, { json: { type: 'boolean', default: false }, ...dataDirOption });
    return withStores(io, 'instances list', values['data-dir'], async ({ instances }) => {
      const all = await instances.list();
      for (const p of await instances.problems()) io.stderr(`warning: ${p.message}\n`);
      if (values.json) {
        io.stdout(JSON.stringify(all.map(summarize), null, 2) + '\n');
        return EXIT_OK;
      }
      if (!all.length) {
        io.stdout('no instances\n');
        return EXIT_OK;
      }
      const rows = [['NAME', 'FAMILY', 'HOST', 'PORT', 'LINES'], ...all.map((i) => [i.name, i.family, i.connection.host || '-', String(mainPort(i)), String(i.lines.length)])];
      const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
      for (const r of rows) io.stdout(r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ') + '\n');
      return EXIT_OK;
    });
  },
};

const show: Command = {
  name: 'show',
  summary: 'show the settings of one instance (passwords only as set/not set)',
  usage: 'linekeeper instances show --name NAME [--json] [--data-dir DIR]',
  async run(argv, io) {
    const { values } = parseOptions(argv, { name: { type: 'string' }, json: { type: 'boolean', default: false }, ...dataDirOption });
    const name = requireOption(values.name, '--name');
    return withStores(io, 'instances show', values['data-dir'], async ({ instances }) => {
      const inst = await instances.getByName(name);
      const { lines, ...settings } = inst;
      const view = { ...settings, lineCount: lines.length, secrets: await instances.secretStatus(inst.id), problems: instanceProblems(inst) };
      io.stdout(values.json ? JSON.stringify(view, null, 2) + '\n' : describe(view));
      return EXIT_OK;
    });
  },
};

function describe(v: Omit<Instance, 'lines'> & { lineCount: number; secrets: Record<string, boolean>; problems: Array<{ field: string; message: string }> }): string {
  const out = [`${v.name} (${v.family}, id ${v.id}), ${v.lineCount} lines`];
  for (const [section, obj] of [['connection', v.connection], ['advanced', v.advanced]] as const) {
    for (const [k, val] of Object.entries(obj)) out.push(`  ${section}.${k} = ${JSON.stringify(val)}`);
  }
  for (const [k, set] of Object.entries(v.secrets)) out.push(`  password ${k}: ${set ? 'set' : 'not set'}`);
  for (const p of v.problems) out.push(`  missing: ${p.field}: ${p.message}`);
  if (v.notes) out.push(`  notes: ${v.notes}`);
  return out.join('\n') + '\n';
}

const rename: Command = {
  name: 'rename',
  summary: 'rename an instance',
  usage: 'linekeeper instances rename --name NAME --new-name NEW [--data-dir DIR]',
  async run(argv, io) {
    const { values } = parseOptions(argv, { name: { type: 'string' }, 'new-name': { type: 'string' }, ...dataDirOption });
    const name = requireOption(values.name, '--name');
    const newName = requireOption(values['new-name'], '--new-name');
    return withStores(io, 'instances rename', values['data-dir'], async ({ instances }) => {
      const inst = await instances.rename((await instances.getByName(name)).id, newName);
      io.stdout(`renamed "${name}" to "${inst.name}"\n`);
      return EXIT_OK;
    });
  },
};

const duplicate: Command = {
  name: 'duplicate',
  summary: 'copy an instance with its settings, lines and passwords',
  usage: 'linekeeper instances duplicate --name NAME [--new-name NEW] [--data-dir DIR]',
  async run(argv, io) {
    const { values } = parseOptions(argv, { name: { type: 'string' }, 'new-name': { type: 'string' }, ...dataDirOption });
    const name = requireOption(values.name, '--name');
    return withStores(io, 'instances duplicate', values['data-dir'], async ({ instances }) => {
      const copy = await instances.duplicate((await instances.getByName(name)).id, values['new-name']);
      io.stdout(`duplicated "${name}" as "${copy.name}" (id ${copy.id}, ${copy.lines.length} lines)\n`);
      return EXIT_OK;
    });
  },
};

const del: Command = {
  name: 'delete',
  summary: 'delete an instance with its lines and passwords (naming it is the confirmation)',
  usage: 'linekeeper instances delete --name NAME [--data-dir DIR]',
  async run(argv, io) {
    const { values } = parseOptions(argv, { name: { type: 'string' }, ...dataDirOption });
    const name = requireOption(values.name, '--name');
    return withStores(io, 'instances delete', values['data-dir'], async ({ instances }) => {
      const inst = await instances.getByName(name);
      await instances.delete(inst.id);
      io.stdout(`deleted instance "${inst.name}" and its ${inst.lines.length} lines\n`);
      return EXIT_OK;
    });
  },
};

export const instancesCommand: Command = group('instances', 'create, list, rename, duplicate and delete driver instances', [create, list, show, rename, duplicate, del]);
