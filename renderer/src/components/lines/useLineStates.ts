import { useCallback, useEffect, useRef, useState } from 'react';
import type { LineState } from '../../../../shared/api/drivers';
import { api } from '../../api';

const REFRESH_MS = 5000;

/** What the table shows per line: the driver's state, or out of service when the PBX reported the device gone. */
export type ShownLineState = LineState | 'outOfService';


/**
 * Per-line state (monitored, retrying, no licence …) for the rows on screen only: asking for 20,000 lines at
 * once would flood main. Call events update a line at once; the visible rows are asked again every few seconds.
 */
export function useLineStates(instanceId: string) {
  const [running, setRunning] = useState(false);
  const [states, setStates] = useState<Record<string, ShownLineState>>({});
  const [tick, setTick] = useState(0);
  const asked = useRef(new Set<string>());

  useEffect(() => {
    let alive = true;
    const check = () =>
      api()
        .call('driver.status', { instanceId })
        .then((s) => alive && setRunning(s.running))
        .catch(() => alive && setRunning(false));
    void check();
    const offStatus = api().on('connection.status', (c) => c.instanceId === instanceId && void check());
    const offEvent = api().on('line.event', (e) => e.instanceId === instanceId && setStates((s) => ({ ...s, [e.line]: e.event === 'outOfService' ? 'outOfService' : e.lineState })));
    const timer = setInterval(() => {
      asked.current.clear();
      setTick((n) => n + 1);
    }, REFRESH_MS);
    return () => {
      alive = false;
      offStatus();
      offEvent();
      clearInterval(timer);
    };
  }, [instanceId]);

  const request = useCallback(
    (numbers: string[]) => {
      if (!running) return;
      for (const n of numbers) {
        if (asked.current.has(n)) continue;
        asked.current.add(n);
        api()
          .call('line.status', { instanceId, line: n })
          .then((st) => {
            const shown: ShownLineState = st.inService === false ? 'outOfService' : st.state;
            setStates((s) => (s[n] === shown ? s : { ...s, [n]: shown }));
          })
          .catch(() => undefined);
      }
    },
    [instanceId, running],
  );

  return { running, states, request, tick };
}
