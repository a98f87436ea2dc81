import { useId, type ReactNode } from 'react';

/** A labelled input row of the area's forms (label, control, hint or problem), as the other settings pages lay them out. */
export function TextField({ label, value, onChange, hint, problem, disabled, type = 'text', multiline }: { label: string; value: string; onChange(v: string): void; hint?: ReactNode; problem?: string; disabled?: boolean; type?: 'text' | 'password'; multiline?: boolean }) {
  const id = useId();
  return (
    <div className="field-row">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea id={id} rows={4} className="mono" value={value} disabled={disabled} aria-invalid={problem ? true : undefined} aria-describedby={hint || problem ? `${id}-hint` : undefined} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input id={id} type={type} autoComplete={type === 'password' ? 'new-password' : undefined} value={value} disabled={disabled} aria-invalid={problem ? true : undefined} aria-describedby={hint || problem ? `${id}-hint` : undefined} onChange={(e) => onChange(e.target.value)} />
      )}
      {(problem || hint) && (
        <span id={`${id}-hint`} className={problem ? 'problem' : 'hint'}>
          {problem ?? hint}
        </span>
      )}
    </div>
  );
}

/** A number field; empty is `undefined` (an optional port), anything else a number (NaN while half typed). */
export function NumberField({ label, value, onChange, hint, problem, disabled }: { label: string; value: number | undefined; onChange(v: number | undefined): void; hint?: string; problem?: string; disabled?: boolean }) {
  const id = useId();
  return (
    <div className="field-row">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="number" value={value === undefined || Number.isNaN(value) ? '' : value} disabled={disabled} aria-invalid={problem ? true : undefined} aria-describedby={hint || problem ? `${id}-hint` : undefined} onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))} />
      {(problem || hint) && (
        <span id={`${id}-hint`} className={problem ? 'problem' : 'hint'}>
          {problem ?? hint}
        </span>
      )}
    </div>
  );
}

export function CheckField({ label, checked, onChange, hint, disabled }: { label: string; checked: boolean; onChange(v: boolean): void; hint?: string; disabled?: boolean }) {
  const id = useId();
  return (
    <div className="field-row check">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="checkbox" checked={checked} disabled={disabled} aria-describedby={hint ? `${id}-hint` : undefined} onChange={(e) => onChange(e.target.checked)} />
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
    </div>
  );
}
