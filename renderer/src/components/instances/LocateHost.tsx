import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NetworkInterface, TftpLocation } from '../../../../shared/api/network';
import { api } from '../../api';
import { useAttempt } from '../../util/useAttempt';
import { ErrorNote } from '../ErrorNote';

/**
 * "Locate": asks the DHCP server of the network on the chosen interface for its TFTP server (option 150, else 66),
 * shows what it said, and puts the host into the field when the admin takes it.
 */
export function LocateHost({ onFound }: { onFound(host: string): void }) {
  const { t } = useTranslation();
  const id = useId();
  const [interfaces, setInterfaces] = useState<NetworkInterface[]>([]);
  const [chosen, setChosen] = useState('');
  const [found, setFound] = useState<TftpLocation | null>(null);
  const [busy, setBusy] = useState(false);
  const { error, attempt } = useAttempt();
  useEffect(() => {
    void api()
      .call('network.interfaces', {})
      .then((list) => {
        setInterfaces(list);
        setChosen((c) => c || (list.find((i) => !i.internal) ?? list[0])?.address || '');
      })
      .catch(() => undefined);
  }, []);
  return (
    <div className="locate">
      <label htmlFor={id}>{t('locate.interface')}</label>
      <select id={id} value={chosen} onChange={(e) => setChosen(e.target.value)}>
        {interfaces.map((i) => (
          <option key={`${i.name}-${i.address}`} value={i.address}>
            {i.name} ({i.address})
          </option>
        ))}
      </select>
      <button
        type="button"
        className="secondary"
        disabled={busy || !chosen}
        onClick={async () => {
          setBusy(true);
          setFound(null);
          await attempt(async () => {
            const r = await api().call('network.locateTftp', { interface: chosen });
            setFound(r);
            onFound(r.host);
          });
          setBusy(false);
        }}
      >
        {t('locate.button')}
      </button>
      <span role="status" className={found ? 'hint ok' : 'hint'}>
        {busy ? t('locate.asking') : found ? t('locate.found', { host: found.host, server: found.server, list: found.tftpServers.join(', ') || '–', name: found.tftpName || '–' }) : ''}
      </span>
      <ErrorNote error={error} />
    </div>
  );
}
