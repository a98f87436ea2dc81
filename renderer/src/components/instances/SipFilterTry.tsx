import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SipFilter } from '../../../../shared/model/rules';
import type { SipTryResult } from '../../../../shared/api/rules';
import { api } from '../../api';
import { ErrorNote } from '../ErrorNote';

/**
 * "Which of my lines would this leave out?": the filter as edited (saved or not) run over the instance's
 * current lines. A result belongs to the filter it was computed for and goes when the filter changes.
 */
export function SipFilterTry({ instanceId, lineCount, filter }: { instanceId: string; lineCount: number; filter: SipFilter }) {
  const { t } = useTranslation();
  const id = useId();
  const key = JSON.stringify(filter);
  const [result, setResult] = useState<{ key: string; data: SipTryResult } | null>(null);
  const [error, setError] = useState<{ key: string; error: unknown } | null>(null);
  const [busy, setBusy] = useState(false);
  const shown = result?.key === key ? result.data : null;

  async function run() {
    setBusy(true);
    setError(null);
    try {
      setResult({ key, data: await api().call('sipfilter.tryLines', { instanceId, filter }) });
    } catch (e) {
      setError({ key, error: e });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-try`}>
      <h3 id={`${id}-try`}>{t('sip.tryTitle')}</h3>
      {lineCount === 0 ? (
        <p className="empty">{t('sip.noLines')}</p>
      ) : (
        <button type="button" className="secondary" disabled={busy} onClick={() => void run()}>
          {t('sip.tryButton', { count: lineCount })}
        </button>
      )}
      <ErrorNote error={error?.key === key ? error.error : null} />
      {shown && (
        <>
          <p role="status">{shown.leftOut ? t('sip.tryResult', { count: shown.leftOut, total: shown.total }) : t('sip.tryNone', { count: shown.total })}</p>
          {shown.lines.length > 0 && (
            <table className="compact" aria-label={t('sip.tryList')}>
              <thead>
                <tr>
                  <th scope="col">{t('sip.number')}</th>
                  <th scope="col">{t('sip.name')}</th>
                  <th scope="col">{t('sip.rule')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.lines.map((l) => (
                  <tr key={l.number}>
                    <td className="mono">{l.number}</td>
                    <td>{l.name}</td>
                    <td>{t('sip.byRule', { rule: l.rule, kind: t(`sip.kinds.${l.kind}`), pattern: l.pattern })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {shown.leftOut > shown.lines.length && <p className="hint">{t('sip.tryMore', { shown: shown.lines.length })}</p>}
        </>
      )}
    </section>
  );
}
