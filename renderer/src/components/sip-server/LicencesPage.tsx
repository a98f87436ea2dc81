import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LicenceOverview } from '../../../../shared/api/licences';
import type { UacstaStatus } from '../../../../shared/api/uacsta';
import { api } from '../../api';

/** Manual §3.8: a licence per connected phone with one monitored line; a line watched by several clients counts once. */
export function LicencesPage({ status }: { status: UacstaStatus }) {
  const { t } = useTranslation();
  const [pool, setPool] = useState<LicenceOverview | null>(null);
  useEffect(() => {
    void api().call('licences.status', {}).then(setPool, () => undefined);
  }, [status.licences.used]);
  const use = status.licences;
  const linesOf = (mac: string) => status.lines.filter((l) => l.mac === mac);
  return (
    <section className="card" aria-label={t('sipServer.licences.title')}>
      <h2>{t('sipServer.licences.title')}</h2>
      <p className="hint">{t('sipServer.licences.intro')}</p>
      <p>{t('sipServer.licences.phonesUsed', { n: use.phones })}</p>
      <p>{t('sipServer.licences.linesUsed', { n: use.lines })}</p>
      {use.extraLines > 0 && <p>{t('sipServer.licences.extraLines', { n: use.extraLines })}</p>}
      <p>{t('sipServer.licences.used', { n: use.used })}</p>
      {pool && <p>{t('sipServer.licences.pool', { inUse: pool.inUse, total: pool.total })}</p>}
      {pool?.trial.active && <p>{t('sipServer.licences.trial', { days: pool.trial.daysLeft })}</p>}
      {status.phones.length > 0 && (
        <table className="grid text-last">
          <thead>
            <tr>
              <th>{t('sipServer.licences.phone')}</th>
              <th>{t('sipServer.licences.line')}</th>
              <th>{t('sipServer.licences.clients')}</th>
              <th>{t('sipServer.licences.licensed')}</th>
            </tr>
          </thead>
          <tbody>
            {status.phones.map((p) => {
              const lines = linesOf(p.mac);
              return (
                <tr key={p.mac} data-mac={p.mac}>
                  <td className="mono">{p.mac}</td>
                  <td>{lines.map((l) => l.device).join(', ') || '—'}</td>
                  <td>{lines.reduce((n, l) => n + l.clients, 0)}</td>
                  <td>{p.licensed ? t('sipServer.licences.licensedYes') : t('sipServer.licences.licensedNo')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {use.lines === 0 && <p className="empty">{t('sipServer.licences.noLines')}</p>}
    </section>
  );
}
