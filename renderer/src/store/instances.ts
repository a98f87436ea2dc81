import { create } from 'zustand';
import type { DocumentProblem, InstanceDetails } from '../../../shared/api/instances';
import type { Family, InstancePatch, InstanceSummary } from '../../../shared/model/instance';
import type { ConnectionState, DriverStatus } from '../../../shared/api/drivers';
import { api } from '../api';

export const INSTANCE_TABS = ['status', 'connection', 'lines', 'location', 'numberFormat', 'sipFilter', 'advanced', 'notes'] as const;
export type InstanceTab = (typeof INSTANCE_TABS)[number];
/** The sections of an instance that are edited as a draft and saved explicitly. */
export type Section = 'connection' | 'location' | 'numberFormat' | 'sipFilter' | 'advanced' | 'notes';

interface InstancesState {
  list: InstanceSummary[];
  problems: DocumentProblem[];
  loaded: boolean;
  /** Live connection state per instance, kept by the `connection.status` event. */
  states: Record<string, ConnectionState>;
  /** Instances whose stored password stopped working (status step `passwordNeeded`): the console asks for a new one. */
  passwordNeeded: Record<string, boolean>;
  /** Lines open of the lines of each running instance (from `driver.status`), so the sidebar says what works. */
  lineCounts: Record<string, DriverStatus['lines']>;
  /** Reads the line counts of the instances whose driver runs (and of `id`). */
  refreshLineCounts(id?: string): Promise<void>;
  selectedId: string | null;
  details: InstanceDetails | null;
  tab: InstanceTab;
  wizard: boolean;
  /** Unsaved edits per section of the selected instance; absent = as saved. */
  drafts: Partial<Record<Section, unknown>>;
  /** Unsaved edits of the other instances, kept while the admin looks elsewhere (and across a reload). */
  kept: Record<string, Drafts>;
  load(): Promise<void>;
  /** Opens an instance: on its Status page while its driver runs (or on `tab`), else on the page last shown. */
  select(id: string | null, tab?: InstanceTab): Promise<void>;
  setTab(tab: InstanceTab): void;
  openWizard(open: boolean): void;
  setDraft(section: Section, value: unknown): void;
  discard(section: Section): void;
  /** Saves one section; the draft is dropped once main has stored it. */
  save(section: Section): Promise<void>;
  /** A new instance held unsaved in main (the wizard's) until `commit`. */
  create(family: Family, name: string): Promise<InstanceDetails>;
  commit(id: string): Promise<InstanceDetails>;
  update(id: string, patch: InstancePatch): Promise<InstanceDetails>;
  duplicate(id: string): Promise<void>;
  remove(id: string, confirmName: string): Promise<void>;
  /** Refreshes the selected instance after line changes (line count, problems). */
  refresh(): Promise<void>;
}

type Drafts = Partial<Record<Section, unknown>>;

let subscribed = false;

// Drafts live in the tab's session storage too, so a reload (or a crash of the page) does not lose them.
const DRAFTS_KEY = 'linekeeper.drafts';

function storedDrafts(): Record<string, Drafts> {
  try {
    const parsed: unknown = JSON.parse(globalThis.sessionStorage?.getItem(DRAFTS_KEY) ?? '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, Drafts>) : {};
  } catch {
    return {};
  }
}

/** Every instance's unsaved drafts: the kept ones and the selected instance's. */
export function allDrafts(s: Pick<InstancesState, 'kept' | 'drafts' | 'selectedId'>): Record<string, Drafts> {
  const all = { ...s.kept };
  if (s.selectedId) delete all[s.selectedId];
  if (s.selectedId && Object.keys(s.drafts).length) all[s.selectedId] = s.drafts;
  return all;
}

export function hasUnsaved(s: Pick<InstancesState, 'kept' | 'drafts' | 'selectedId'>): boolean {
  return Object.keys(allDrafts(s)).length > 0;
}

/** The instance list, the selected instance and its unsaved drafts. */
export const useInstances = create<InstancesState>((set, get) => ({
  list: [],
  problems: [],
  loaded: false,
  states: {},
  passwordNeeded: {},
  lineCounts: {},
  selectedId: null,
  details: null,
  tab: 'connection',
  wizard: false,
  drafts: {},
  kept: storedDrafts(),
  async load() {
    const { instances, problems } = await api().call('instances.list', {});
    set({ list: instances, problems, loaded: true });
    if (!subscribed) {
      subscribed = true;
      api().on('instances.changed', () => void get().load());
      api().on('connection.status', (c) => {
        set({ states: { ...get().states, [c.instanceId]: c.state }, passwordNeeded: { ...get().passwordNeeded, [c.instanceId]: c.stepCode === 'passwordNeeded' } });
        void get().refreshLineCounts(c.instanceId);
      });
      api().on('lines.changed', ({ instanceId }) => {
        if (instanceId === get().selectedId) void get().refresh();
      });
    }
    for (const i of instances) {
      if (get().states[i.id]) continue;
      api()
        .call('driver.status', { instanceId: i.id })
        .then((s) => set({ states: { ...get().states, [i.id]: s.connection.state }, passwordNeeded: { ...get().passwordNeeded, [i.id]: s.connection.stepCode === 'passwordNeeded' }, lineCounts: { ...get().lineCounts, [i.id]: s.lines } }))
        .catch(() => undefined);
    }
    const sel = get().selectedId;
    if (sel && !instances.some((i) => i.id === sel)) set({ selectedId: null, details: null, drafts: {} });
    // Drafts of instances that no longer exist have nothing to go to.
    const kept = Object.fromEntries(Object.entries(get().kept).filter(([id]) => instances.some((i) => i.id === id)));
    if (Object.keys(kept).length !== Object.keys(get().kept).length) set({ kept });
  },
  async select(id, tab) {
    const all = allDrafts(get());
    if (!id) {
      set({ selectedId: null, details: null, drafts: {}, kept: all });
      return;
    }
    const details = await api().call('instances.get', { id });
    const drafts = all[id] ?? {};
    delete all[id];
    // Not known yet (the list's status calls still under way, e.g. a click right after the first load): ask, so a
    // running instance (the demo on the first start) opens on its Status page, not on its settings.
    const state = get().states[id] ?? (await api().call('driver.status', { instanceId: id }).then((st) => st.connection.state, () => undefined));
    const running = state !== undefined && state !== 'stopped';
    set({ selectedId: id, details, drafts, kept: all, wizard: false, ...(tab ? { tab } : running ? { tab: 'status' as const } : {}) });
  },
  async refreshLineCounts(id) {
    const ids = Object.entries(get().states)
      .filter(([k, st]) => st !== 'stopped' || k === id)
      .map(([k]) => k);
    await Promise.all(
      ids.map((k) =>
        api()
          .call('driver.status', { instanceId: k })
          .then((st) => set({ lineCounts: { ...get().lineCounts, [k]: st.lines } }))
          .catch(() => undefined),
      ),
    );
  },
  setTab(tab) {
    set({ tab });
  },
  openWizard(open) {
    set({ wizard: open });
  },
  setDraft(section, value) {
    set({ drafts: { ...get().drafts, [section]: value } });
  },
  discard(section) {
    const drafts = { ...get().drafts };
    delete drafts[section];
    set({ drafts });
  },
  async save(section) {
    const { details, drafts } = get();
    if (!details || !(section in drafts)) return;
    const value = drafts[section];
    const patch: InstancePatch = section === 'notes' ? { notes: value as string } : { [section]: value as Record<string, unknown> };
    const saved = await api().call('instances.update', { id: details.id, patch });
    const rest = { ...get().drafts };
    delete rest[section];
    set({ details: saved, drafts: rest });
  },
  async create(family, name) {
    return api().call('instances.create', { family, name, pending: true });
  },
  async commit(id) {
    const created = await api().call('instances.commit', { id });
    await get().load();
    return created;
  },
  async update(id, patch) {
    const saved = await api().call('instances.update', { id, patch });
    if (get().selectedId === id) set({ details: saved });
    return saved;
  },
  async duplicate(id) {
    const copy = await api().call('instances.duplicate', { id });
    await get().load();
    await get().select(copy.id);
  },
  async remove(id, confirmName) {
    await api().call('instances.delete', { id, confirmName });
    if (get().selectedId === id) set({ selectedId: null, details: null, drafts: {} });
    const kept = { ...get().kept };
    delete kept[id];
    set({ kept });
    await get().load();
  },
  async refresh() {
    const id = get().selectedId;
    if (!id) return;
    set({ details: await api().call('instances.get', { id }) });
  },
}));

useInstances.subscribe((s, prev) => {
  if (s.drafts === prev.drafts && s.kept === prev.kept && s.selectedId === prev.selectedId) return;
  try {
    globalThis.sessionStorage?.setItem(DRAFTS_KEY, JSON.stringify(allDrafts(s)));
  } catch {
    // A full or disabled session storage only loses the copy that survives a reload.
  }
});

/** The value a section shows: the unsaved draft if any, else what is saved. */
export function sectionValue<T>(details: InstanceDetails, drafts: Partial<Record<Section, unknown>>, section: Section): T {
  if (section in drafts) return drafts[section] as T;
  return (section === 'notes' ? details.notes : details[section]) as T;
}
