import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LicenceOverview } from '../../../shared/api/licences';
import { api } from '../api';
import { Page } from '../components/Page';
import { ErrorNote } from '../components/ErrorNote';
import { formatDateTime, formatNumber } from '../i18n';
import { useAttempt } from '../util/useAttempt';

/** Trial, licence keys (add with the reason a key is refused) and the lines each instance holds. */
export function LicencesView() {
  const { t } = useTranslation();
  const id = useId();
  const [overview, setOverview] = useState<LicenceOverview | null>(null);
  const [key, setKey] = useState('');
  const [message, setMessage] = useState('');
  const { error, attempt } = useAttempt();
  // Lines of running instances that asked for a licence and found none: the demand the pool does not cover.
  const [waiting, setWaiting] = useState<Record<string, number>>({});
  const load = useCallback(
    () =>
      attempt(async () => {
        const o = await api().call('licences.status', {});
        setOverview(o);
        const counts = await Promise.all(o.instances.map((i) => api().call('driver.status', { instanceId: i.instanceId }).then((d) => [i.instanceId, d.running ? d.lines.noLicence : 0] as const, () => [i.instanceId, 0] as const)));
        setWaiting(Object.fromEntries(counts));
      }),
    [attempt],
  );
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 5000);
    return () => clearInterval(timer);
  }, [load]);
  const unmet = Object.values(waiting).reduce((a, b) => a + b, 0);

  const trial = overview?.trial;
  return (
    <Page title={t('licences.title')} intro={t('licences.intro')}>
      {overview && trial && (
        <section className="card" aria-labelledby={`${id}-pool`}>
          <h2 id={`${id}-pool`}>{t('licences.pool', { inUse: formatNumber(overview.inUse), total: formatNumber(overview.total), free: formatNumber(overview.free) })}</h2>
          {/* Green below 80 %, amber from 80 %, red when full (the meter's own colours, and a sentence). */}
          <meter
            min={0}
            max={Math.max(overview.total, 1)}
            low={overview.total * 0.8}
            high={overview.total - 0.5}
            optimum={0}
            value={overview.inUse}
            data-level={poolLevel(overview.inUse, overview.total)}
            aria-labelledby={`${id}-pool`}
          />
          {poolLevel(overview.inUse, overview.total) === 'full' && <p className="problem">{t('licences.poolFull')}</p>}
          {poolLevel(overview.inUse, overview.total) === 'nearlyFull' && <p className="hint warn">{t('licences.poolNearlyFull')}</p>}
          {unmet > 0 && (
            <p className="problem" role="alert">
              {t('licences.unmet', { count: unmet, n: formatNumber(unmet) })}
            </p>
          )}
          <p>{trial.active ? t('licences.trialActive', { count: trial.daysLeft, lines: formatNumber(trial.lines), date: formatDateTime(trial.endsAt) }) : t('licences.trialOver')}</p>
          {trial.clockSetBack && <p className="hint warn">{t('licences.clockSetBack')}</p>}
          {trial.tampered && trial.warnings.length === 0 && <p className="hint warn">{t('licences.tampered')}</p>}
          {trial.warnings.map((w) => (
            <p key={w.code} className="hint warn" data-code={w.code}>
              {t(`licences.warnings.${w.code}`, { date: formatDateTime(w.params.startedAt) })}
            </p>
          ))}
        </section>
      )}
      <section className="card" aria-labelledby={`${id}-keys`}>
        <h2 id={`${id}-keys`}>{t('licences.keys')}</h2>
        {overview && overview.keys.length === 0 && <p className="empty">{t('licences.noKeys')}</p>}
        <ul className="licence-keys">
          {overview?.keys.map((k) => (
            <li key={k.id}>
              {t('licences.keyRow', { id: k.id, lines: formatNumber(k.lines), issued: formatDateTime(k.issued) })}
              {k.licensee ? ` · ${k.licensee}` : ''}
              {!k.valid && <span className="problem"> {t('licences.invalidKey', { problem: k.problem ?? '' })}</span>}{' '}
              <button type="button" className="link" onClick={() => attempt(async () => setOverview(await api().call('licences.remove', { id: k.id })))}>
                {t('common.remove')}
              </button>
            </li>
          ))}
        </ul>
        <form
          className="form-grid"
          onSubmit={async (e) => {
            e.preventDefault();
            setMessage('');
            const ok = await attempt(async () => setOverview(await api().call('licences.add', { key: key.trim() })));
            if (ok) {
              setKey('');
              setMessage(t('licences.added'));
            }
          }}
        >
          <label htmlFor={`${id}-key`} className="block-label">
            {t('licences.keyInput')}
          </label>
          <textarea id={`${id}-key`} rows={3} className="wide mono" value={key} onChange={(e) => setKey(e.target.value)} />
          <button type="submit" disabled={!key.trim()}>
            {t('licences.addKey')}
          </button>
          <span role="status" className="hint ok">
            {message}
          </span>
        </form>
        <ErrorNote error={error} />
      </section>
      {overview && (
        <section className="card" aria-labelledby={`${id}-use`}>
          <h2 id={`${id}-use`}>{t('licences.perInstance')}</h2>
          {overview.instances.length === 0 ? (
            <p className="empty">{t('licences.noInstances')}</p>
          ) : (
            <ul className="licence-keys">
              {overview.instances.map((i) => (
                <li key={i.instanceId} className="gauge-row">
                  <span>{i.name}</span>
                  <meter min={0} max={Math.max(overview.total, 1)} value={i.lines + i.phones} aria-label={t('licences.gauge', { name: i.name })} />
                  <span className="hint">
                    {t('licences.usage', { lines: formatNumber(i.lines), phones: formatNumber(i.phones) })}
                    {(waiting[i.instanceId] ?? 0) > 0 && <span className="problem"> {t('licences.waiting', { count: waiting[i.instanceId], n: formatNumber(waiting[i.instanceId]!) })}</span>}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </Page>
  );
}

/** How full the pool is: `nearlyFull` from 80 %, `full` when no licence is free. */
export function poolLevel(inUse: number, total: number): 'ok' | 'nearlyFull' | 'full' {
  if (total > 0 && inUse >= total) return 'full';
  return total > 0 && inUse >= total * 0.8 ? 'nearlyFull' : 'ok';
}
