import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldDesc, Values } from './fields';
import { LocateHost } from './LocateHost';

/** Renders setting fields with their labels and, under each, the problem found while typing. */
export function FieldGrid({ fields, values, problems, onChange }: { fields: readonly FieldDesc[]; values: Values; problems: Record<string, string>; onChange(key: string, value: unknown): void }) {
  const { t } = useTranslation();
  const base = useId();
  return (
    <div className="field-grid">
      {fields
        .filter((f) => !f.show || f.show(values))
        .map((f) => {
          const id = `${base}-${f.key}`;
          const problem = problems[f.key];
          const label = t(`fields.${f.key}`);
          const describedBy = problem ? `${id}-problem` : undefined;
          let control;
          if (f.kind === 'checkbox') {
            control = <input id={id} type="checkbox" checked={Boolean(values[f.key])} onChange={(e) => onChange(f.key, e.target.checked)} aria-describedby={describedBy} />;
          } else if (f.kind === 'select') {
            control = (
              <select id={id} value={String(values[f.key] ?? '')} onChange={(e) => onChange(f.key, e.target.value)} aria-describedby={describedBy}>
                {f.options!.map((o) => (
                  <option key={o} value={o}>
                    {f.optionLabels?.[o] ?? t(`options.${o}`)}
                  </option>
                ))}
              </select>
            );
          } else {
            const raw = values[f.key];
            control = (
              <input
                id={id}
                type={f.kind === 'number' ? 'number' : 'text'}
                value={raw === undefined || raw === null || (typeof raw === 'number' && Number.isNaN(raw)) ? '' : String(raw)}
                aria-invalid={problem ? true : undefined}
                aria-describedby={describedBy}
                onChange={(e) => onChange(f.key, f.kind === 'number' ? (e.target.value === '' ? Number.NaN : Number(e.target.value)) : e.target.value)}
              />
            );
          }
          return (
            <div key={f.key} className={`field-row${f.kind === 'checkbox' ? ' check' : ''}`}>
              <label htmlFor={id}>{label}</label>
              {control}
              {problem && (
                <span id={`${id}-problem`} className="problem">
                  {problem}
                </span>
              )}
              {f.locate === 'tftpServer' && <LocateHost onFound={(host) => onChange(f.key, host)} />}
            </div>
          );
        })}
    </div>
  );
}
