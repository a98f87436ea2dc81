import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Location, NumberRule, RuleListName } from '../../../../shared/model/rules';
import { api } from '../../api';
import { useDebounced } from '../../util/useDebounced';
import { useApiQuery } from '../../util/useApiQuery';
import { ErrorNote } from '../ErrorNote';

/**
 * Shows what the list makes of a number as the admin types: output, winning rule, groups and the trace. With a
 * location in use its step comes first, as on a live line (canonical before incoming/outgoing, dialable before dialing).
 */
export function RuleCheck({ rules, list, location }: { rules: NumberRule[]; list?: RuleListName; location?: Location }) {
  const { t } = useTranslation();
  const id = useId();
  const [input, setInput] = useState('');
  const probe = useDebounced({ rules, input, ...(list ? { list } : {}), ...(list && location ? { location } : {}) }, 150);
  const { data: trace, error } = useApiQuery(JSON.stringify(probe), () => api().call('rules.check', probe), probe.input !== '');
  const shown = input && trace ? trace : null;
  return (
    <section className="card rule-check" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('rules.check')}</h3>
      <label>
        <span>{t('rules.checkInput')}</span>
        <input className="mono" value={input} onChange={(e) => setInput(e.target.value)} />
      </label>
      {input && <ErrorNote error={error} />}
      {shown && (
        <div aria-live="polite">
          <p>
            {t('rules.output')}: <output className="mono big">{shown.output || '∅'}</output>
          </p>
          <p className="outcome">{t(`rules.outcomes.${shown.outcome}`, { rule: shown.rule })}</p>
          {shown.location && <p className="hint" data-testid="location-step">{t('rules.locationStep', { input: shown.location.input, output: shown.location.output, kind: t(`rules.numberKinds.${shown.location.kind}`) })}</p>}
          {shown.normalised !== shown.input && <p className="hint">{t('rules.normalised', { value: shown.normalised })}</p>}
          {shown.groups.length > 0 && (
            <p>
              {t('rules.groups')}:{' '}
              {shown.groups.map((g, i) => (
                <code key={i} className="group">
                  {g === null ? t('rules.groupUnset', { n: i + 1 }) : t('rules.group', { n: i + 1, value: g })}
                </code>
              ))}
            </p>
          )}
          <ol className="trace" aria-label={t('rules.trace')}>
            {shown.steps.map((s) => (
              <li key={s.rule} className={`step-${s.result}`}>
                {t('rules.step', { rule: s.rule })}: <code>{s.search}</code> — {t(`rules.results.${s.result}`)}
                {s.match && (
                  <>
                    {' '}
                    <code>{shown.normalised.slice(0, s.match.start)}</code>
                    <mark>{s.match.text}</mark>
                    <code>{shown.normalised.slice(s.match.end)}</code>
                  </>
                )}
                {s.output !== undefined && s.result === 'matched' && <> → <code>{s.output || '∅'}</code></>}
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
