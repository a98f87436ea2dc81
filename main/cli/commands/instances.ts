import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, formatTable, group, parseOptions, requireOption, UsageError, type CliIO, type Command } from '../command';
import { resolveDataDir } from '../data-dir';
import { isApiError } from '../../../shared/api/errors';
import { readFileSync } from 'node:fs';
import { FAMILIES, instanceProblems, mainPort, SECRET_FIELDS, type Family, type Instance, type InstancePatch } from '../../../shared/model/instance';
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
      io.stdout(formatTable(rows));
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

const SECTIONS = ['connection', 'location', 'numberFormat', 'sipFilter', 'advanced'] as const;

/**
 * `section.field=value` pairs into an instance patch. Each value takes the type of the field it replaces
 * (number, true/false, JSON for lists), so `connection.user=1234` stays text.
 */
export function parseAssignments(pairs: string[], inst: Instance): InstancePatch {
  const patch: Record<string, Record<string, unknown> | string> = {};
  for (const pair of pairs) {
    const m = /^([A-Za-z]+)\.([A-Za-z]+)=(.*)$/s.exec(pair);
    if (m && (SECTIONS as readonly string[]).includes(m[1])) {
      const current = (inst[m[1] as (typeof SECTIONS)[number]] as Record<string, unknown>)[m[2]];
      const section = (patch[m[1]] ??= {}) as Record<string, unknown>;
      section[m[2]] = typed(m[3], current);
    } else if (/^notes=/s.test(pair)) {
      patch.notes = pair.slice('notes='.length);
    } else {
      throw new UsageError(`"${pair}" is not SECTION.FIELD=VALUE (sections: ${SECTIONS.join(', ')}) or notes=TEXT`);
    }
  }
  return patch as InstancePatch;
}

function typed(text: string, current: unknown): unknown {
  if (typeof current === 'number' && /^-?\d+$/.test(text)) return Number(text);
  if (typeof current === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  if (current !== null && typeof current === 'object') {
    try {
      return JSON.parse(text);
    } catch {
      throw new UsageError(`the value "${text}" must be JSON (the setting is a list or object)`);
    }
  }
  // Anything else goes through as text; the settings check names the field if it is the wrong type.
  return text;
}

const set: Command = {
  name: 'set',
  summary: 'change settings: connection.host=10.0.0.5 connection.port=33333 advanced.readLineNames=false …',
  usage: 'linekeeper instances set --name NAME SECTION.FIELD=VALUE... [--password-file FILE [--password-field F]] [--data-dir DIR]',
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { name: { type: 'string' }, 'password-file': { type: 'string' }, 'password-field': { type: 'string' }, ...dataDirOption }, true);
    const name = requireOption(values.name, '--name');
    if (!positionals.length && !values['password-file']) throw new UsageError('nothing to set: give SECTION.FIELD=VALUE pairs or --password-file');
    return withStores(io, 'instances set', values['data-dir'], async ({ instances }) => {
      let inst = await instances.getByName(name);
      if (positionals.length) inst = await instances.update(inst.id, parseAssignments(positionals, inst));
      if (values['password-file']) {
        // From a file, not the command line, so the password stays out of shell history and process lists.
        const password = readFileSync(values['password-file'], 'utf8').split(/\r?\n/)[0];
        const field = values['password-field'] ?? SECRET_FIELDS[inst.family][0];
        await instances.setSecret(inst.id, field, password);
        io.stdout(`password ${field} of "${inst.name}" ${password ? 'saved' : 'removed'}\n`);
      }
      if (positionals.length) io.stdout(`updated "${inst.name}": ${positionals.map((p) => p.split('=')[0]).join(', ')}\n`);
      return EXIT_OK;
    });
  },
};

export const instancesCommand: Command = group('instances', 'create, list, change, rename, duplicate and delete driver instances', [create, list, show, set, rename, duplicate, del]);
