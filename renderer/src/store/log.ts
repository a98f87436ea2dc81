import { create } from 'zustand';
import type { LogEntry, LogLevel, LogSettings } from '../../../shared/api/app';
import { api } from '../api';

const KEEP = 500;

interface LogState {
  settings: LogSettings | null;
  entries: LogEntry[];
  filter: LogLevel;
  load(): Promise<void>;
  setFilter(level: LogLevel): void;
  configure(patch: { level?: LogLevel; keepDays?: number; directory?: string }): Promise<void>;
  deleteOld(): Promise<number>;
}

let unsubscribe: (() => void) | null = null;

/** Log settings and the recent entries, kept live by the `log.entry` event. */
export const useLog = create<LogState>((set, get) => ({
  settings: null,
  entries: [],
  filter: 'info',
  async load() {
    const [settings, entries] = await Promise.all([api().call('log.settings', {}), api().call('log.recent', { limit: KEEP })]);
    set({ settings, entries });
    unsubscribe ??= api().on('log.entry', (entry) => set({ entries: [...get().entries.slice(-(KEEP - 1)), entry] }));
  },
  setFilter(filter) {
    set({ filter });
  },
  async configure(patch) {
    set({ settings: await api().call('log.configure', patch) });
  },
  async deleteOld() {
    const keepDays = get().settings?.keepDays ?? 30;
    const { deleted } = await api().call('log.deleteOld', { olderThanDays: keepDays });
    return deleted.length;
  },
}));
