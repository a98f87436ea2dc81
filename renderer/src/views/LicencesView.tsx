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
  const load = useCallback(() => attempt(async () => setOverview(await api().call('licences.status', {}))), [attempt]);
  useEffect(() => {
    void load();
  }, [load]);

  const trial = overview?.trial;
  return (
    <Page title={t('licences.title')} intro={t('licences.intro')}>
      {overview && trial && (
        <section className="card" aria-labelledby={`${id}-pool`}>
          <h2 id={`${id}-pool`}>{t('licences.pool', { inUse: formatNumber(overview.inUse), total: formatNumber(overview.total), free: formatNumber(overview.free) })}</h2>
          <meter min={0} max={Math.max(overview.total, 1)} value={overview.inUse} aria-labelledby={`${id}-pool`} />
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
                  <span className="hint">{t('licences.usage', { lines: formatNumber(i.lines), phones: formatNumber(i.phones) })}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </Page>
  );
}
