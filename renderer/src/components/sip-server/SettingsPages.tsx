import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LOG_LEVELS, type LogEntry } from '../../../../shared/api/app';
import { uacstaSettingsSchema, type UacstaInterface, type UacstaSettings, type UacstaSettingsView } from '../../../../shared/api/uacsta';
import { api } from '../../api';
import { ErrorNote } from '../ErrorNote';
import { formatDateTime } from '../../i18n';
import { useLogText } from '../../i18n/useLogText';
import { useAttempt } from '../../util/useAttempt';
import { CheckField, NumberField, TextField } from './fields';

interface Secrets {
  phonePassword?: string;
  clientUser?: string;
  clientPassword?: string;
  cert?: string;
  key?: string;
}

/** A page's form over the stored settings: edits a draft, saves the whole settings document plus secrets typed. */
function SettingsForm({ view, onSaved, label, children }: { view: UacstaSettingsView; onSaved(v: UacstaSettingsView): void; label: string; children(d: UacstaSettings, set: (d: UacstaSettings) => void, secrets: Secrets, setSecrets: (s: Secrets) => void): ReactNode }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(view.settings);
  const [secrets, setSecrets] = useState<Secrets>({});
  const [saved, setSaved] = useState(false);
  const { error, attempt } = useAttempt();
  useEffect(() => setDraft(view.settings), [view.settings]);
  const typed = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== undefined && v !== '')) as Secrets;
  const valid = uacstaSettingsSchema.safeParse(draft).success;
  return (
    <form
      className="card field-grid"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        void attempt(async () => {
          onSaved(await api().call('uacsta.saveSettings', { settings: draft, ...typed }));
          setSecrets({});
          setSaved(true);
        });
      }}
    >
      {children(draft, (d) => (setSaved(false), setDraft(d)), secrets, setSecrets)}
      <ErrorNote error={error} />
      <div className="save-bar">
        <button type="submit" disabled={!valid}>
          {t('sipServer.save')}
        </button>
        {saved && <span role="status">{t('sipServer.saved')}</span>}
      </div>
    </form>
  );
}

function StoppedOnly({ running }: { running: boolean }) {
  const { t } = useTranslation();
  return running ? (
    <p role="note" className="hint warn">
      {t('sipServer.stoppedOnly')}
    </p>
  ) : null;
}

function InterfaceFields({ value, onChange, disabled }: { value: UacstaInterface; onChange(v: UacstaInterface): void; disabled: boolean }) {
  const { t } = useTranslation();
  const wan = value.wan;
  const setWan = (patch: Partial<NonNullable<UacstaInterface['wan']>>) => {
    const next = { host: '', tcpPort: value.tcpPort, publicHost: '', ...wan, ...patch };
    // no WAN address: no WAN interface
    onChange({ ...value, wan: next.host.trim() ? next : undefined });
  };
  return (
    <>
      <TextField label={t('sipServer.lan')} value={value.lan} disabled={disabled} hint={t('sipServer.lanHint')} onChange={(lan) => onChange({ ...value, lan })} />
      <NumberField label={t('sipServer.tcpPort')} value={value.tcpPort} disabled={disabled} onChange={(p) => onChange({ ...value, tcpPort: p ?? Number.NaN })} />
      <NumberField label={t('sipServer.tlsPort')} value={value.tlsPort} disabled={disabled} hint={t('sipServer.tlsPortHint')} onChange={(p) => onChange({ ...value, tlsPort: p })} />
      <TextField label={t('sipServer.wan')} value={wan?.host ?? ''} disabled={disabled} hint={t('sipServer.wanHint')} onChange={(host) => setWan({ host })} />
      {wan && (
        <>
          <NumberField label={t('sipServer.wanTcpPort')} value={wan.tcpPort} disabled={disabled} onChange={(p) => setWan({ tcpPort: p ?? Number.NaN })} />
          <NumberField label={t('sipServer.wanTlsPort')} value={wan.tlsPort} disabled={disabled} onChange={(p) => setWan({ tlsPort: p })} />
          <TextField label={t('sipServer.publicHost')} value={wan.publicHost} disabled={disabled} hint={t('sipServer.publicHostHint')} onChange={(publicHost) => setWan({ publicHost })} />
          <NumberField label={t('sipServer.publicPort')} value={wan.publicPort} disabled={disabled} hint={t('sipServer.publicPortHint')} onChange={(p) => setWan({ publicPort: p })} />
          <NumberField label={t('sipServer.publicTlsPort')} value={wan.publicTlsPort} disabled={disabled} hint={t('sipServer.publicPortHint')} onChange={(p) => setWan({ publicTlsPort: p })} />
        </>
      )}
    </>
  );
}

function CertificateFields({ view, secrets, setSecrets, disabled }: { view: UacstaSettingsView; secrets: Secrets; setSecrets(s: Secrets): void; disabled: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <p className="hint">{view.certificate ? t('sipServer.certificateStored', { names: view.certificate.names.join(', '), validTo: formatDateTime(view.certificate.validTo) }) : t('sipServer.certificateNone')}</p>
      <TextField multiline label={t('sipServer.certificate')} value={secrets.cert ?? ''} disabled={disabled} hint={t('sipServer.certificateHint')} onChange={(cert) => setSecrets({ ...secrets, cert })} />
      <TextField multiline label={t('sipServer.certificateKey')} value={secrets.key ?? ''} disabled={disabled} onChange={(key) => setSecrets({ ...secrets, key })} />
    </>
  );
}

type PageProps = { view: UacstaSettingsView; onSaved(v: UacstaSettingsView): void };

export function PhoneConnectionPage({ view, onSaved }: PageProps) {
  const { t } = useTranslation();
  const off = view.running;
  return (
    <SettingsForm view={view} onSaved={onSaved} label={t('sipServer.pages.phoneConnection')}>
      {(d, set, secrets, setSecrets) => (
        <>
          <StoppedOnly running={off} />
          <InterfaceFields value={d.phone} disabled={off} onChange={(phone) => set({ ...d, phone })} />
          <CertificateFields view={view} secrets={secrets} setSecrets={setSecrets} disabled={off} />
          <TextField type="password" label={t('sipServer.phonePassword')} value={secrets.phonePassword ?? ''} disabled={off} hint={view.phonePasswordSet ? t('sipServer.passwordKeep') : t('sipServer.phonePasswordHint')} onChange={(phonePassword) => setSecrets({ ...secrets, phonePassword })} />
        </>
      )}
    </SettingsForm>
  );
}

export function ClientConnectionPage({ view, onSaved }: PageProps) {
  const { t } = useTranslation();
  const off = view.running;
  return (
    <SettingsForm view={view} onSaved={onSaved} label={t('sipServer.pages.clientConnection')}>
      {(d, set, secrets, setSecrets) => (
        <>
          <StoppedOnly running={off} />
          <InterfaceFields value={d.client} disabled={off} onChange={(client) => set({ ...d, client })} />
          <TextField label={t('sipServer.clientUser')} value={secrets.clientUser ?? view.clientUser ?? ''} disabled={off} onChange={(clientUser) => setSecrets({ ...secrets, clientUser })} />
          <TextField type="password" label={t('sipServer.clientPassword')} value={secrets.clientPassword ?? ''} disabled={off} hint={view.clientPasswordSet ? t('sipServer.passwordKeep') : undefined} onChange={(clientPassword) => setSecrets({ ...secrets, clientPassword })} />
        </>
      )}
    </SettingsForm>
  );
}

/** What to tell phones and clients: the addresses they reach (WAN when set) and how they log in. */
export function AccessPage({ view }: { view: UacstaSettingsView }) {
  const { t } = useTranslation();
  const { phone, client } = view.settings;
  const tls = phone.tlsPort !== undefined;
  return (
    <section className="card" aria-label={t('sipServer.pages.access')}>
      <h2>{t('sipServer.access.phones')}</h2>
      <p>{t('sipServer.access.phonesText', { address: phone.lan, port: tls ? phone.tlsPort : phone.tcpPort, transport: tls ? 'TLS' : 'TCP' })}</p>
      {phone.wan && <p>{t('sipServer.access.fromOutside', { address: phone.wan.publicHost, port: phone.wan.publicPort ?? phone.wan.tcpPort })}</p>}
      {phone.wan?.tlsPort !== undefined && <p>{t('sipServer.access.fromOutsideTls', { address: phone.wan.publicHost, port: phone.wan.publicTlsPort ?? phone.wan.tlsPort })}</p>}
      <h2>{t('sipServer.access.clients')}</h2>
      <p>{t('sipServer.access.clientsText', { address: client.lan, port: client.tcpPort, user: view.clientUser ?? t('sipServer.access.noUser') })}</p>
      {client.wan && <p>{t('sipServer.access.fromOutside', { address: client.wan.publicHost, port: client.wan.publicPort ?? client.wan.tcpPort })}</p>}
      {client.wan?.tlsPort !== undefined && <p>{t('sipServer.access.fromOutsideTls', { address: client.wan.publicHost, port: client.wan.publicTlsPort ?? client.wan.tlsPort })}</p>}
    </section>
  );
}

export function AdvancedPage({ view, onSaved }: PageProps) {
  const { t } = useTranslation();
  return (
    <SettingsForm view={view} onSaved={onSaved} label={t('sipServer.pages.advanced')}>
      {(d, set) => (
        <>
          <CheckField label={t('sipServer.advanced.autoActivate')} hint={t('sipServer.advanced.autoActivateHint')} checked={d.autoActivate} onChange={(autoActivate) => set({ ...d, autoActivate })} />
          <NumberField label={t('sipServer.advanced.expirySeconds')} value={d.expirySeconds} onChange={(v) => set({ ...d, expirySeconds: v ?? Number.NaN })} />
          <NumberField label={t('sipServer.advanced.keepAliveSeconds')} value={d.keepAliveSeconds} onChange={(v) => set({ ...d, keepAliveSeconds: v ?? Number.NaN })} />
          <fieldset disabled={view.running}>
            <legend>{t('sipServer.advanced.notifyVendors')}</legend>
            {NOTIFY_VENDORS.map((v) => (
              <CheckField key={v} label={t(`sipServer.vendors.${v}`)} checked={d.notifyVendors.includes(v)} onChange={(on) => set({ ...d, notifyVendors: on ? [...d.notifyVendors, v] : d.notifyVendors.filter((x) => x !== v) })} />
            ))}
          </fieldset>
          <p className="hint">{t('sipServer.advanced.changeHint')}</p>
        </>
      )}
    </SettingsForm>
  );
}

const NOTIFY_VENDORS = ['snom', 'yealink', 'auerswald', 'mitel'] as const;
const MAC = /^[0-9a-f]{12}$/;
const macOf = (m: string) => m.trim().replace(/[:.-]/g, '').toLowerCase();

export function DiagnosticsPage({ view, onSaved }: PageProps) {
  const { t } = useTranslation();
  const [macs, setMacs] = useState(view.settings.diagnostics.logMacs.join(', '));
  const [log, setLog] = useState<LogEntry[]>([]);
  const logText = useLogText();
  useEffect(() => {
    void api().call('uacsta.log', {}).then(setLog, () => undefined);
  }, [view.running]);
  const typed = macs.split(',').map((m) => m.trim()).filter(Boolean);
  const bad = typed.find((m) => !MAC.test(macOf(m)));
  return (
    <>
      <SettingsForm view={view} onSaved={onSaved} label={t('sipServer.pages.diagnostics')}>
        {(d, set) => {
          const diag = d.diagnostics;
          const put = (patch: Partial<typeof diag>) => set({ ...d, diagnostics: { ...diag, ...patch } });
          return (
            <>
              <div className="field-row">
                <label htmlFor="uacsta-log-level">{t('sipServer.diagnostics.logLevel')}</label>
                <select id="uacsta-log-level" value={diag.logLevel} onChange={(e) => put({ logLevel: e.target.value as typeof diag.logLevel })}>
                  {LOG_LEVELS.map((l) => (
                    <option key={l} value={l}>
                      {t(`levels.${l}`)}
                    </option>
                  ))}
                </select>
              </div>
              <NumberField label={t('sipServer.diagnostics.maxLogFileMb')} value={diag.maxLogFileMb} onChange={(v) => put({ maxLogFileMb: v ?? Number.NaN })} />
              <CheckField label={t('sipServer.diagnostics.deleteLogsDaily')} checked={diag.deleteLogsDaily} onChange={(deleteLogsDaily) => put({ deleteLogsDaily })} />
              <TextField label={t('sipServer.diagnostics.logDirectory')} value={diag.logDirectory} hint={t('sipServer.diagnostics.logDirectoryHint')} onChange={(logDirectory) => put({ logDirectory })} />
              <TextField
                label={t('sipServer.diagnostics.logMacs')}
                value={macs}
                problem={bad !== undefined ? t('sipServer.diagnostics.logMacsBad', { value: bad }) : undefined}
                onChange={(v) => {
                  setMacs(v);
                  const list = v.split(',').map((m) => m.trim()).filter(Boolean);
                  if (list.every((m) => MAC.test(macOf(m)))) put({ logMacs: list.map(macOf) });
                }}
              />
            </>
          );
        }}
      </SettingsForm>
      <section className="card" aria-label={t('sipServer.diagnostics.recent')}>
        <h2>{t('sipServer.diagnostics.recent')}</h2>
        {log.length === 0 ? (
          <p className="empty">{t('sipServer.diagnostics.noLog')}</p>
        ) : (
          <ul className="log-list">
            {log.map((e, i) => (
              <li key={i} className={`log-${e.level}`}>
                <time>{formatDateTime(e.time)}</time> <strong>{t(`levels.${e.level}`)}</strong> {logText.text(e)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
