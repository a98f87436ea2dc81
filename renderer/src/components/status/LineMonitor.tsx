import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LineEvent } from '../../../../shared/api/drivers';
import { formatDateTime, formatNumber } from '../../i18n';
import { useLineEventText } from '../../i18n/useLineEventText';
import { MONITOR_KEEP, useMonitor } from '../../store/monitor';

const SHOWN = 200;
const NO_EVENTS: LineEvent[] = [];

/**
 * The instance's call events (kept while the admin is on other pages, the last MONITOR_KEEP): which line (or its
 * Super-Twin handset), what happened, the other party, the line's state. Filter by line and event, pause the
 * view, clear (with undo), export what is shown as CSV.
 */
export function LineMonitor({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation();
  const eventText = useLineEventText();
  const live = useMonitor((s) => s.events[instanceId] ?? NO_EVENTS);
  const cleared = useMonitor((s) => s.cleared[instanceId]);
  const clear = useMonitor((s) => s.clear);
  const undoClear = useMonitor((s) => s.undoClear);
  useEffect(() => useMonitor.getState().start(), []);
  const [frozen, setFrozen] = useState<LineEvent[] | null>(null);
  const [line, setLine] = useState('');
  const [kind, setKind] = useState('');
  const all = frozen ?? live;
  const kinds = useMemo(() => [...new Set(all.map((e) => e.event))].sort(), [all]);
  const shown = useMemo(() => {
    const l = line.trim();
    return all.filter((e) => (!l || e.number.includes(l) || e.line.includes(l) || !!e.twin?.includes(l)) && (!kind || e.event === kind));
  }, [all, line, kind]);
  const waiting = frozen ? live.length - frozen.length : 0;

  // The line's number, not its key (a CME line's key is number|MAC); the CSV keeps the key.
  const lineLabel = (e: LineEvent) => (e.twin ? t('monitor.twinOf', { line: e.number, twin: e.twin }) : e.number);
  const exportCsv = () => {
    const cells = (e: LineEvent) => [e.time, e.line, e.twin ?? '', e.event, e.callState ?? '', e.numbers.remote ?? '', e.lineState, e.cause ?? ''];
    const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const rows = [['time', 'line', 'twin', 'event', 'callState', 'remote', 'lineState', 'cause'], ...shown.map(cells)];
    const blob = new Blob([rows.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n'], { type: 'text/csv' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `line-monitor-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  return (
    <section className="card" aria-label={t('monitor.title')}>
      <h2>{t('monitor.title')}</h2>
      <div className="toolbar">
        <label>
          <span>{t('monitor.filterLine')}</span>
          <input type="search" value={line} onChange={(e) => setLine(e.target.value)} />
        </label>
        <label>
          <span>{t('monitor.filterEvent')}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">{t('monitor.allEvents')}</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {eventText({ event: k, cause: null })}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="secondary" aria-pressed={!!frozen} onClick={() => setFrozen(frozen ? null : live)}>
          {frozen ? t('monitor.resume') : t('monitor.pause')}
        </button>
        <button type="button" className="secondary" disabled={live.length === 0} onClick={() => (setFrozen(null), clear(instanceId))}>
          {t('monitor.clear')}
        </button>
        <button type="button" className="secondary" disabled={shown.length === 0} onClick={exportCsv}>
          {t('monitor.export')}
        </button>
        <span className="hint" role="status">
          {frozen ? t('monitor.paused', { count: waiting, n: formatNumber(waiting) }) : t('monitor.kept', { shown: formatNumber(shown.length), total: formatNumber(all.length), max: formatNumber(MONITOR_KEEP) })}
        </span>
        {cleared && cleared.length > 0 && (
          <span className="hint" role="status">
            {t('monitor.cleared', { count: cleared.length, n: formatNumber(cleared.length) })}{' '}
            <button type="button" className="link" onClick={() => undoClear(instanceId)}>
              {t('monitor.undoClear')}
            </button>
          </span>
        )}
      </div>
      {shown.length === 0 ? (
        <p className="empty">{all.length === 0 ? t('monitor.empty') : t('monitor.noneMatch')}</p>
      ) : (
        <table className="grid monitor-grid" aria-label={t('monitor.eventsTable')}>
          <thead>
            <tr>
              <th>{t('monitor.time')}</th>
              <th>{t('monitor.line')}</th>
              <th>{t('monitor.event')}</th>
              <th>{t('monitor.call')}</th>
              <th>{t('monitor.remote')}</th>
              <th>{t('monitor.lineState')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.slice(0, SHOWN).map((e, i) => (
              <tr key={`${e.time}-${i}`}>
                <td>{formatDateTime(e.time)}</td>
                <td>{lineLabel(e)}</td>
                <td>{eventText(e)}</td>
                <td>{e.callState ? t(`monitor.callStates.${e.callState}`) : ''}</td>
                <td>{e.numbers.remote ?? ''}</td>
                {/* The PBX's out-of-service report leaves the line monitored; the row says what the line is now (as the lines table). */}
                <td>{t(`monitor.lineStates.${e.event === 'outOfService' ? 'outOfService' : e.lineState}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
