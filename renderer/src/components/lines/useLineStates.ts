import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { LINE_STATES_MAX, type LineState } from '../../../../shared/api/drivers';
import { api } from '../../api';

const REFRESH_MS = 5000;
/** Line events and answers are taken up at most this often: a driver opening 20,000 lines sends 20,000 events. */
const FLUSH_MS = 100;
/** Visible rows are gathered this long before they are asked for, so a fast scroll makes few calls. */
const ASK_MS = 50;

/** What the table shows per line: the driver's state, or out of service when the PBX reported the device gone. */
export type ShownLineState = LineState | 'outOfService';

/** The live states as the table reads them: look one up, and be told (at most every FLUSH_MS) when some changed. */
export interface LineStateStore {
  get(key: string): ShownLineState | undefined;
  subscribe(listener: () => void): () => void;
  version(): number;
}

/**
 * Per-line state (monitored, retrying, no licence …) for the rows on screen only, asked for in one `lines.states`
 * call per change of the visible rows and again every few seconds. Call events update the lines they name; both
 * are collected in a map and shown together at most every FLUSH_MS, so a storm of events costs one render, not
 * one per event (and never a copy of 20,000 states per event).
 */
export function useLineStates(instanceId: string) {
  const [running, setRunning] = useState(false);
  const [tick, setTick] = useState(0);
  const known = useRef(new Map<string, ShownLineState>());
  const flushTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const asked = useRef(new Set<string>());
  // The states live in a map changed in place; only the table subscribes, so the page around it (and its sort of
  // 20,000 rows) does not render again when a state changes.
  const version = useRef(0);
  const listeners = useRef(new Set<() => void>());
  const store = useMemo<LineStateStore>(
    () => ({
      get: (key) => known.current.get(key),
      subscribe(listener) {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
      version: () => version.current,
    }),
    [],
  );
  const notify = useCallback(() => {
    version.current++;
    for (const l of listeners.current) l();
  }, []);

  const schedule = useCallback(() => {
    if (flushTimer.current) return;
    flushTimer.current = setTimeout(() => {
      flushTimer.current = undefined;
      notify();
    }, FLUSH_MS);
  }, [notify]);

  useEffect(() => {
    let alive = true;
    known.current = new Map();
    asked.current.clear();
    notify();
    const check = () =>
      api()
        .call('driver.status', { instanceId })
        .then((s) => alive && setRunning(s.running))
        .catch(() => alive && setRunning(false));
    void check();
    const offStatus = api().on('connection.status', (c) => c.instanceId === instanceId && void check());
    const offEvent = api().on('line.event', (e) => {
      if (e.instanceId !== instanceId) return;
      const shown: ShownLineState = e.event === 'outOfService' ? 'outOfService' : e.lineState;
      if (known.current.get(e.line) === shown) return;
      known.current.set(e.line, shown);
      schedule();
    });
    const timer = setInterval(() => {
      asked.current.clear();
      setTick((n) => n + 1);
    }, REFRESH_MS);
    return () => {
      alive = false;
      offStatus();
      offEvent();
      clearInterval(timer);
      if (askTimer.current) clearTimeout(askTimer.current);
      askTimer.current = undefined;
      pending.current = [];
      if (flushTimer.current) clearTimeout(flushTimer.current);
      flushTimer.current = undefined;
    };
  }, [instanceId, schedule, notify]);

  /** The table's visible rows: those not asked since the last refresh go out together, in one call per ASK_MS. */
  const pending = useRef<string[]>([]);
  const askTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const request = useCallback(
    (keys: string[]) => {
      if (!running) return;
      for (const k of keys) {
        if (asked.current.has(k)) continue;
        asked.current.add(k);
        pending.current.push(k);
      }
      if (!pending.current.length || askTimer.current) return;
      askTimer.current = setTimeout(() => {
        askTimer.current = undefined;
        const batch = pending.current;
        pending.current = [];
        for (const k of batch) asked.current.delete(k);
        // Rows that scrolled past before the call went out are asked again when they come back.
        const wanted = batch.filter((k) => visible.current.has(k)).slice(0, LINE_STATES_MAX);
        for (const k of wanted) asked.current.add(k);
        if (!wanted.length) return;
        api()
          .call('lines.states', { instanceId, lines: wanted })
          .then(({ states: got }) => {
            let changed = false;
            for (const st of got) {
              const shown: ShownLineState = st.inService === false ? 'outOfService' : st.state;
              if (known.current.get(st.line) === shown) continue;
              known.current.set(st.line, shown);
              changed = true;
            }
            if (changed) schedule();
          })
          .catch(() => {
            for (const k of wanted) asked.current.delete(k);
          });
      }, ASK_MS);
    },
    [instanceId, running, schedule],
  );
  const visible = useRef(new Set<string>());
  const onVisible = useCallback(
    (keys: string[]) => {
      visible.current = new Set(keys);
      request(keys);
    },
    [request],
  );

  return { running, states: store, request: onVisible, tick };
}
