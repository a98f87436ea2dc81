import { create } from 'zustand';
import type { DocumentProblem, InstanceDetails } from '../../../shared/api/instances';
import type { Family, InstancePatch, InstanceSummary } from '../../../shared/model/instance';
import type { ConnectionState } from '../../../shared/api/drivers';
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
  selectedId: string | null;
  details: InstanceDetails | null;
  tab: InstanceTab;
  wizard: boolean;
  /** Unsaved edits per section of the selected instance; absent = as saved. */
  drafts: Partial<Record<Section, unknown>>;
  load(): Promise<void>;
  select(id: string | null): Promise<void>;
  setTab(tab: InstanceTab): void;
  openWizard(open: boolean): void;
  setDraft(section: Section, value: unknown): void;
  discard(section: Section): void;
  /** Saves one section; the draft is dropped once main has stored it. */
  save(section: Section): Promise<void>;
  create(family: Family, name: string): Promise<InstanceDetails>;
  update(id: string, patch: InstancePatch): Promise<InstanceDetails>;
  duplicate(id: string): Promise<void>;
  remove(id: string, confirmName: string): Promise<void>;
  /** Refreshes the selected instance after line changes (line count, problems). */
  refresh(): Promise<void>;
}

let subscribed = false;

/** The instance list, the selected instance and its unsaved drafts. */
export const useInstances = create<InstancesState>((set, get) => ({
  list: [],
  problems: [],
  loaded: false,
  states: {},
  selectedId: null,
  details: null,
  tab: 'connection',
  wizard: false,
  drafts: {},
  async load() {
    const { instances, problems } = await api().call('instances.list', {});
    set({ list: instances, problems, loaded: true });
    if (!subscribed) {
      subscribed = true;
      api().on('instances.changed', () => void get().load());
      api().on('connection.status', (c) => set({ states: { ...get().states, [c.instanceId]: c.state } }));
      api().on('lines.changed', ({ instanceId }) => {
        if (instanceId === get().selectedId) void get().refresh();
      });
    }
    for (const i of instances) {
      if (get().states[i.id]) continue;
      api()
        .call('driver.status', { instanceId: i.id })
        .then((s) => set({ states: { ...get().states, [i.id]: s.connection.state } }))
        .catch(() => undefined);
    }
    const sel = get().selectedId;
    if (sel && !instances.some((i) => i.id === sel)) set({ selectedId: null, details: null, drafts: {} });
  },
  async select(id) {
    if (!id) {
      set({ selectedId: null, details: null, drafts: {} });
      return;
    }
    const details = await api().call('instances.get', { id });
    set({ selectedId: id, details, drafts: {}, wizard: false });
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
    const created = await api().call('instances.create', { family, name });
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
    await get().load();
  },
  async refresh() {
    const id = get().selectedId;
    if (!id) return;
    set({ details: await api().call('instances.get', { id }) });
  },
}));

/** The value a section shows: the unsaved draft if any, else what is saved. */
export function sectionValue<T>(details: InstanceDetails, drafts: Partial<Record<Section, unknown>>, section: Section): T {
  if (section in drafts) return drafts[section] as T;
  return (section === 'notes' ? details.notes : details[section]) as T;
}
