import { useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { LineStateStore, ShownLineState } from './useLineStates';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Family } from '../../../../shared/model/instance';
import type { Line } from '../../../../shared/model/line';
import { cell, type Column } from './columns';
import { LineEditor } from './LineEditor';

interface Props {
  family: Family;
  columns: Column[];
  rows: Line[];
  keyOf(line: Line): string;
  selected: Set<string>;
  onToggle(key: string): void;
  onToggleAll(): void;
  sort: { column: Column; dir: 1 | -1 };
  onSort(column: Column): void;
  editing: string | null;
  onEdit(key: string | null): void;
  onSave(before: Line, after: Line): Promise<boolean>;
  /** Live state per line key while the driver runs; absent hides the column. */
  states?: LineStateStore;
  /** Each number as the instance shows lines (canonical), when its location says so. */
  shownAs?: Record<string, string> | null;
  /** The keys of the rows on screen, whenever they change and on every `tick`. */
  onVisible?(keys: string[], tick: number): void;
  tick?: number;
}

const ROW = 36;
const noStates = () => () => undefined;

/**
 * The height that takes the scroll area down to the bottom of the page's scrolling area (the window less the
 * header and status bar), so the table fills the window at any size; again on resize and when what is above
 * the table grows or shrinks.
 */
function useFillHeight(scroller: React.RefObject<HTMLDivElement | null>): number | undefined {
  const [height, setHeight] = useState<number>();
  useLayoutEffect(() => {
    const el = scroller.current;
    const area = el?.closest('main');
    if (!el || !area) return;
    const fit = () => {
      const areaBox = area.getBoundingClientRect();
      const offset = el.getBoundingClientRect().top - areaBox.top + area.scrollTop;
      const below = parseFloat(getComputedStyle(area).paddingBottom) + 12;
      const next = Math.max(240, Math.floor(area.clientHeight - offset - below));
      setHeight((h) => (h === next ? h : next));
    };
    fit();
    const watch = new ResizeObserver(fit);
    watch.observe(area);
    const panel = el.closest('.tab-panel') ?? el.parentElement;
    if (panel) watch.observe(panel);
    return () => watch.disconnect();
  }, [scroller]);
  return height;
}

function StateCell({ state }: { state: ShownLineState | undefined }) {
  const { t } = useTranslation();
  return (
    <span role="cell" className={`line-state ls-${state ?? 'unknown'}`}>
      {state ? t(`monitor.lineStates.${state}`) : ''}
    </span>
  );
}

/** The lines as a virtualized table: only the visible rows exist in the page, so 20,000 lines scroll smoothly. */
export function LinesTable(p: Props) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const height = useFillHeight(scroller);
  const virtual = useVirtualizer({ count: p.rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 12 });
  const items = virtual.getVirtualItems();
  // Renders the visible rows again when live states change, without the page around the table.
  useSyncExternalStore(p.states?.subscribe ?? noStates, () => p.states?.version() ?? 0);
  const visibleKey = items.map((v) => (p.rows[v.index] ? p.keyOf(p.rows[v.index]!) : '')).join('\n');
  useEffect(() => {
    if (p.onVisible && visibleKey) p.onVisible(visibleKey.split('\n'), p.tick ?? 0);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [visibleKey, p.onVisible, p.tick]);
  // Not on every scroll frame: only when the rows or the selection change.
  const allSelected = useMemo(() => p.rows.length > 0 && p.selected.size >= p.rows.length && p.rows.every((r) => p.selected.has(p.keyOf(r))), [p.rows, p.selected, p.keyOf]);
  const template = { gridTemplateColumns: `36px repeat(${p.columns.length}, minmax(120px, 1fr))${p.states ? ' 130px' : ''} 90px` };
  return (
    <div role="table" aria-label={t('lines.table')} aria-rowcount={p.rows.length + 1} className="lines-table">
      <div role="rowgroup">
        <div role="row" className="lines-row head" style={template}>
          <span role="columnheader">
            <input type="checkbox" aria-label={t('lines.selectAll')} checked={allSelected} onChange={p.onToggleAll} />
          </span>
          {p.columns.map((c) => (
            <span role="columnheader" key={c} aria-sort={p.sort.column === c ? (p.sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
              <button type="button" className="link" aria-label={t('lines.sortBy', { column: t(`lines.${c}`) })} onClick={() => p.onSort(c)}>
                {t(`lines.${c}`)} {p.sort.column === c ? (p.sort.dir === 1 ? '▲' : '▼') : ''}
              </button>
            </span>
          ))}
          {p.states && <span role="columnheader">{t('monitor.lineState')}</span>}
          <span role="columnheader" className="sr-only">
            {t('common.edit')}
          </span>
        </div>
      </div>
      <div ref={scroller} className="lines-scroll" role="rowgroup" style={height ? { height } : undefined}>
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const line = p.rows[v.index]!;
            const key = p.keyOf(line);
            const style = { ...template, position: 'absolute' as const, top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)`, height: ROW };
            if (p.editing === key) {
              return (
                <div role="row" key={key} aria-rowindex={v.index + 2} className="lines-row editing" style={{ ...style, display: 'block' }}>
                  <span role="cell">
                    <LineEditor
                      family={p.family}
                      columns={p.columns}
                      initial={line}
                      label={t('lines.editLine', { number: line.number })}
                      submitLabel={t('common.save')}
                      onSubmit={(after) => p.onSave(line, after)}
                      onCancel={() => p.onEdit(null)}
                    />
                  </span>
                </div>
              );
            }
            return (
              <div role="row" key={key} aria-rowindex={v.index + 2} aria-selected={p.selected.has(key)} className="lines-row" style={style} onDoubleClick={() => p.onEdit(key)}>
                <span role="cell">
                  <input type="checkbox" aria-label={t('lines.select', { number: line.number })} checked={p.selected.has(key)} onChange={() => p.onToggle(key)} />
                </span>
                {p.columns.map((c) => (
                  <span role="cell" key={c} title={c === 'number' && p.shownAs?.[line.number] ? line.number : undefined}>
                    {c === 'number' ? (p.shownAs?.[line.number] ?? line.number) : cell(line, c)}
                  </span>
                ))}
                {p.states && <StateCell state={p.states.get(key)} />}
                <span role="cell">
                  <button type="button" className="link" aria-label={t('lines.editLine', { number: line.number })} onClick={() => p.onEdit(key)}>
                    {t('common.edit')}
                  </button>
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
