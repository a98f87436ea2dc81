import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemText } from '../../i18n/useProblemText';
import { zodProblem } from '../../i18n/problems';
import { uacstaNotifyVendors, uacstaServiceSettingsSchema, type UacstaServiceSettings, type UacstaServiceSettingsInput } from '../../../../shared/api/services';
import { CertificateFields, type CertificateFiles } from './CertificateFields';

export interface UacstaServiceSettingsSave {
  settings: UacstaServiceSettingsInput;
  phonePassword?: string;
  clientUser?: string;
  clientPassword?: string;
}

type PortKey = 'phonePort' | 'phoneTlsPort' | 'clientPort' | 'clientTlsPort';
const PORTS: PortKey[] = ['phonePort', 'phoneTlsPort', 'clientPort', 'clientTlsPort'];

/** The uaCSTA server service's settings (ports, interface, TLS, activation) and its passwords, for its next start. */
export function UacstaServiceSettingsForm({ saved, hasPhonePassword, hasClientLogin, onSave }: { saved?: UacstaServiceSettings; hasPhonePassword: boolean; hasClientLogin: boolean; onSave(input: UacstaServiceSettingsSave): Promise<boolean> }) {
  const { t } = useTranslation();
  const say = useProblemText();
  const id = useId();
  // Ports as typed: empty means "none" for all but the phone port.
  const [ports, setPorts] = useState<Record<PortKey, string>>({
    phonePort: String(saved?.phonePort ?? 5060),
    phoneTlsPort: saved?.phoneTlsPort?.toString() ?? '',
    clientPort: saved?.clientPort?.toString() ?? '',
    clientTlsPort: saved?.clientTlsPort?.toString() ?? '',
  });
  const [bind, setBind] = useState(saved?.bind ?? '127.0.0.1');
  const [autoActivate, setAutoActivate] = useState(saved?.autoActivate ?? false);
  const [vendors, setVendors] = useState<string[]>(saved?.notifyVendors ?? []);
  const [secrets, setSecrets] = useState({ phonePassword: '', clientUser: '', clientPassword: '' });
  const [files, setFiles] = useState<CertificateFiles>({});
  const [reading, setReading] = useState(0);
  const settings = {
    ...Object.fromEntries(PORTS.filter((k) => ports[k].trim() !== '').map((k) => [k, Number(ports[k])])),
    bind: bind.trim(),
    autoActivate,
    notifyVendors: vendors,
    ...files,
  };
  const parsed = uacstaServiceSettingsSchema.safeParse(settings);
  const problems: Record<string, string> = parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), say(zodProblem(i))]));
  if (ports.phonePort.trim() === '') problems.phonePort = t('services.uacsta.phonePortNeeded');
  const wantsTls = ports.phoneTlsPort.trim() !== '' || ports.clientTlsPort.trim() !== '';
  const needsCert = wantsTls && !files.cert && !saved?.certificate;
  if (needsCert) problems.cert = t('services.certNeeded');
  const needsPhonePassword = !hasPhonePassword && secrets.phonePassword === '';
  const needsClientLogin = ports.clientPort.trim() !== '' && !hasClientLogin && secrets.clientUser === '';
  const blocked = !parsed.success || needsCert || needsPhonePassword || needsClientLogin || reading > 0 || Boolean(problems.phonePort);
  const portField = (key: PortKey) => (
    <div className="field-row" key={key}>
      <label htmlFor={`${id}-${key}`}>{t(`services.uacsta.${key}`)}</label>
      <input id={`${id}-${key}`} inputMode="numeric" value={ports[key]} aria-invalid={problems[key] ? true : undefined} onChange={(e) => setPorts({ ...ports, [key]: e.target.value })} />
      {problems[key] && <span className="problem">{problems[key]}</span>}
    </div>
  );
  const text = (key: keyof typeof secrets, label: string, password: boolean) => (
    <div className="field-row">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input id={`${id}-${key}`} type={password ? 'password' : 'text'} autoComplete={password ? 'new-password' : 'off'} value={secrets[key]} onChange={(e) => setSecrets({ ...secrets, [key]: e.target.value })} />
    </div>
  );
  return (
    <form
      className="field-grid"
      aria-label={t('services.settings')}
      onSubmit={(e) => {
        e.preventDefault();
        if (blocked || !parsed.success) return;
        const input: UacstaServiceSettingsSave = { settings: parsed.data };
        if (secrets.phonePassword) input.phonePassword = secrets.phonePassword;
        if (secrets.clientUser) Object.assign(input, { clientUser: secrets.clientUser, clientPassword: secrets.clientPassword });
        // Once saved, the passwords are in main's secret store only; the fields empty again.
        void onSave(input).then((ok) => ok && setSecrets({ phonePassword: '', clientUser: '', clientPassword: '' }));
      }}
    >
      <h3>{t('services.settings')}</h3>
      {PORTS.map(portField)}
      <div className="field-row">
        <label htmlFor={`${id}-bind`}>{t('services.uacsta.bind')}</label>
        <input id={`${id}-bind`} value={bind} aria-invalid={problems.bind ? true : undefined} onChange={(e) => setBind(e.target.value)} />
        {problems.bind && <span className="problem">{problems.bind}</span>}
      </div>
      <CertificateFields id={id} stored={saved?.certificate} problems={problems} certLabel={t('services.uacsta.cert')} setFiles={setFiles} onReading={(d) => setReading((n) => n + d)} />
      <div className="field-row check">
        <label htmlFor={`${id}-auto`}>{t('services.uacsta.autoActivate')}</label>
        <input id={`${id}-auto`} type="checkbox" checked={autoActivate} onChange={(e) => setAutoActivate(e.target.checked)} />
      </div>
      <fieldset className="choices">
        <legend>{t('services.uacsta.notifyVendors')}</legend>
        {uacstaNotifyVendors.map((v) => (
          <label key={v}>
            <input type="checkbox" checked={vendors.includes(v)} onChange={(e) => setVendors((cur) => (e.target.checked ? [...cur, v] : cur.filter((x) => x !== v)))} /> {t(`services.uacsta.vendors.${v}`)}
          </label>
        ))}
      </fieldset>
      <p className="hint">{hasPhonePassword ? t('services.uacsta.phonePasswordSet') : t('services.uacsta.phonePasswordNone')}</p>
      {text('phonePassword', t('services.uacsta.phonePassword'), true)}
      <p className="hint">{hasClientLogin ? t('services.uacsta.clientLoginSet') : t('services.uacsta.clientLoginNone')}</p>
      {text('clientUser', t('services.uacsta.clientUser'), false)}
      {text('clientPassword', t('services.uacsta.clientPassword'), true)}
      <div>
        <button type="submit" disabled={blocked}>
          {t('services.saveSettings')}
        </button>
      </div>
    </form>
  );
}
