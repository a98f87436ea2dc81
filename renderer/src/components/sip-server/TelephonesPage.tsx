import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UacstaPhoneDetail, UacstaStatus } from '../../../../shared/api/uacsta';
import { api } from '../../api';
import { formatDateTime } from '../../i18n';
import { useProblemText } from '../../i18n/useProblemText';
import { useAttempt } from '../../util/useAttempt';
import { ErrorNote } from '../ErrorNote';
import { ManagePhones } from './ManagePhones';

/** Manual §3.5: every phone known to the server, its live state and enable switch, a detail per phone. */
export function TelephonesPage({ status }: { status: UacstaStatus }) {
  const { t } = useTranslation();
  const { error, attempt } = useAttempt();
  const [open, setOpen] = useState<string | null>(null);
  const [managing, setManaging] = useState(false);
  return (
    <>
      <section className="card" aria-label={t('sipServer.phones.list')}>
        <div className="card-head">
          <h2>{t('sipServer.phones.list')}</h2>
          <button type="button" className="secondary" aria-expanded={managing} onClick={() => setManaging(!managing)}>
            {t('sipServer.phones.manage')}
          </button>
        </div>
        <ErrorNote error={error} />
        {status.phones.length === 0 ? (
          <p className="empty">{t('sipServer.phones.none')}</p>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                <th>{t('sipServer.phones.type')}</th>
                <th>{t('sipServer.phones.mac')}</th>
                <th>{t('sipServer.phones.lastIp')}</th>
                <th>{t('sipServer.phones.identity')}</th>
                <th>{t('sipServer.phones.lastLogin')}</th>
                <th>{t('sipServer.phones.status')}</th>
                <th>{t('sipServer.phones.enabled')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {status.phones.map((p) => (
                <tr key={p.mac} data-mac={p.mac}>
                  <td>{p.type || t('sipServer.vendors.unknown')}</td>
                  <td className="mono">{p.mac}</td>
                  <td>{p.lastIp || '—'}</td>
                  <td>{p.identity ?? '—'}</td>
                  <td>{p.lastLogin ? formatDateTime(p.lastLogin) : '—'}</td>
                  <td>
                    <span className={`state-dot state-${p.status === 'controllable' ? 'connected' : p.status === 'registered' ? 'connecting' : 'stopped'}`} aria-hidden="true" /> {t(`sipServer.phones.states.${p.status}`)}
                  </td>
                  <td>
                    <input type="checkbox" aria-label={t('sipServer.phones.enabledFor', { mac: p.mac })} checked={p.enabled} onChange={(e) => void attempt(() => api().call('uacsta.setPhoneEnabled', { mac: p.mac, enabled: e.target.checked }))} />
                  </td>
                  <td>
                    <button type="button" className="link" aria-label={t('sipServer.phones.detailsFor', { mac: p.mac })} onClick={() => setOpen(open === p.mac ? null : p.mac)}>
                      {t('sipServer.phones.details')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {open && <PhoneDetail mac={open} status={status} onClose={() => setOpen(null)} />}
      {managing && <ManagePhones onClose={() => setManaging(false)} />}
    </>
  );
}

/** Vendor, firmware, the vendor's feature table for that firmware, the dialog, the last CSTA error; follows the live list. */
function PhoneDetail({ mac, status, onClose }: { mac: string; status: UacstaStatus; onClose(): void }) {
  const { t } = useTranslation();
  const say = useProblemText();
  const [d, setD] = useState<UacstaPhoneDetail | null>(null);
  const { error, attempt } = useAttempt();
  const row = status.phones.find((p) => p.mac === mac);
  const key = row ? `${row.status}/${row.firmware}/${row.identities.join()}/${row.problem?.code ?? ''}` : '';
  useEffect(() => {
    void attempt(async () => setD(await api().call('uacsta.phone', { mac })));
  }, [mac, key, attempt]);
  return (
    <section className="card" aria-label={t('sipServer.detail.title', { mac })}>
      <div className="card-head">
        <h2>{t('sipServer.detail.title', { mac })}</h2>
        <button type="button" className="secondary" onClick={onClose}>
          {t('sipServer.detail.close')}
        </button>
      </div>
      <ErrorNote error={error} />
      {d && (
        <>
          <dl className="counters">
            <div>
              <dt>{t('sipServer.detail.vendor')}</dt>
              <dd>{t(`sipServer.vendors.${d.vendor}`)}</dd>
            </div>
            <div>
              <dt>{t('sipServer.detail.firmware')}</dt>
              <dd>{d.firmware ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('sipServer.detail.identities')}</dt>
              <dd>{d.identities.join(', ') || '—'}</dd>
            </div>
            <div>
              <dt>{t('sipServer.detail.dialog')}</dt>
              <dd>{t(`sipServer.detail.dialogs.${d.dialog}`)}</dd>
            </div>
            <div>
              <dt>{t('sipServer.detail.lastCstaError')}</dt>
              <dd>{d.lastCstaError ? t('sipServer.detail.lastCstaErrorText', { service: d.lastCstaError.service, error: d.lastCstaError.error, at: formatDateTime(d.lastCstaError.at) }) : t('sipServer.detail.noError')}</dd>
            </div>
            {d.problem && (
              <div>
                <dt>{t('sipServer.detail.problem')}</dt>
                <dd className="problem">{say(d.problem)}</dd>
              </div>
            )}
          </dl>
          <h3>{t('sipServer.detail.features')}</h3>
          {d.features.length === 0 ? (
            <p className="empty">{t('sipServer.detail.noFeatures')}</p>
          ) : (
            <table className="grid" aria-label={t('sipServer.detail.features')}>
              <thead>
                <tr>
                  <th>{t('sipServer.detail.service')}</th>
                  <th>{t('sipServer.detail.support')}</th>
                </tr>
              </thead>
              <tbody>
                {d.features.map((f) => (
                  <tr key={f.service}>
                    <td className="mono">{f.service}</td>
                    <td>{t(`sipServer.detail.supports.${f.support}`, { since: f.since })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
