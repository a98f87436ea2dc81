import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT_FAILED, EXIT_OK, group, parseOptions, requireOption, UsageError, type CliIO, type Command } from '../command';
import { withStores } from './instances';
import type { LicenceOverview } from '../../../shared/api/licences';
import type { ConfigStores } from '../../engine/instances';
import { generateLicenceKeyPair, issueLicenceKey, openLicenceService, PUBLIC_KEY_ENV, type LicenceService } from '../../engine/licences';

const dataDirOption = { 'data-dir': { type: 'string' } } as const;

function withLicences(io: CliIO, verb: string, dataDir: string | undefined, fn: (l: LicenceService, stores: ConfigStores) => Promise<number>): Promise<number> {
  return withStores(io, `licences ${verb}`, dataDir, (stores, dir) => fn(openLicenceService(dir, stores.docs, stores.instances, stores.secrets), stores));
}

/** The overview in words: pool, trial, keys, use per instance. */
export function formatOverview(s: LicenceOverview): string {
  const out: string[] = [];
  const source = s.keys.some((k) => k.valid) ? `${s.licensed} licensed by key` : s.trial.active ? 'trial' : 'no licence';
  out.push(`Licences: ${s.total} (${source}), ${s.inUse} in use, ${s.free} free`);
  const t = s.trial;
  if (t.tampered) out.push('Trial: over (its stored data was changed by hand)');
  else if (t.active) out.push(`Trial: ${t.daysLeft} day${t.daysLeft === 1 ? '' : 's'} left, ${t.lines} lines, ends ${t.endsAt.slice(0, 10)}${s.keys.some((k) => k.valid) ? ' (not counted: a key is entered)' : ''}`);
  else out.push(`Trial: ended ${t.endsAt.slice(0, 10)}`);
  if (t.clockSetBack) out.push('Warning: the clock of this PC is behind a time seen earlier; the trial keeps counting from that time.');
  for (const w of t.warnings) out.push(`Warning: ${w.code} (trial started ${w.params.startedAt.slice(0, 10)})`);
  if (!s.keys.length) out.push('Keys: none');
  for (const k of s.keys) {
    out.push(k.valid ? `Key ${k.id}: ${k.lines} lines, issued ${k.issued}${k.licensee ? ` to ${k.licensee}` : ''}, added ${k.addedAt.slice(0, 10)}` : `Key ${k.id}: not valid (${k.problem})`);
  }
  for (const u of s.instances) out.push(`In use by "${u.name}": ${u.lines} lines${u.phones ? `, ${u.phones} telephones` : ''}`);
  return out.join('\n') + '\n';
}

const status: Command = {
  name: 'status',
  summary: 'show keys, licences in use and the trial',
  usage: 'linekeeper licences status [--json] [--data-dir DIR]',
  async run(argv, io) {
    const { values } = parseOptions(argv, { json: { type: 'boolean', default: false }, ...dataDirOption });
    return withLicences(io, 'status', values['data-dir'], async (licences) => {
      const s = await licences.status();
      io.stdout(values.json ? JSON.stringify(s, null, 2) + '\n' : formatOverview(s));
      return EXIT_OK;
    });
  },
};

const add: Command = {
  name: 'add',
  summary: 'enter a licence key',
  usage: 'linekeeper licences add KEY [--data-dir DIR]',
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, dataDirOption, true);
    if (positionals.length !== 1) throw new UsageError(positionals.length ? `one KEY expected, got ${positionals.length}` : 'missing the licence KEY');
    return withLicences(io, 'add', values['data-dir'], async (licences) => {
      const s = await licences.addKey(positionals[0]);
      io.stdout(`licence key added; ${s.licensed} lines licensed in total\n`);
      return EXIT_OK;
    });
  },
};

const remove: Command = {
  name: 'remove',
  summary: 'remove a licence key by its ID',
  usage: 'linekeeper licences remove ID [--data-dir DIR]',
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, dataDirOption, true);
    if (positionals.length !== 1) throw new UsageError('give the ID of the key to remove (see licences status)');
    return withLicences(io, 'remove', values['data-dir'], async (licences) => {
      const s = await licences.removeKey(positionals[0]);
      io.stdout(`licence key ${positionals[0]} removed; ${s.licensed} lines licensed in total\n`);
      return EXIT_OK;
    });
  },
};

const keygen: Command = {
  name: 'keygen',
  summary: 'VENDOR: make an Ed25519 key pair for issuing licence keys',
  usage: 'linekeeper licences keygen --private-key FILE --public-key FILE',
  async run(argv, io) {
    const { values } = parseOptions(argv, { 'private-key': { type: 'string' }, 'public-key': { type: 'string' } });
    const priv = resolve(requireOption(values['private-key'], '--private-key'));
    const pub = resolve(requireOption(values['public-key'], '--public-key'));
    for (const f of [priv, pub]) {
      if (existsSync(f)) {
        io.stderr(`linekeeper licences keygen: ${f} exists; refusing to overwrite a key\n`);
        return EXIT_FAILED;
      }
    }
    const pair = generateLicenceKeyPair();
    writeFileSync(priv, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
    writeFileSync(pub, pair.publicKeyPem, { flag: 'wx' });
    io.stdout(`private key (keep it secret, it issues licences): ${priv}\npublic key (LINEKEEPER_VENDOR_PUBLIC_KEY of a release build, or ${PUBLIC_KEY_ENV} of a development build): ${pub}\n`);
    return EXIT_OK;
  },
};

const issue: Command = {
  name: 'issue',
  summary: 'VENDOR: issue a licence key for a number of lines',
  usage: 'linekeeper licences issue --private-key FILE --lines N --id ID [--licensee TEXT] [--issued YYYY-MM-DD]',
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      'private-key': { type: 'string' },
      lines: { type: 'string' },
      id: { type: 'string' },
      licensee: { type: 'string' },
      issued: { type: 'string' },
    });
    const file = requireOption(values['private-key'], '--private-key');
    const linesText = requireOption(values.lines, '--lines');
    const lines = Number(linesText);
    if (!/^\d+$/.test(linesText) || lines < 1 || lines > 1_000_000) throw new UsageError(`--lines must be a whole number 1-1000000, got "${linesText}"`);
    const id = requireOption(values.id, '--id');
    if (id.length > 64) throw new UsageError('--id must be at most 64 characters');
    if (values.issued !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.issued)) throw new UsageError(`--issued must be YYYY-MM-DD, got "${values.issued}"`);
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch (e) {
      io.stderr(`linekeeper licences issue: cannot read the private key ${file}: ${(e as Error).message}\n`);
      return EXIT_FAILED;
    }
    try {
      io.stdout(issueLicenceKey(pem, { id, lines, issued: values.issued, licensee: values.licensee }) + '\n');
    } catch (e) {
      io.stderr(`linekeeper licences issue: ${file} is not an Ed25519 private key: ${(e as Error).message}\n`);
      return EXIT_FAILED;
    }
    return EXIT_OK;
  },
};

export const licencesCommand: Command = group('licences', 'licence keys, the trial and the shared line pool', [status, add, remove, keygen, issue]);
