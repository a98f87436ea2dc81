import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstanceDetails } from '../../../../shared/api/instances';
import { lineKey } from '../../../../shared/model/instance';
import { FAMILY_SPECS } from '../../../../shared/families';
import type { Line } from '../../../../shared/model/line';
import { api } from '../../api';
import { formatNumber } from '../../i18n';
import { ErrorNote } from '../ErrorNote';
import { useAttempt } from '../../util/useAttempt';
import { columnsFor, compareBy, cell, type Column } from './columns';
import { LineEditor } from './LineEditor';
import { LinesTable } from './LinesTable';
import { LinesImport } from './LinesImport';
import { LinesExport } from './LinesExport';
import { DiscoverLines } from './DiscoverLines';
import { useLineStates } from './useLineStates';

/** The lines page: filter, sort, add, inline edit, multi-select delete, import and export. */
export function LinesPanel({ details }: { details: InstanceDetails }) {
  const { t } = useTranslation();
  const family = details.family;
  // Stable per family: `rows` below sorts 20,000 lines again whenever `columns` is a new array.
  const columns = useMemo(() => columnsFor(family), [family]);
  const [lines, setLines] = useState<Line[]>([]);
  const [shownAs, setShownAs] = useState<Record<string, string> | null>(null);
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ column: Column; dir: 1 | -1 }>({ column: 'number', dir: 1 });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<string | null>(null);
  // The import's or the query's result note shows only while it is the later of the two.
  const [lastChange, setLastChange] = useState<'import' | 'query' | null>(null);
  const { error, attempt } = useAttempt();
  const live = useLineStates(details.id);
  const keyOf = useCallback((l: Line) => lineKey(family, l), [family]);

  const reload = useCallback(async () => {
    const r = await api().call('lines.list', { instanceId: details.id });
    setLines(r.lines);
    setShownAs(r.shownAs);
    setSelected(new Set());
  }, [details.id]);
  useEffect(() => {
    void attempt(reload);
  }, [reload, attempt]);

  const rows = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const shown = f ? lines.filter((l) => columns.some((c) => cell(l, c).toLowerCase().includes(f))) : lines.slice();
    return shown.sort(compareBy(sort.column, sort.dir));
  }, [lines, filter, sort, columns]);

  const run = (action: () => Promise<unknown>) =>
    attempt(async () => {
      await action();
      await reload();
    });

  const chosen = useMemo(() => (selected.size ? rows.filter((r) => selected.has(keyOf(r))) : []), [rows, selected, keyOf]);
  return (
    <div className="lines-panel">
      <div className="toolbar">
        <label>
          <span>{t('lines.filter')}</span>
          <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </label>
        <span className="hint">{t('lines.count', { shown: formatNumber(rows.length), total: formatNumber(lines.length) })}</span>
        <button
          type="button"
          className="danger"
          disabled={chosen.length === 0}
          onClick={() => {
            if (!window.confirm(t('lines.confirmDelete', { count: chosen.length }))) return;
            void run(() => api().call('lines.delete', { instanceId: details.id, refs: chosen.map((l) => ({ number: l.number, deviceId: l.deviceId })) }));
          }}
        >
          {t('lines.deleteSelected', { count: chosen.length })}
        </button>
      </div>
      <LineEditor
        family={family}
        columns={columns}
        initial={{ number: '', name: '' }}
        label={t('lines.addLine')}
        submitLabel={t('lines.addLine')}
        onSubmit={(line) => run(() => api().call('lines.add', { instanceId: details.id, line }))}
      />
      {/* Above the table, which reaches down to the bottom of the window. */}
      <div className="toolbar">
        <LinesImport
          instanceId={details.id}
          showResult={lastChange === 'import'}
          onImported={() => {
            setLastChange('import');
            void reload();
          }}
        />
        <LinesExport instanceId={details.id} lineCount={lines.length} />
      </div>
      {FAMILY_SPECS[family].capabilities.discovery && (
        <DiscoverLines
          instanceId={details.id}
          showResult={lastChange === 'query'}
          onApplied={() => {
            setLastChange('query');
            void reload();
          }}
        />
      )}
      <ErrorNote error={error} />
      {lines.length === 0 ? (
        <p className="empty">{t('lines.empty')}</p>
      ) : (
        <LinesTable
          family={family}
          columns={columns}
          shownAs={shownAs}
          rows={rows}
          keyOf={keyOf}
          selected={selected}
          onToggle={(k) => {
            const next = new Set(selected);
            if (!next.delete(k)) next.add(k);
            setSelected(next);
          }}
          onToggleAll={() => setSelected(chosen.length === rows.length ? new Set() : new Set(rows.map(keyOf)))}
          sort={sort}
          onSort={(column) => setSort({ column, dir: sort.column === column ? (-sort.dir as 1 | -1) : 1 })}
          editing={editing}
          states={live.running ? live.states : undefined}
          onVisible={live.request}
          tick={live.tick}
          onEdit={setEditing}
          onSave={async (before, after) => {
            const ok = await run(() => api().call('lines.update', { instanceId: details.id, ref: { number: before.number, deviceId: before.deviceId }, line: after }));
            if (ok) setEditing(null);
            return ok;
          }}
        />
      )}
    </div>
  );
}
