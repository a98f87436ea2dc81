import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemText } from '../../i18n/useProblemText';
import type { InstanceDetails } from '../../../../shared/api/instances';
import { SIP_RULE_KINDS, sipFilterSchema, type SipFilter } from '../../../../shared/model/rules';
import { api } from '../../api';
import { sectionValue, useInstances } from '../../store/instances';
import { useDebounced } from '../../util/useDebounced';
import { useApiQuery } from '../../util/useApiQuery';
import { SectionFrame } from './SectionFrame';
import { SipFilterTry } from './SipFilterTry';

/** The SIP-line filter: mode, rules, and a test field saying whether a line is detected and by which rule. */
export function SipFilterPanel({ details }: { details: InstanceDetails }) {
  const { t } = useTranslation();
  const say = useProblemText();
  const id = useId();
  const drafts = useInstances((s) => s.drafts);
  const setDraft = useInstances((s) => s.setDraft);
  const filter = sectionValue<SipFilter>(details, drafts, 'sipFilter');
  const set = (next: SipFilter) => setDraft('sipFilter', next);
  const setRule = (i: number, patch: Partial<SipFilter['rules'][number]>) => set({ ...filter, rules: filter.rules.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const valid = sipFilterSchema.safeParse(filter).success;

  const [name, setName] = useState('');
  const [number, setNumber] = useState('');
  const probe = useDebounced({ filter, name, number });
  // Always asked: besides the verdict on the test line, the answer carries the rules' problems shown under them.
  const check = useApiQuery(JSON.stringify(probe), () => api().call('sipfilter.check', probe));
  const hit = check.data;
  const problemsOf = (rule: number) => [
    ...(hit?.errors ?? []).filter((e) => e.rule === rule).map((e) => ({ severity: 'error', text: say({ code: 'sip.invalidPattern', params: e.params, message: e.message }) })),
    ...(hit?.warnings ?? []).filter((w) => w.rule === rule).map((w) => ({ severity: 'warning', text: say({ code: `sip.${w.code}`, params: w.params, message: w.message }) })),
  ];

  return (
    <>
      <SectionFrame section="sipFilter" valid={valid}>
        <div className="field-row">
          <label htmlFor={`${id}-mode`}>{t('sip.mode')}</label>
          <select id={`${id}-mode`} value={filter.mode} onChange={(e) => set({ ...filter, mode: e.target.value as SipFilter['mode'] })}>
            {(['none', 'rules'] as const).map((m) => (
              <option key={m} value={m}>
                {t(`sip.modes.${m}`)}
              </option>
            ))}
          </select>
        </div>
        {filter.rules.length === 0 ? (
          <p className="empty">{t('sip.empty')}</p>
        ) : (
          <ol className="rule-rows">
            {filter.rules.map((r, i) => (
              <li key={i} className="rule-row" aria-label={t('sip.ruleN', { n: i + 1 })}>
                <span className="rule-no">{i + 1}</span>
                <label>
                  <span className="sr-only">{t('sip.kind')}</span>
                  <select aria-label={t('sip.kind')} value={r.kind} onChange={(e) => setRule(i, { kind: e.target.value as (typeof SIP_RULE_KINDS)[number] })}>
                    {SIP_RULE_KINDS.map((k) => (
                      <option key={k} value={k}>
                        {t(`sip.kinds.${k}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <input aria-label={t('sip.pattern')} value={r.pattern} aria-invalid={!r.pattern || undefined} onChange={(e) => setRule(i, { pattern: e.target.value })} />
                <button type="button" className="secondary" onClick={() => set({ ...filter, rules: filter.rules.filter((_, j) => j !== i) })}>
                  {t('common.remove')}
                </button>
                {problemsOf(i + 1).length > 0 && (
                  <ul className="rule-issues" aria-label={t('sip.ruleProblems', { n: i + 1 })}>
                    {problemsOf(i + 1).map((p) => (
                      <li key={p.text} className={`issue-${p.severity}`}>
                        {p.text}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        )}
        <button type="button" className="secondary" onClick={() => set({ ...filter, mode: 'rules', rules: [...filter.rules, { kind: 'nameContains', pattern: 'SIP' }] })}>
          {t('sip.addRule')}
        </button>
      </SectionFrame>
      <section className="card" aria-labelledby={`${id}-test`}>
        <h3 id={`${id}-test`}>{t('sip.test')}</h3>
        <div className="inline-fields">
          <label>
            <span>{t('sip.testName')}</span>
            <input value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            <span>{t('sip.testNumber')}</span>
            <input value={number} onChange={(e) => setNumber(e.target.value)} />
          </label>
        </div>
        <p role="status" className={hit?.sip ? 'verdict sip' : 'verdict'}>
          {filter.mode === 'none'
            ? t('sip.off')
            : hit && (name || number)
              ? hit.sip
                ? t('sip.detected', { rule: hit.rule, kind: t(`sip.kinds.${hit.kind ?? 'nameContains'}`), pattern: hit.pattern })
                : t('sip.notDetected')
              : ''}
        </p>
      </section>
      <SipFilterTry instanceId={details.id} lineCount={details.lineCount} filter={filter} />
    </>
  );
}
