import { addedProfiles } from '../profiles';
import { randomUUID } from 'node:crypto';
import { damagedInstances, holderOf, type DamagedInstance } from './damaged';
import { ApiFailure, ErrorCodes, issueDetail, type IssueDetail } from '../../../shared/api/errors';
import { coded, type Coded } from '../../../shared/problems';
import type { Line } from '../../../shared/model/line';
import { FAMILY_SPECS, familySpec, type FamilyCatalogue } from '../../../shared/families';
import {
  checkLines,
  instanceSchema,
  instanceSchemaOf,
  normalizeLine,
  patchedConnection,
  type Instance,
  type InstancePatch,
  type InstanceSummary,
  type LineProblem,
  type SecretField,
} from '../../../shared/model/instance';
import type { DocumentSpec, DocumentStore } from '../../store/document-store';
import { StoreError } from '../../store/errors';
import type { SecretStore } from '../../store/secret-store';

export const InstanceErrorCodes = {
  settingsInvalid: 'SETTINGS_INVALID',
  nameTaken: 'INSTANCE_NAME_TAKEN',
  /** The name belongs to an instance whose document is damaged; it comes back when that is restored. */
  nameBlocked: 'INSTANCE_NAME_BLOCKED',
  linesInvalid: 'LINES_INVALID',
  secretField: 'SECRET_FIELD_UNKNOWN',
} as const;

export const INSTANCE_PREFIX = 'instance-';
export const INSTANCE_SPEC: DocumentSpec<Instance> = { kind: 'instance', version: 1, schema: instanceSchema };

export type InstanceChangeKind = 'created' | 'updated' | 'deleted' | 'lines';
export interface InstanceChange {
  instanceId: string;
  kind: InstanceChangeKind;
  /** Lines after the change (for `lines` and `created`). */
  lineCount?: number;
}

/** A stored instance document that cannot be loaded; listed so the UI can offer its backup. */
/** An instance document that cannot be loaded (backup offered in details), with the name it is known by. */
export type InstanceProblem = DamagedInstance;

export interface InstanceStoreOptions {
  docs: DocumentStore;
  secrets: SecretStore;
  /** The families instances may have (default: the shipped four; tests add one). */
  families?: FamilyCatalogue;
}

/**
 * Driver instances, one document each (`instance-<id>.json`). Every change is validated as a whole and written
 * atomically; a failed validation writes nothing. Listeners hear of every change (the API maps them to events).
 */
export class InstanceStore {
  private readonly docs: DocumentStore;
  private readonly secrets: SecretStore;
  private listeners = new Set<(c: InstanceChange) => void>();
  private readonly families: FamilyCatalogue;
  private readonly spec: DocumentSpec<Instance>;

  constructor(opts: InstanceStoreOptions) {
    this.docs = opts.docs;
    this.secrets = opts.secrets;
    this.families = opts.families ?? FAMILY_SPECS;
    this.spec = this.families === FAMILY_SPECS ? INSTANCE_SPEC : { ...INSTANCE_SPEC, schema: instanceSchemaOf(this.families) };
  }

  private parse(value: unknown): Instance {
    return parseWith(this.spec, value);
  }

  onChange(listener: (c: InstanceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every loadable instance, by name; broken documents are left out and reported by problems(). */
  async list(): Promise<Instance[]> {
    const out: Instance[] = [];
    for (const doc of await this.docs.list(INSTANCE_PREFIX)) {
      try {
        const inst = await this.docs.read(doc, this.spec);
        if (inst) out.push(inst);
      } catch (e) {
        if (!(e instanceof StoreError)) throw e;
      }
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async summaries(): Promise<InstanceSummary[]> {
    return (await this.list()).map(summarize);
  }

  /** Instance documents that exist but cannot be loaded (with the backup offered in details). */
  async problems(): Promise<InstanceProblem[]> {
    return damagedInstances(this.docs, INSTANCE_PREFIX, this.spec);
  }

  /** The instance or NOT_FOUND; a broken document throws DOCUMENT_UNREADABLE naming it. */
  async get(id: string): Promise<Instance> {
    const inst = await this.docs.read(docName(id), this.spec);
    if (!inst) throw notFound(id);
    return inst;
  }

  async findByName(name: string): Promise<Instance | undefined> {
    const key = name.trim().toLowerCase();
    return (await this.list()).find((i) => i.name.toLowerCase() === key);
  }

  /** Like findByName, but NOT_FOUND with the known names when there is none (for the CLI). */
  async getByName(name: string): Promise<Instance> {
    const inst = await this.findByName(name);
    if (inst) return inst;
    const names = (await this.list()).map((i) => i.name);
    throw new ApiFailure(ErrorCodes.notFound, `no instance named "${name}"${names.length ? ` (instances: ${names.join(', ')})` : ' (there are no instances)'}`, { name });
  }

  /** A new instance with the family's defaults from the manuals. */
  async create(input: { family: string; name: string; notes?: string }): Promise<Instance> {
    const id = randomUUID();
    // The name check runs under the write lock, so two creates (even from two processes) cannot both take a name.
    const inst = await this.docs.update(docName(id), this.spec, async (cur) => {
      if (cur) throw new ApiFailure(ErrorCodes.conflict, `instance ${id} exists already`);
      const name = await this.freeName(input.name);
      return this.parse({ id, family: input.family, name, notes: input.notes ?? '', createdAt: new Date().toISOString() });
    });
    this.emit({ instanceId: id, kind: 'created', lineCount: 0 });
    return inst;
  }

  async rename(id: string, name: string): Promise<Instance> {
    return this.update(id, { name });
  }

  /** A copy with settings, lines and passwords under a new name (default "<name> (copy)"). */
  async duplicate(id: string, name?: string): Promise<Instance> {
    const src = await this.get(id);
    const newId = randomUUID();
    const copy = await this.docs.update(docName(newId), this.spec, async () => {
      const newName = await this.freeName(name ?? (await this.copyName(src.name)));
      return this.parse({ ...src, id: newId, name: newName, createdAt: new Date().toISOString() });
    });
    for (const field of familySpec(src.family, this.families).secrets) {
      const value = await this.secrets.get(secretKey(id, field));
      if (value !== undefined) await this.secrets.set(secretKey(newId, field), value);
    }
    this.emit({ instanceId: newId, kind: 'created', lineCount: copy.lines.length });
    return copy;
  }

  /** Deletes the instance document, its backup and its passwords. */
  async delete(id: string): Promise<void> {
    await this.get(id);
    await this.docs.remove(docName(id));
    await this.secrets.deletePrefix(`instance/${id}/`);
    this.emit({ instanceId: id, kind: 'deleted' });
  }

  /**
   * Merges each given section one level deep into the current one and validates the result; errors name the
   * field (`connection.port`). Switching a transport moves a port still at its old default to the new default.
   */
  async update(id: string, patch: InstancePatch): Promise<Instance> {
    const hostGiven = patch.connection && 'host' in patch.connection;
    if (hostGiven && typeof patch.connection!.host === 'string' && patch.connection!.host.trim() === '') {
      throw settingsInvalid([ruleDetail('connection.host', coded('validation.hostEmpty'))]);
    }
    // An access profile the admin added fills in the connection as a built-in one does; an unknown one is refused.
    const family = patch.connection ? (await this.get(id)).family : undefined;
    const added = family ? await addedProfiles(this.docs, family) : [];
    const profiles = family ? familySpec(family, this.families).profiles : undefined;
    const chosen = profiles ? patch.connection![profiles.field] : undefined;
    if (profiles && typeof chosen === 'string' && chosen !== 'custom' && ![...profiles.builtIn, ...added].some((p) => p.id === chosen)) {
      throw settingsInvalid([ruleDetail(`connection.${profiles.field}`, coded('validation.providerUnknown', { known: ['custom', ...profiles.builtIn.map((p) => p.id), ...added.map((p) => p.id)].join(', ') }))]);
    }
    const saved = await this.docs.update(docName(id), this.spec, async (cur) => {
      if (!cur) throw notFound(id);
      const merged: Record<string, unknown> = { ...cur };
      if (patch.name !== undefined) merged.name = await this.freeName(patch.name, id);
      if (patch.notes !== undefined) merged.notes = patch.notes;
      for (const section of ['location', 'numberFormat', 'sipFilter', 'advanced'] as const) {
        const p = patch[section];
        if (p) merged[section] = { ...(cur[section] as object), ...p };
      }
      // The family's fill-ins (a provider profile, TLS off when going direct) and a default port following the transport.
      if (patch.connection) merged.connection = patchedConnection(cur, patch.connection, this.families, added);
      return this.parse(merged);
    });
    this.emit({ instanceId: id, kind: 'updated' });
    return saved;
  }

  /**
   * Replaces the line list with what `fn` returns, all or nothing: every line is normalized and checked (number
   * syntax, MAC format, duplicates); any problem throws LINES_INVALID listing them and nothing is written.
   */
  async updateLines(id: string, fn: (lines: Line[], instance: Instance) => Line[] | Promise<Line[]>): Promise<Instance> {
    const saved = await this.docs.update(docName(id), this.spec, async (cur) => {
      if (!cur) throw notFound(id);
      const lines = (await fn(cur.lines.map((l) => ({ ...l })), cur)).map(normalizeLine);
      const problems = checkLines(familySpec(cur.family, this.families), lines);
      if (problems.length) throw linesInvalid(problems);
      return { ...cur, lines };
    });
    this.emit({ instanceId: id, kind: 'lines', lineCount: saved.lines.length });
    return saved;
  }

  /** The file holding the instance document as it was before its last save. */
  backupFileOf(id: string): string {
    return this.docs.backupFileOf(docName(id));
  }

  /** Puts the kept backup of an instance document in place of a broken one (offered when loading fails). */
  async restoreFromBackup(id: string): Promise<Instance> {
    const inst = await this.docs.restoreBackup(docName(id), this.spec);
    this.emit({ instanceId: id, kind: 'updated' });
    return inst;
  }

  /** For changes made below the store (a restored configuration): tells the listeners. */
  announce(change: InstanceChange): void {
    this.emit(change);
  }

  // ---- passwords

  async setSecret(id: string, field: string, value: string | null): Promise<void> {
    const inst = await this.get(id);
    checkSecretField(this.families, inst.family, field);
    if (value === null || value === '') await this.secrets.delete(secretKey(id, field));
    else await this.secrets.set(secretKey(id, field), value);
    // A running instance takes a new password up at once (a link waiting for one reconnects).
    this.emit({ instanceId: id, kind: 'updated' });
  }

  async getSecret(id: string, field: SecretField): Promise<string | undefined> {
    return this.secrets.get(secretKey(id, field));
  }

  /** Which passwords are set (never their values). */
  async secretStatus(id: string): Promise<Record<string, boolean>> {
    const inst = await this.get(id);
    const out: Record<string, boolean> = {};
    for (const f of familySpec(inst.family, this.families).secrets) out[f] = await this.secrets.has(secretKey(id, f));
    return out;
  }

  /** Removes passwords of instances that no longer exist (after a restore replaced the instances). */
  async pruneSecrets(): Promise<number> {
    const ids = new Set((await this.docs.list(INSTANCE_PREFIX)).map((d) => d.slice(INSTANCE_PREFIX.length)));
    let removed = 0;
    for (const key of await this.secrets.keys()) {
      const m = /^instance\/([^/]+)\//.exec(key);
      if (m && !ids.has(m[1])) {
        await this.secrets.delete(key);
        removed++;
      }
    }
    return removed;
  }

  private async freeName(name: string, exceptId?: string): Promise<string> {
    const trimmed = name.trim();
    if (!trimmed) throw settingsInvalid([ruleDetail('name', coded('validation.nameEmpty'))]);
    const taken = (await this.list()).find((i) => i.id !== exceptId && i.name.toLowerCase() === trimmed.toLowerCase());
    if (taken) throw new ApiFailure(InstanceErrorCodes.nameTaken, `an instance named "${taken.name}" exists already`, { name: trimmed, id: taken.id });
    const blocked = holderOf(await this.problems(), trimmed);
    if (blocked) {
      throw new ApiFailure(InstanceErrorCodes.nameBlocked, `the name "${blocked.name}" belongs to an instance whose document ${blocked.document} is damaged; restore it from its backup copy or choose another name`, { name: blocked.name, document: blocked.document });
    }
    return trimmed;
  }

  private async copyName(name: string): Promise<string> {
    const names = new Set([...(await this.list()).map((i) => i.name), ...(await this.problems()).map((p) => p.name ?? '')].map((n) => n.toLowerCase()));
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? `${name} (copy)` : `${name} (copy ${n})`;
      if (!names.has(candidate.toLowerCase())) return candidate;
    }
  }

  private emit(c: InstanceChange): void {
    for (const l of this.listeners) {
      try {
        l(c);
      } catch {
        // One failing listener must not hide the change from the others.
      }
    }
  }
}

export function docName(id: string): string {
  return `${INSTANCE_PREFIX}${id}`;
}

export function secretKey(id: string, field: string): string {
  return `instance/${id}/${field}`;
}

export function summarize(i: Instance): InstanceSummary {
  return { id: i.id, name: i.name, family: i.family, host: i.connection.host, lineCount: i.lines.length, notes: i.notes };
}

function parseWith(spec: DocumentSpec<Instance>, value: unknown): Instance {
  const r = spec.schema.safeParse(value);
  if (r.success) return r.data;
  throw settingsInvalid(r.error.issues.map(issueDetail));
}

function ruleDetail(path: string, problem: Coded): IssueDetail {
  return { path, message: problem.message, problem };
}

function settingsInvalid(issues: IssueDetail[]): ApiFailure {
  const text = issues.map((i) => `${i.path || '(instance)'}: ${i.message}`).join('; ');
  return new ApiFailure(InstanceErrorCodes.settingsInvalid, `invalid settings: ${text}`, { issues });
}

function linesInvalid(problems: LineProblem[]): ApiFailure {
  const shown = problems.slice(0, 5).map((p) => `line ${p.index + 1} ${p.field}: ${p.message}`);
  const more = problems.length > 5 ? ` and ${problems.length - 5} more` : '';
  return new ApiFailure(InstanceErrorCodes.linesInvalid, `lines not saved: ${shown.join('; ')}${more}`, { problems });
}

function notFound(id: string): ApiFailure {
  return new ApiFailure(ErrorCodes.notFound, `no instance with id ${id}`, { id });
}

function checkSecretField(families: FamilyCatalogue, family: string, field: string): void {
  const fields = familySpec(family, families).secrets;
  if (!fields.includes(field)) throw new ApiFailure(InstanceErrorCodes.secretField, `a ${family} instance has no password "${field}" (known: ${fields.join(', ')})`, { field });
}
