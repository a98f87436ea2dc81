import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemText } from '../../i18n/useProblemText';
import { checkLine, type Family } from '../../../../shared/model/instance';
import type { Line } from '../../../../shared/model/line';
import { cell, type Column } from './columns';

/** A line's fields as inputs, checked as typed; used inline in the table and for adding a line. */
export function LineEditor({ family, columns, initial, label, submitLabel, onSubmit, onCancel }: {
  family: Family;
  columns: Column[];
  initial: Line;
  label: string;
  submitLabel: string;
  onSubmit(line: Line): Promise<boolean>;
  onCancel?(): void;
}) {
  const { t } = useTranslation();
  const say = useProblemText();
  const [line, setLine] = useState<Line>(initial);
  const problems = line.number ? checkLine(family, line) : [];
  const valid = Boolean(line.number) && problems.length === 0;
  return (
    <form
      className="line-editor"
      aria-label={label}
      onSubmit={async (e) => {
        e.preventDefault();
        if (valid && (await onSubmit(line))) setLine(initial);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && onCancel) onCancel();
      }}
    >
      {columns.map((c) => (
        <input
          key={c}
          aria-label={t(`lines.${c}`)}
          placeholder={t(`lines.${c}`)}
          value={cell(line, c)}
          aria-invalid={problems.some((p) => p.field === c) || undefined}
          onChange={(e) => setLine({ ...line, [c]: e.target.value })}
          autoFocus={c === 'number' && Boolean(onCancel)}
        />
      ))}
      <button type="submit" disabled={!valid}>
        {submitLabel}
      </button>
      {onCancel && (
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      )}
      {problems.map((p, i) => (
        <span key={i} className="problem">
          {say(p)}
        </span>
      ))}
    </form>
  );
}
