import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProvisioningCandidate, ProvisioningGuide, ProvisioningOptions, ProvisioningResult } from '../../../../shared/api/uacsta';
import { api } from '../../api';
import { useProblemText } from '../../i18n/useProblemText';
import { useAttempt } from '../../util/useAttempt';
import { download } from '../../util/files';
import { ErrorNote } from '../ErrorNote';
import { CheckField, NumberField, TextField } from './fields';

/** Manual §3.5.1: find phones, provide the selected ones with this server's account, delete it again; options; guides. */
export function ManagePhones({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const say = useProblemText();
  const { error, attempt } = useAttempt();
  const [typed, setTyped] = useState('');
  const [found, setFound] = useState<ProvisioningCandidate[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [results, setResults] = useState<ProvisioningResult[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const merge = (more: ProvisioningCandidate[]) => {
    setFound((cur) => [...cur.filter((c) => !more.some((m) => m.address === c.address)), ...more]);
    setSelected((cur) => [...new Set([...cur, ...more.filter((m) => !m.problem).map((m) => m.address)])]);
  };
  const run = (f: () => Promise<void>) => {
    setBusy(true);
    void attempt(f).finally(() => setBusy(false));
  };
  return (
    <section className="card" aria-label={t('sipServer.provisioning.title')}>
      <div className="card-head">
        <h2>{t('sipServer.provisioning.title')}</h2>
        <button type="button" className="secondary" onClick={onClose}>
          {t('sipServer.provisioning.close')}
        </button>
      </div>
      <p className="hint">{t('sipServer.provisioning.intro')}</p>
      <div className="field-grid">
        <TextField multiline label={t('sipServer.provisioning.addresses')} value={typed} onChange={setTyped} />
        <div className="toolbar">
          <button type="button" disabled={busy || !typed.trim()} onClick={() => run(async () => merge(await api().call('uacsta.provisioning.find', { addresses: typed.split(/[\s,]+/).filter(Boolean) })))}>
            {t('sipServer.provisioning.find')}
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => run(async () => merge(await api().call('uacsta.provisioning.discover', { seconds: 5 })))}>
            {t('sipServer.provisioning.discover')}
          </button>
          {busy && <span role="status">{t('sipServer.provisioning.discovering')}</span>}
        </div>
      </div>
      <ErrorNote error={error} />
      {found.length > 0 && (
        <table className="grid" aria-label={t('sipServer.provisioning.found')}>
          <thead>
            <tr>
              <th />
              <th>{t('sipServer.provisioning.address')}</th>
              <th>{t('sipServer.provisioning.vendor')}</th>
              <th>{t('sipServer.provisioning.model')}</th>
              <th>{t('sipServer.provisioning.mac')}</th>
              <th>{t('sipServer.provisioning.via')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {found.map((c) => (
              <tr key={c.address}>
                <td>
                  <input type="checkbox" aria-label={t('sipServer.provisioning.select', { address: c.address })} checked={selected.includes(c.address)} onChange={(e) => setSelected(e.target.checked ? [...selected, c.address] : selected.filter((a) => a !== c.address))} />
                </td>
                <td className="mono">{c.address}</td>
                <td>{t(`sipServer.vendors.${c.vendor}`)}</td>
                <td>{c.model ?? '—'}</td>
                <td className="mono">{c.mac ?? '—'}</td>
                <td>{c.via === 'pnp' ? t('sipServer.provisioning.viaPnp') : t('sipServer.provisioning.viaAddress')}</td>
                <td className="problem">{c.problem ? say(c.problem) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {found.length === 0 && results === null && !busy && <p className="empty">{t('sipServer.provisioning.noneFound')}</p>}
      <div className="toolbar">
        <button type="button" disabled={busy || selected.length === 0} onClick={() => run(async () => setResults(await api().call('uacsta.provisioning.provide', { addresses: selected })))}>
          {t('sipServer.provisioning.provide')}
        </button>
        <button type="button" className="secondary" disabled={busy || selected.length === 0} onClick={() => setConfirmRemove(true)}>
          {t('sipServer.provisioning.remove')}
        </button>
      </div>
      {confirmRemove && (
        <div role="alertdialog" aria-label={t('sipServer.provisioning.remove')} className="card">
          <p>{t('sipServer.provisioning.removeConfirm', { count: selected.length })}</p>
          <button
            type="button"
            onClick={() => {
              setConfirmRemove(false);
              run(async () => setResults(await api().call('uacsta.provisioning.remove', { addresses: selected })));
            }}
          >
            {t('sipServer.provisioning.remove')}
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setConfirmRemove(false)}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      {results && (
        <ul aria-label={t('sipServer.provisioning.results')}>
          {results.map((r) => (
            <li key={r.address}>
              <span className="mono">{r.address}</span>: {r.ok ? (r.restarted ? t('sipServer.provisioning.restarted') : t('sipServer.provisioning.ok')) : <span className="problem">{r.problem ? say(r.problem) : ''}</span>}
            </li>
          ))}
        </ul>
      )}
      <ProvisioningOptionsForm />
      <SetupGuides />
    </section>
  );
}

function ProvisioningOptionsForm() {
  const { t } = useTranslation();
  const [o, setO] = useState<ProvisioningOptions | null>(null);
  const [password, setPassword] = useState('');
  const [saved, setSaved] = useState(false);
  const { error, attempt } = useAttempt();
  useEffect(() => {
    void api().call('uacsta.provisioning.options', {}).then(setO, () => undefined);
  }, []);
  if (!o) return null;
  return (
    <details>
      <summary>{t('sipServer.provisioning.options')}</summary>
      <form
        className="field-grid"
        aria-label={t('sipServer.provisioning.options')}
        onSubmit={(e) => {
          e.preventDefault();
          void attempt(async () => {
            const { webPasswordSet: _set, ...rest } = o;
            setO(await api().call('uacsta.provisioning.saveOptions', { ...rest, ...(password ? { webPassword: password } : {}) }));
            setPassword('');
            setSaved(true);
          });
        }}
      >
        <TextField label={t('sipServer.provisioning.webUser')} value={o.webUser} onChange={(webUser) => (setSaved(false), setO({ ...o, webUser }))} />
        <TextField type="password" label={t('sipServer.provisioning.webPassword')} value={password} hint={o.webPasswordSet ? t('sipServer.passwordKeep') : undefined} onChange={(v) => (setSaved(false), setPassword(v))} />
        <div className="field-row">
          <label htmlFor="prov-transport">{t('sipServer.provisioning.transport')}</label>
          <select id="prov-transport" value={o.transport} onChange={(e) => (setSaved(false), setO({ ...o, transport: e.target.value as 'tcp' | 'tls' }))}>
            <option value="tcp">{t('options.tcp')}</option>
            <option value="tls">{t('options.tls')}</option>
          </select>
        </div>
        <CheckField label={t('sipServer.provisioning.restart')} checked={o.restart} onChange={(restart) => (setSaved(false), setO({ ...o, restart }))} />
        <NumberField label={t('sipServer.provisioning.webPort')} value={o.webPort} onChange={(v) => (setSaved(false), setO({ ...o, webPort: v ?? Number.NaN }))} />
        <ErrorNote error={error} />
        <div className="save-bar">
          <button type="submit">{t('sipServer.provisioning.saveOptions')}</button>
          {saved && <span role="status">{t('sipServer.saved')}</span>}
        </div>
      </form>
    </details>
  );
}

const GUIDE_VENDORS = ['snom', 'yealink', 'auerswald', 'mitel'] as const;

/** The vendors' manual steps, filled in with this server's address, port and phone password. */
function SetupGuides() {
  const { t } = useTranslation();
  const [g, setG] = useState<ProvisioningGuide | null>(null);
  const { error, attempt } = useAttempt();
  return (
    <details onToggle={(e) => (e.currentTarget.open && !g ? void attempt(async () => setG(await api().call('uacsta.provisioning.guide', {}))) : undefined)}>
      <summary>{t('sipServer.provisioning.guides')}</summary>
      <ErrorNote error={error} />
      {g && (
        <>
          <p className="hint">{t('sipServer.provisioning.guideHint')}</p>
          {GUIDE_VENDORS.map((v) => (
            <section key={v} aria-label={t('sipServer.provisioning.guideFor', { vendor: t(`sipServer.vendors.${v}`) })}>
              <h3>{t('sipServer.provisioning.guideFor', { vendor: t(`sipServer.vendors.${v}`) })}</h3>
              <ol>
                {(t(`sipServer.guides.${v}`, { returnObjects: true, address: g.address, port: g.port, transport: g.transport.toUpperCase(), password: g.password }) as unknown as string[]).map((step, i) => (
                  <li key={i}>{step}</li>
                ))}
              </ol>
              {v === 'mitel' && (
                <>
                  <pre className="mono">{g.mitelStartupCfg}</pre>
                  <button type="button" className="secondary" onClick={() => download('startup.cfg', { text: g.mitelStartupCfg }, 'text/plain')}>
                    {t('sipServer.provisioning.downloadStartup')}
                  </button>
                </>
              )}
            </section>
          ))}
        </>
      )}
    </details>
  );
}
