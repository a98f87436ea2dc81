import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemText } from '../../i18n/useProblemText';
import { zodProblem } from '../../i18n/problems';
import { muxServiceSettingsSchema, type MuxServiceSettings } from '../../../../shared/api/services';

export interface ServiceSettingsInput {
  settings: MuxServiceSettings;
  user?: string;
  password?: string;
}

/** The multiplexer service's settings (PBX, port, interface, login); saved for the next start of the service. */
export function ServiceSettingsForm({ saved, hasLogin, onSave }: { saved?: MuxServiceSettings; hasLogin: boolean; onSave(input: ServiceSettingsInput): Promise<boolean> }) {
  const { t } = useTranslation();
  const say = useProblemText();
  const id = useId();
  const [v, setV] = useState({ pbxHost: saved?.pbxHost ?? '', pbxPort: saved?.pbxPort ?? 33333, tcpPort: saved?.tcpPort ?? 33333, bind: saved?.bind ?? '127.0.0.1', requireLogin: saved?.requireLogin ?? false, user: '', password: '' });
  const [tls, setTls] = useState({ tlsPort: saved?.tlsPort?.toString() ?? '', cert: saved?.cert ?? '', key: saved?.key ?? '' });
  const settings = {
    pbxHost: v.pbxHost.trim(),
    pbxPort: v.pbxPort,
    tcpPort: v.tcpPort,
    bind: v.bind.trim(),
    requireLogin: v.requireLogin,
    ...(tls.tlsPort.trim() !== '' && { tlsPort: Number(tls.tlsPort) }),
    ...(tls.cert.trim() !== '' && { cert: tls.cert.trim() }),
    ...(tls.key.trim() !== '' && { key: tls.key.trim() }),
  };
  const parsed = muxServiceSettingsSchema.safeParse(settings);
  const problems = parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), say(zodProblem(i))]));
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
        if (!parsed.success) return;
        // Once saved, the login is in main's secret store only; the fields empty again.
        void onSave({ settings: parsed.data, ...(v.user ? { user: v.user, password: v.password } : {}) }).then((ok) => ok && setV((cur) => ({ ...cur, user: '', password: '' })));
      }}
    >
      <h3>{t('services.settings')}</h3>
      {field('pbxHost', t('mux.pbxHost'), 'text')}
      {field('pbxPort', t('mux.pbxPort'), 'number')}
      {field('tcpPort', t('mux.tcpPort'), 'number')}
      {field('bind', t('services.bind'), 'text')}
      {(['tlsPort', 'cert', 'key'] as const).map((key) => (
        <div className="field-row" key={key}>
          <label htmlFor={`${id}-${key}`}>{t(`services.${key}`)}</label>
          <input id={`${id}-${key}`} value={tls[key]} aria-invalid={problems[key] ? true : undefined} onChange={(e) => setTls({ ...tls, [key]: e.target.value })} />
          {problems[key] && <span className="problem">{problems[key]}</span>}
        </div>
      ))}
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
        <button type="submit" disabled={!parsed.success}>
          {t('services.saveSettings')}
        </button>
      </div>
    </form>
  );
}
