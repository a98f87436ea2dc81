import { create } from 'zustand';
import type { LineEvent } from '../../../shared/api/drivers';
import { api } from '../api';

/** Events kept per instance: enough to look back a while, bounded so a busy PBX cannot fill the memory. */
export const MONITOR_KEEP = 1000;

interface MonitorState {
  /** Newest first, per instance. */
  events: Record<string, LineEvent[]>;
  /** The last cleared list per instance, until the next clear: Undo puts it back. */
  cleared: Record<string, LineEvent[]>;
  start(): void;
  clear(instanceId: string): void;
  undoClear(instanceId: string): void;
}

let subscribed = false;

/**
 * The line monitor's events, collected for every instance from the moment the console first shows a monitor and
 * kept while the admin visits other pages (the monitor component only shows them).
 */
export const useMonitor = create<MonitorState>((set, get) => ({
  events: {},
  cleared: {},
  start() {
    if (subscribed) return;
    subscribed = true;
    // Events are gathered and taken up together, so a burst costs one update, not one per event.
    let pending: LineEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    api().on('line.event', (e) => {
      pending.push(e);
      timer ??= setTimeout(() => {
        timer = undefined;
        const batch = pending;
        pending = [];
        // One copy per instance and batch (a driver opening 20,000 lines sends 20,000 events at once).
        const byInstance = new Map<string, LineEvent[]>();
        for (let i = batch.length - 1; i >= 0; i--) {
          const ev = batch[i]!;
          const list = byInstance.get(ev.instanceId) ?? [];
          if (list.length < MONITOR_KEEP) list.push(ev);
          byInstance.set(ev.instanceId, list);
        }
        const events = { ...get().events };
        for (const [id, newest] of byInstance) events[id] = newest.concat((events[id] ?? []).slice(0, MONITOR_KEEP - newest.length));
        set({ events });
      }, 100);
    });
  },
  clear(instanceId) {
    set({ cleared: { ...get().cleared, [instanceId]: get().events[instanceId] ?? [] }, events: { ...get().events, [instanceId]: [] } });
  },
  undoClear(instanceId) {
    const back = get().cleared[instanceId];
    if (!back) return;
    const cleared = { ...get().cleared };
    delete cleared[instanceId];
    set({ cleared, events: { ...get().events, [instanceId]: [...(get().events[instanceId] ?? []), ...back].slice(0, MONITOR_KEEP) } });
  },
}));
