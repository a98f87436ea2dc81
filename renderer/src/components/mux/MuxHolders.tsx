import { useTranslation } from 'react-i18next';
import type { MuxApplication } from '../../../../shared/api/mux';
import { formatNumber } from '../../i18n';

const ROLES = ['cdr', 'dataCollection', 'hotel'] as const;

/** Who holds the services only one application may have, and which applications monitor each device. */
export function MuxHolders({ applications }: { applications: MuxApplication[] }) {
  const { t } = useTranslation();
  const who = (a: MuxApplication) => t('mux.holder', { id: a.id, address: a.address, user: a.user ?? '—' });
  const byDevice = new Map<string, MuxApplication[]>();
  for (const a of applications) for (const d of a.monitors) byDevice.set(d, [...(byDevice.get(d) ?? []), a]);
  const devices = [...byDevice].sort(([x], [y]) => x.localeCompare(y, undefined, { numeric: true }));
  return (
    <>
      <section className="card" aria-label={t('mux.roles')}>
        <h2>{t('mux.roles')}</h2>
        <dl className="counters">
          {ROLES.map((role) => {
            const holder = applications.find((a) => a[role]);
            return (
              <div key={role}>
                <dt>{t(`mux.roleNames.${role}`)}</dt>
                <dd>{holder ? who(holder) : t('mux.nobody')}</dd>
              </div>
            );
          })}
        </dl>
      </section>
      <section className="card" aria-label={t('mux.devices')}>
        <h2>{t('mux.devices')}</h2>
        {devices.length === 0 ? (
          <p className="empty">{t('mux.noDevices')}</p>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                <th>{t('mux.device')}</th>
                <th>{t('mux.monitoredBy')}</th>
              </tr>
            </thead>
            <tbody>
              {devices.slice(0, 500).map(([device, apps]) => (
                <tr key={device}>
                  <td>{device}</td>
                  <td>
                    {t('mux.appCount', { count: apps.length, n: formatNumber(apps.length) })}: {apps.map((a) => `#${a.id}`).join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
