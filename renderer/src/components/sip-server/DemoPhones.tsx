import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UacstaDemoInfo, UacstaStatus } from '../../../../shared/api/uacsta';
import { api } from '../../api';
import { useAttempt } from '../../util/useAttempt';
import { ErrorNote } from '../ErrorNote';

/** The demo: simulated phones at this server, one of them waiting to be provisioned by its address. */
export function DemoPhones({ status }: { status: UacstaStatus }) {
  const { t } = useTranslation();
  const [demo, setDemo] = useState<UacstaDemoInfo | { running: false } | null>(null);
  const { error, attempt } = useAttempt();
  useEffect(() => {
    void api().call('uacsta.demo.status', {}).then(setDemo, () => undefined);
  }, [status.running]);
  return (
    <section className="card" aria-label={t('sipServer.demo.title')}>
      <h2>{t('sipServer.demo.title')}</h2>
      <p className="hint">{t('sipServer.demo.intro')}</p>
      <ErrorNote error={error} />
      {demo?.running ? (
        <>
          <p role="status">{t('sipServer.demo.running', { count: demo.phones.length })}</p>
          <p>
            {t('sipServer.demo.waiting', { address: demo.waiting.address, user: demo.waiting.webUser, password: demo.waiting.webPassword })}
          </p>
          <p>{t('sipServer.demo.clientAt', { host: demo.client.host, port: demo.client.port })}</p>
          {demo.client.user && <p>{t('sipServer.demo.client', { user: demo.client.user, password: demo.client.password })}</p>}
          <button type="button" className="secondary" onClick={() => attempt(async () => setDemo(await api().call('uacsta.demo.stop', {})))}>
            {t('sipServer.demo.stop')}
          </button>
        </>
      ) : (
        <button type="button" onClick={() => attempt(async () => setDemo(await api().call('uacsta.demo.start', {})))}>
          {t('sipServer.demo.start')}
        </button>
      )}
    </section>
  );
}
