import { lenStyle } from './RuleRow';
import { useTranslation } from 'react-i18next';
import type { NumberFormat, RuleListName, RuleTest } from '../../../../shared/model/rules';
import { api } from '../../api';
import { useDebounced } from '../../util/useDebounced';
import { useApiQuery } from '../../util/useApiQuery';

/** The stored test cases of one list as a grid, run live against the rules being edited. */
export function RuleTests({ format, list, onChange }: { format: NumberFormat; list: RuleListName; onChange(tests: RuleTest[]): void }) {
  const { t } = useTranslation();
  const tests = format.tests[list];
  const settled = useDebounced(format, 250);
  const { data: report } = useApiQuery(`${list}${JSON.stringify(settled)}`, () => api().call('rules.runTests', { format: settled, list }), settled.tests[list].length > 0);
  const resultFor = (i: number) => report?.results.find((r) => r.list === list && r.test === i + 1);
  const set = (i: number, patch: Partial<RuleTest>) => onChange(tests.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  return (
    <section className="card" aria-label={t('rules.tests')}>
      <div className="card-head">
        <h3>{t('rules.tests')}</h3>
        {report && tests.length > 0 && <span className="hint">{t('rules.testsSummary', { passed: report.passed, failed: report.failed })}</span>}
      </div>
      {tests.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>{t('rules.testInput')}</th>
              <th>{t('rules.testExpected')}</th>
              <th>{t('rules.testActual')}</th>
              <th>{t('rules.testResult')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tests.map((x, i) => {
              const r = resultFor(i);
              return (
                <tr key={i}>
                  <td>
                    <input className="mono" style={lenStyle(x.input)} aria-label={`${t('rules.testInput')} ${i + 1}`} value={x.input} onChange={(e) => set(i, { input: e.target.value })} />
                  </td>
                  <td>
                    <input className="mono" style={lenStyle(x.expected)} aria-label={`${t('rules.testExpected')} ${i + 1}`} value={x.expected} onChange={(e) => set(i, { expected: e.target.value })} />
                  </td>
                  <td className="mono">{r?.actual ?? ''}</td>
                  <td>{r && <span className={`badge ${r.pass ? 'ok' : 'bad'}`}>{r.pass ? t('rules.pass') : t('rules.fail')}</span>}</td>
                  <td>
                    <button type="button" className="icon" aria-label={`${t('common.remove')} ${i + 1}`} onClick={() => onChange(tests.filter((_, j) => j !== i))}>
                      ✕
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <button type="button" className="secondary" onClick={() => onChange([...tests, { input: '', expected: '' }])}>
        {t('rules.addTest')}
      </button>
    </section>
  );
}
