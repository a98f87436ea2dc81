import { useEffect, useId, useRef, useState } from 'react';
import { api } from '../../api';
import { useTranslation } from 'react-i18next';
import { useProblemText } from '../../i18n/useProblemText';
import { muxStartInput, type MuxStartInput } from '../../../../shared/api/mux';
import { zodProblem } from '../../i18n/problems';
import { CertificateFields, type CertificateValue } from './CertificateFields';

/** The multiplexer's settings: the PBX it links to, where applications connect (this computer only unless the admin picks an interface), the login they need. */
export function MuxStartForm({ onStart }: { onStart(input: MuxStartInput): Promise<unknown> }) {
  const { t } = useTranslation();
  const say = useProblemText();
  const id = useId();
  const [v, setV] = useState({ pbxHost: '', pbxPort: 33333, tcpPort: 33333, bind: '127.0.0.1', requireLogin: false, user: 'admin', password: '' });
  // The settings it last started with (kept across a stop, shared with the service); a stored login stays unless retyped.
  const [storedUser, setStoredUser] = useState<string | null>(null);
  // TLS for applications: empty port = none; certificate and key are read here and sent as contents
  const [tlsPort, setTlsPort] = useState('');
  const [tls, setTls] = useState<CertificateValue>({});
  const [reading, setReading] = useState(0);
  const touched = useRef(false);
  const edit = (next: typeof v) => {
    touched.current = true;
    setV(next);
  };
  useEffect(() => {
    let live = true;
    api()
      .call('mux.settings', {})
      .then((r) => {
        if (!live) return;
        setStoredUser(r.user);
        // What the admin already typed wins over the remembered settings arriving late.
        if (touched.current) return;
        if (r.settings) {
          const { tlsPort: remembered, ...rest } = r.settings;
          setV((cur) => ({ ...cur, ...rest, user: r.user ?? cur.user }));
          if (remembered !== undefined) setTlsPort(String(remembered));
        }
        else if (r.user) setV((cur) => ({ ...cur, user: r.user! }));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  const keepLogin = storedUser !== null && v.user === storedUser && v.password === '';
  const withTls = tlsPort.trim() !== '';
  const input: MuxStartInput = {
    pbxHost: v.pbxHost.trim(),
    pbxPort: v.pbxPort,
    tcpPort: v.tcpPort,
    ...(withTls ? { tlsPort: Number(tlsPort), ...tls } : {}),
    bind: v.bind.trim(),
    requireLogin: v.requireLogin,
    ...(v.requireLogin && !keepLogin ? { user: v.user, password: v.password } : {}),
  };
  const parsed = muxStartInput.safeParse(input);
  const problems = parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), say(zodProblem(i))]));
  const num = (key: 'pbxPort' | 'tcpPort') => (
    <div className="field-row">
      <label htmlFor={`${id}-${key}`}>{t(`mux.${key}`)}</label>
      <input id={`${id}-${key}`} type="number" value={Number.isNaN(v[key]) ? '' : v[key]} aria-invalid={problems[key] ? true : undefined} onChange={(e) => edit({ ...v, [key]: e.target.value === '' ? Number.NaN : Number(e.target.value) })} />
      {problems[key] && <span className="problem">{problems[key]}</span>}
    </div>
  );
  return (
    <form
      className="card field-grid"
      onSubmit={(e) => {
        e.preventDefault();
        if (parsed.success) void onStart(input);
      }}
    >
      <div className="field-row">
        <label htmlFor={`${id}-host`}>{t('mux.pbxHost')}</label>
        <input id={`${id}-host`} value={v.pbxHost} onChange={(e) => edit({ ...v, pbxHost: e.target.value })} />
      </div>
      {num('pbxPort')}
      {num('tcpPort')}
      <div className="field-row">
        <label htmlFor={`${id}-tlsPort`}>{t('mux.tlsPort')}</label>
        <input id={`${id}-tlsPort`} inputMode="numeric" value={tlsPort} aria-invalid={problems.tlsPort ? true : undefined} onChange={(e) => {
          touched.current = true;
          setTlsPort(e.target.value);
        }} />
        {problems.tlsPort && <span className="problem">{problems.tlsPort}</span>}
      </div>
      {withTls && <CertificateFields value={tls} problems={problems} onChange={setTls} onReading={(d) => setReading((n) => n + d)} />}
      <div className="field-row">
        <label htmlFor={`${id}-bind`}>{t('mux.bind')}</label>
        <input id={`${id}-bind`} value={v.bind} aria-invalid={problems.bind ? true : undefined} aria-describedby={`${id}-bind-hint`} onChange={(e) => edit({ ...v, bind: e.target.value })} />
        <span id={`${id}-bind-hint`} className={problems.bind ? 'problem' : 'hint'}>
          {problems.bind ?? t('mux.bindHint')}
        </span>
      </div>
      <div className="field-row check">
        <label htmlFor={`${id}-login`}>{t('mux.requireLogin')}</label>
        <input id={`${id}-login`} type="checkbox" checked={v.requireLogin} onChange={(e) => edit({ ...v, requireLogin: e.target.checked })} />
      </div>
      {!v.requireLogin && (
        <p role="status" className="hint warn">
          {t('mux.warnings.LOGIN_NOT_REQUIRED_ON_TCP')}
        </p>
      )}
      {v.requireLogin && (
        <>
          <div className="field-row">
            <label htmlFor={`${id}-user`}>{t('fields.user')}</label>
            <input id={`${id}-user`} value={v.user} onChange={(e) => edit({ ...v, user: e.target.value })} />
          </div>
          <div className="field-row">
            <label htmlFor={`${id}-pw`}>{t('fields.password')}</label>
            <input id={`${id}-pw`} type="password" autoComplete="new-password" value={v.password} aria-describedby={storedUser !== null ? `${id}-pw-hint` : undefined} onChange={(e) => edit({ ...v, password: e.target.value })} />
            {storedUser !== null && (
              <span id={`${id}-pw-hint`} className="hint">
                {t('mux.keepLogin')}
              </span>
            )}
          </div>
        </>
      )}
      <div>
        <button type="submit" disabled={!parsed.success || !v.pbxHost.trim() || reading > 0}>
          {t('mux.start')}
        </button>
      </div>
    </form>
  );
}
