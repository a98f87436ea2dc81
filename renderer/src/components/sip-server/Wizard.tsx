import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { uacstaSettingsSchema, type UacstaSettingsView, type UacstaStatus } from '../../../../shared/api/uacsta';
import { api } from '../../api';
import { useAttempt } from '../../util/useAttempt';
import { ErrorNote } from '../ErrorNote';
import { CheckField, NumberField, TextField } from './fields';

const STEPS = ['interfaces', 'ports', 'certificate', 'passwords'] as const;

/** The first configuration, as the manual's installer asks it: interfaces, ports, certificate, passwords. */
export function SipServerWizard({ view, onDone }: { view: UacstaSettingsView; onDone(v: UacstaSettingsView, s?: UacstaStatus): void }) {
  const { t } = useTranslation();
  const [step, setStep] = useState(0);
  const [s, setS] = useState(view.settings);
  const [secrets, setSecrets] = useState({ phonePassword: '', clientUser: view.clientUser ?? '', clientPassword: '', cert: '', key: '' });
  const [startNow, setStartNow] = useState(true);
  const { error, attempt } = useAttempt();
  const name = STEPS[step];
  const settings = { ...s, configured: true };
  const valid = uacstaSettingsSchema.safeParse(settings).success;
  const passwordsOk = (secrets.phonePassword || view.phonePasswordSet) && secrets.clientUser && (secrets.clientPassword || view.clientPasswordSet);
  const finish = () =>
    attempt(async () => {
      const typed = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== '')) as Partial<typeof secrets>;
      const v = await api().call('uacsta.saveSettings', { settings, ...typed });
      // a start that fails (a taken port …) leaves the settings saved: the status page then says why
      const st = startNow ? await api().call('uacsta.start', {}).catch(() => api().call('uacsta.status', {})) : undefined;
      onDone(v, st);
    });
  return (
    <section className="card" aria-label={t('sipServer.wizard.title')}>
      <h2>{t('sipServer.wizard.title')}</h2>
      <p className="hint">{t('sipServer.wizard.intro')}</p>
      <ol className="steps">
        {STEPS.map((n, i) => (
          <li key={n} aria-current={i === step ? 'step' : undefined}>
            {t(`sipServer.wizard.steps.${n}`)}
          </li>
        ))}
      </ol>
      <div className="field-grid">
        {name === 'interfaces' && (
          <>
            <TextField label={t('sipServer.wizard.phoneLan')} value={s.phone.lan} hint={t('sipServer.lanHint')} onChange={(lan) => setS({ ...s, phone: { ...s.phone, lan } })} />
            <TextField label={t('sipServer.wizard.clientLan')} value={s.client.lan} onChange={(lan) => setS({ ...s, client: { ...s.client, lan } })} />
          </>
        )}
        {name === 'ports' && (
          <>
            <NumberField label={t('sipServer.wizard.phoneTcp')} value={s.phone.tcpPort} onChange={(p) => setS({ ...s, phone: { ...s.phone, tcpPort: p ?? Number.NaN } })} />
            <NumberField label={t('sipServer.wizard.phoneTls')} value={s.phone.tlsPort} hint={t('sipServer.tlsPortHint')} onChange={(p) => setS({ ...s, phone: { ...s.phone, tlsPort: p } })} />
            <NumberField label={t('sipServer.wizard.clientTcp')} value={s.client.tcpPort} onChange={(p) => setS({ ...s, client: { ...s.client, tcpPort: p ?? Number.NaN } })} />
            <NumberField label={t('sipServer.wizard.clientTls')} value={s.client.tlsPort} onChange={(p) => setS({ ...s, client: { ...s.client, tlsPort: p } })} />
          </>
        )}
        {name === 'certificate' && (
          <>
            <p className="hint">{t('sipServer.wizard.certificateOptional')}</p>
            <TextField multiline label={t('sipServer.certificate')} value={secrets.cert} hint={t('sipServer.certificateHint')} onChange={(cert) => setSecrets({ ...secrets, cert })} />
            <TextField multiline label={t('sipServer.certificateKey')} value={secrets.key} onChange={(key) => setSecrets({ ...secrets, key })} />
          </>
        )}
        {name === 'passwords' && (
          <>
            <TextField type="password" label={t('sipServer.phonePassword')} value={secrets.phonePassword} hint={t('sipServer.phonePasswordHint')} onChange={(phonePassword) => setSecrets({ ...secrets, phonePassword })} />
            <TextField label={t('sipServer.clientUser')} value={secrets.clientUser} onChange={(clientUser) => setSecrets({ ...secrets, clientUser })} />
            <TextField type="password" label={t('sipServer.clientPassword')} value={secrets.clientPassword} onChange={(clientPassword) => setSecrets({ ...secrets, clientPassword })} />
            <CheckField label={t('sipServer.wizard.startNow')} checked={startNow} onChange={setStartNow} />
            {!passwordsOk && <p className="hint">{t('sipServer.wizard.needPasswords')}</p>}
          </>
        )}
      </div>
      <ErrorNote error={error} />
      <div className="save-bar">
        {step > 0 && (
          <button type="button" className="secondary" onClick={() => setStep(step - 1)}>
            {t('common.back')}
          </button>
        )}
        {step < STEPS.length - 1 ? (
          <button type="button" onClick={() => setStep(step + 1)}>
            {t('common.next')}
          </button>
        ) : (
          <button type="button" disabled={!valid || !passwordsOk} onClick={() => void finish()}>
            {t('sipServer.wizard.finish')}
          </button>
        )}
      </div>
    </section>
  );
}
