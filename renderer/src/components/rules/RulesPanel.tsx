import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstanceDetails } from '../../../../shared/api/instances';
import { RULE_LISTS, type Location, type NumberFormat, type NumberRule, type RuleListName } from '../../../../shared/model/rules';
import { api } from '../../api';
import { sectionValue, useInstances } from '../../store/instances';
import { download } from '../../util/files';
import { useDebounced } from '../../util/useDebounced';
import { useApiQuery } from '../../util/useApiQuery';
import { ErrorNote } from '../ErrorNote';
import { useAttempt } from '../../util/useAttempt';
import { SectionFrame } from '../instances/SectionFrame';
import { RuleRow } from './RuleRow';
import { RuleCheck } from './RuleCheck';
import { RuleTests } from './RuleTests';
import { ruleIssueProblem } from '../../i18n/problems';
import { useProblemText } from '../../i18n/useProblemText';

function move<T>(items: T[], from: number, to: number): T[] {
  const out = items.slice();
  const [x] = out.splice(from, 1);
  out.splice(to, 0, x!);
  return out;
}

/** The number-format editor: three rule lists, live lint and check, stored tests, rule-set files. */
export function RulesPanel({ details }: { details: InstanceDetails }) {
  const { t } = useTranslation();
  const say = useProblemText();
  const id = useId();
  const drafts = useInstances((s) => s.drafts);
  const setDraft = useInstances((s) => s.setDraft);
  const format = sectionValue<NumberFormat>(details, drafts, 'numberFormat');
  const location = sectionValue<Location>(details, drafts, 'location');
  const [list, setList] = useState<RuleListName>('incoming');
  const [message, setMessage] = useState('');
  /** A rule set read from a file, waiting for the admin to agree to what it replaces. */
  const [pending, setPending] = useState<{ file: string; format: NumberFormat } | null>(null);
  const { error, attempt } = useAttempt();
  const dragFrom = useRef<number | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const rules = format[list];
  const setRules = (next: NumberRule[]) => setDraft('numberFormat', { ...format, [list]: next });

  const settled = useDebounced(rules, 200);
  const issues = useApiQuery(`${list}${JSON.stringify(settled)}`, () => api().call('rules.lint', { rules: settled })).data ?? [];
  const listIssues = issues.filter((i) => i.rule === null);
  const hasErrors = issues.some((i) => i.severity === 'error');

  async function importFile(f: File | undefined) {
    if (!f) return;
    await attempt(async () => {
      const r = await api().call('rules.import', { text: await f.text() });
      const hasAny = RULE_LISTS.some((l) => format[l].length > 0 || format.tests[l].length > 0);
      if (hasAny) {
        setMessage('');
        setPending({ file: f.name, format: r.format });
      } else take(r.format);
    });
    if (fileInput.current) fileInput.current.value = '';
  }

  // Saving does not wait for the stored tests, but says which of them the saved rules fail.
  async function failingTests(): Promise<string | null> {
    const saved = useInstances.getState().details?.numberFormat;
    if (!saved) return null;
    const report = await api().call('rules.runTests', { format: saved });
    const failed = report.results.filter((r) => !r.pass);
    if (failed.length === 0) return null;
    const list = failed
      .slice(0, 5)
      .map((r) => t('rules.failedTest', { list: t(`rules.lists.${r.list}`), n: r.test, input: r.input, expected: r.expected, actual: r.actual }))
      .join('; ');
    return t('rules.savedWithFailures', { count: failed.length, n: failed.length, list });
  }

  function take(next: NumberFormat) {
    setDraft('numberFormat', next);
    setPending(null);
    setMessage(t('rules.imported'));
  }

  return (
    <div className="rules-panel">
      <SectionFrame section="numberFormat" valid={!hasErrors} afterSave={failingTests}>
        <div role="radiogroup" aria-label={t('rules.list')} className="segmented">
          {RULE_LISTS.map((l) => (
            <label key={l} className={l === list ? 'on' : ''}>
              <input type="radio" name={`${id}-list`} checked={l === list} onChange={() => setList(l)} />
              {t(`rules.lists.${l}`)} ({format[l].length})
            </label>
          ))}
        </div>
        <p className="hint">{t('rules.dragHint')}</p>
        {rules.length === 0 ? (
          <p className="empty">{t('rules.empty')}</p>
        ) : (
          <ol className="rule-rows">
            {rules.map((r, i) => (
              <RuleRow
                key={i}
                index={i}
                count={rules.length}
                rule={r}
                issues={issues.filter((x) => x.rule === i + 1)}
                onChange={(next) => setRules(rules.map((x, j) => (j === i ? next : x)))}
                onMove={(to) => setRules(move(rules, i, to))}
                onRemove={() => setRules(rules.filter((_, j) => j !== i))}
                onDragStart={() => (dragFrom.current = i)}
                onDrop={() => {
                  if (dragFrom.current !== null && dragFrom.current !== i) setRules(move(rules, dragFrom.current, i));
                  dragFrom.current = null;
                }}
              />
            ))}
          </ol>
        )}
        {listIssues.length > 0 && (
          <ul className="rule-issues" aria-label={t('rules.listWarnings')}>
            {listIssues.map((i, k) => (
              <li key={k} className={`issue-${i.severity}`}>
                <code>{i.code}</code> {say(ruleIssueProblem(i))}
              </li>
            ))}
          </ul>
        )}
        <div className="toolbar">
          <button type="button" className="secondary" onClick={() => setRules([...rules, { enabled: true, mode: 'regex', search: '', replace: '' }])}>
            {t('rules.addRule')}
          </button>
          <label htmlFor={`${id}-import`} className="file-button secondary">
            {t('rules.importFile')}
          </label>
          <input id={`${id}-import`} ref={fileInput} type="file" className="visually-hidden-file" onChange={(e) => void importFile(e.target.files?.[0])} />
          <button
            type="button"
            className="secondary"
            onClick={() =>
              attempt(async () => {
                const { text } = await api().call('rules.export', { format });
                download(`${details.name}-rules.txt`, { text });
              })
            }
          >
            {t('rules.exportFile')}
          </button>
          <span role="status" className="hint">
            {message}
          </span>
        </div>
        {pending && (
          <div role="alertdialog" aria-labelledby={`${id}-ask`} className="confirm">
            <p id={`${id}-ask`}>{t('rules.importAsk', { file: pending.file })}</p>
            <ul>
              {RULE_LISTS.map((l) => (
                <li key={l}>
                  {t('rules.importListChange', {
                    list: t(`rules.lists.${l}`),
                    rules: t('rules.ruleCount', { count: format[l].length }),
                    newRules: t('rules.ruleCount', { count: pending.format[l].length }),
                    tests: t('rules.testCount', { count: format.tests[l].length }),
                    newTests: t('rules.testCount', { count: pending.format.tests[l].length }),
                  })}
                </li>
              ))}
            </ul>
            <div className="save-bar">
              <button type="button" className="danger" onClick={() => take(pending.format)}>
                {t('rules.importReplace')}
              </button>
              <button type="button" className="secondary" onClick={() => setPending(null)}>
                {t('common.cancel')}
              </button>
            </div>
          </div>
        )}
        <ErrorNote error={error} />
      </SectionFrame>
      <div className="rules-side">
        <RuleCheck rules={rules} list={list} location={location.useLocation ? location : undefined} />
        <RuleTests format={format} list={list} onChange={(tests) => setDraft('numberFormat', { ...format, tests: { ...format.tests, [list]: tests } })} />
      </div>
    </div>
  );
}
