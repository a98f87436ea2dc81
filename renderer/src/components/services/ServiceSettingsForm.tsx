import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemText } from '../../i18n/useProblemText';
import { zodProblem } from '../../i18n/problems';
import { muxServiceSettingsSchema, type MuxServiceSettings, type MuxServiceSettingsInput } from '../../../../shared/api/services';
import { CertificateFields, type CertificateFiles } from './CertificateFields';

export interface ServiceSettingsInput {
  settings: MuxServiceSettingsInput;
  user?: string;
  password?: string;
}

/** The multiplexer service's settings (PBX, port, interface, login); saved for the next start of the service. */
export function ServiceSettingsForm({ saved, hasLogin, onSave }: { saved?: MuxServiceSettings; hasLogin: boolean; onSave(input: ServiceSettingsInput): Promise<boolean> }) {
  const { t } = useTranslation();
  const say = useProblemText();
  const id = useId();
  const [v, setV] = useState({ pbxHost: saved?.pbxHost ?? '', pbxPort: saved?.pbxPort ?? 33333, tcpPort: saved?.tcpPort ?? 33333, bind: saved?.bind ?? '127.0.0.1', requireLogin: saved?.requireLogin ?? false, user: '', password: '' });
  const [tlsPort, setTlsPort] = useState(saved?.tlsPort?.toString() ?? '');
  // Contents of the files the admin picked (main never gets a path); empty keeps the stored certificate.
  const [files, setFiles] = useState<CertificateFiles>({});
  const [reading, setReading] = useState(0);
  const settings = {
    pbxHost: v.pbxHost.trim(),
    pbxPort: v.pbxPort,
    tcpPort: v.tcpPort,
    bind: v.bind.trim(),
    requireLogin: v.requireLogin,
    ...(tlsPort.trim() !== '' && { tlsPort: Number(tlsPort) }),
    ...files,
  };
  const parsed = muxServiceSettingsSchema.safeParse(settings);
  const problems: Record<string, string> = parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), say(zodProblem(i))]));
  const needsCert = settings.tlsPort !== undefined && !files.cert && !saved?.certificate;
  if (needsCert) problems.cert = t('services.certNeeded');
  const field = (key: 'pbxHost' | 'pbxPort' | 'tcpPort' | 'bind', label: string, type: 'text' | 'number') => (
    <div className="field-row">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        type={type}
        value={typeof v[key] === 'number' && Number.isNaN(v[key]) ? '' : v[key]}
        aria-invalid={problems[key] ? true : undefined}
        onChange={(e) => setV({ ...v, [key]: type === 'number' ? (e.target.value === '' ? Number.NaN : Number(e.target.value)) : e.target.value })}
      />
      {problems[key] && <span className="problem">{problems[key]}</span>}
    </div>
  );
  return (
    <form
      className="field-grid"
      aria-label={t('services.settings')}
      onSubmit={(e) => {
        e.preventDefault();
        if (!parsed.success || needsCert || reading > 0) return;
        // Once saved, the login is in main's secret store only; the fields empty again.
        void onSave({ settings: parsed.data, ...(v.user ? { user: v.user, password: v.password } : {}) }).then((ok) => ok && setV((cur) => ({ ...cur, user: '', password: '' })));
      }}
    >
      <h3>{t('services.settings')}</h3>
      {field('pbxHost', t('mux.pbxHost'), 'text')}
      {field('pbxPort', t('mux.pbxPort'), 'number')}
      {field('tcpPort', t('mux.tcpPort'), 'number')}
      {field('bind', t('services.bind'), 'text')}
      <div className="field-row">
        <label htmlFor={`${id}-tlsPort`}>{t('services.tlsPort')}</label>
        <input id={`${id}-tlsPort`} value={tlsPort} aria-invalid={problems.tlsPort ? true : undefined} onChange={(e) => setTlsPort(e.target.value)} />
        {problems.tlsPort && <span className="problem">{problems.tlsPort}</span>}
      </div>
      <CertificateFields id={id} stored={saved?.certificate} problems={problems} certLabel={t('services.cert')} setFiles={setFiles} onReading={(d) => setReading((n) => n + d)} />
      <div className="field-row check">
        <label htmlFor={`${id}-login`}>{t('mux.requireLogin')}</label>
        <input id={`${id}-login`} type="checkbox" checked={v.requireLogin} onChange={(e) => setV({ ...v, requireLogin: e.target.checked })} />
      </div>
      <p className="hint">{hasLogin ? t('services.loginSet') : t('services.loginDefault')}</p>
      <div className="field-row">
        <label htmlFor={`${id}-user`}>{t('fields.user')}</label>
        <input id={`${id}-user`} value={v.user} autoComplete="off" onChange={(e) => setV({ ...v, user: e.target.value })} />
      </div>
      <div className="field-row">
        <label htmlFor={`${id}-pw`}>{t('fields.password')}</label>
        <input id={`${id}-pw`} type="password" autoComplete="new-password" value={v.password} onChange={(e) => setV({ ...v, password: e.target.value })} />
      </div>
      <div>
        <button type="submit" disabled={!parsed.success || needsCert || reading > 0}>
          {t('services.saveSettings')}
        </button>
      </div>
    </form>
  );
}
