import { useEffect, useRef } from 'react';
import type { ShownLineState } from './useLineStates';
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
  /** Live state per line number while the driver runs; absent hides the column. */
  states?: Record<string, ShownLineState>;
  /** Each number as the instance shows lines (canonical), when its location says so. */
  shownAs?: Record<string, string> | null;
  onVisible?(numbers: string[], tick: number): void;
  tick?: number;
}

const ROW = 36;

/** The lines as a virtualized table: only the visible rows exist in the page, so 20,000 lines scroll smoothly. */
export function LinesTable(p: Props) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: p.rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 12 });
  const items = virtual.getVirtualItems();
  const visibleKey = items.map((v) => p.rows[v.index]?.number).join(',');
  useEffect(() => {
    if (p.onVisible && visibleKey) p.onVisible(visibleKey.split(','), p.tick ?? 0);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [visibleKey, p.onVisible, p.tick]);
  const allSelected = p.rows.length > 0 && p.rows.every((r) => p.selected.has(p.keyOf(r)));
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
      <div ref={scroller} className="lines-scroll" role="rowgroup">
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
                {p.states && (
                  <span role="cell" className={`line-state ls-${p.states[line.number] ?? 'unknown'}`}>
                    {p.states[line.number] ? t(`monitor.lineStates.${p.states[line.number]}`) : ''}
                  </span>
                )}
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
