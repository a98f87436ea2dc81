import { useTranslation } from 'react-i18next';
import type { RuleIssue } from '../../../../shared/api/rules';
import type { NumberRule } from '../../../../shared/model/rules';
import { ruleIssueProblem } from '../../i18n/problems';
import { useProblemText } from '../../i18n/useProblemText';
import { useLintName } from '../../i18n/useLintName';

interface Props {
  index: number;
  count: number;
  rule: NumberRule;
  issues: RuleIssue[];
  onChange(rule: NumberRule): void;
  onMove(to: number): void;
  onRemove(): void;
  onDragStart(): void;
  onDrop(): void;
}

/** One number-format rule: toggles, search/replace, note, moving, and the lint findings that concern it. */
export function RuleRow({ index, count, rule, issues, onChange, onMove, onRemove, onDragStart, onDrop }: Props) {
  const { t } = useTranslation();
  const say = useProblemText();
  const lintName = useLintName();
  const n = index + 1;
  const set = (patch: Partial<NumberRule>) => onChange({ ...rule, ...patch });
  const bad = (field: 'search' | 'replace') => issues.some((i) => i.severity === 'error' && (i.field ?? 'search') === field) || undefined;
  return (
    <li className={`rule-row${rule.enabled ? '' : ' disabled'}`} aria-label={t('rules.rule', { n })} onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <span className="drag-handle" draggable onDragStart={onDragStart} title={t('rules.dragHandle', { n })} aria-hidden="true">
        ⋮⋮
      </span>
      <span className="rule-no">{n}</span>
      <label className="check">
        <input type="checkbox" checked={rule.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
        <span>{t('rules.enabled')}</span>
      </label>
      <select aria-label={t('rules.mode')} value={rule.mode} onChange={(e) => set({ mode: e.target.value as NumberRule['mode'] })}>
        {(['regex', 'text'] as const).map((m) => (
          <option key={m} value={m}>
            {t(`rules.modes.${m}`)}
          </option>
        ))}
      </select>
      <input className="mono" style={lenStyle(rule.search)} aria-label={t('rules.search')} placeholder={t('rules.search')} value={rule.search} aria-invalid={bad('search')} onChange={(e) => set({ search: e.target.value })} />
      <input className="mono" style={lenStyle(rule.replace)} aria-label={t('rules.replace')} placeholder={t('rules.replace')} value={rule.replace} aria-invalid={bad('replace')} onChange={(e) => set({ replace: e.target.value })} />
      <input aria-label={t('rules.note')} placeholder={t('rules.note')} value={rule.note ?? ''} onChange={(e) => set({ note: e.target.value || undefined })} />
      <span className="row-actions">
        <button type="button" className="icon" aria-label={t('common.moveUp')} disabled={index === 0} onClick={() => onMove(index - 1)}>
          ↑
        </button>
        <button type="button" className="icon" aria-label={t('common.moveDown')} disabled={index === count - 1} onClick={() => onMove(index + 1)}>
          ↓
        </button>
        <button type="button" className="icon" aria-label={t('common.remove')} onClick={onRemove}>
          ✕
        </button>
      </span>
      {issues.length > 0 && (
        <ul className="rule-issues" aria-label={t('rules.lintFor', { n })}>
          {issues.map((i, k) => (
            <li key={k} className={`issue-${i.severity}`}>
              <strong className="issue-name" data-code={i.code}>{lintName(i.code)}:</strong> {say(ruleIssueProblem(i, rule))}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** The pattern's length for the CSS that widens a focused pattern field to show all of it (styles.css). */
export function lenStyle(text: string): React.CSSProperties {
  return { ['--len' as string]: text.length };
}
