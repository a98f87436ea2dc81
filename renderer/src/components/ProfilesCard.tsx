import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FAMILY_SPECS } from '../../../shared/families';
import { FAMILIES, type Family } from '../../../shared/model/instance';
import { api } from '../api';
import { useProfiles } from '../store/profiles';
import { download } from '../util/files';
import { useAttempt } from '../util/useAttempt';
import { ErrorNote } from './ErrorNote';

/** The access profiles of each family that has them (BroadWorks providers): built in, added, import and export. */
export function ProfilesCards() {
  return (
    <>
      {FAMILIES.filter((f) => FAMILY_SPECS[f].profiles).map((f) => (
        <ProfilesCard key={f} family={f} />
      ))}
    </>
  );
}

function ProfilesCard({ family }: { family: Family }) {
  const { t } = useTranslation();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const added = useProfiles((s) => s.added[family]) ?? [];
  const load = useProfiles((s) => s.load);
  const setAdded = useProfiles((s) => s.set);
  const [message, setMessage] = useState('');
  const { error, attempt } = useAttempt();
  const spec = FAMILY_SPECS[family].profiles!;
  useEffect(() => {
    void load(family).catch(() => undefined);
  }, [family, load]);

  const importFile = (file: File | undefined) =>
    attempt(async () => {
      if (!file) return;
      setMessage('');
      try {
        const r = await api().call('profiles.import', { family, fileName: file.name, text: await file.text() });
        setAdded(family, r.added);
        setMessage(t('profiles.imported', { fileName: file.name, count: r.imported.length, replaced: r.replaced.length }));
      } finally {
        if (input.current) input.current.value = '';
      }
    });

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('profiles.title', { family: t(`families.${family}`) })}</h2>
      <p className="hint">{t('profiles.hint')}</p>
      <table aria-label={t('profiles.table', { family: t(`families.${family}`) })}>
        <thead>
          <tr>
            <th>{t('profiles.name')}</th>
            <th>{t('profiles.id')}</th>
            <th>{t('profiles.settings')}</th>
            <th>{t('profiles.origin')}</th>
          </tr>
        </thead>
        <tbody>
          {[...spec.builtIn.map((p) => ({ p, builtIn: true })), ...added.map((p) => ({ p, builtIn: false }))].map(({ p, builtIn }) => (
            <tr key={p.id}>
              <td>{p.label}</td>
              <td>
                <code>{p.id}</code>
              </td>
              <td>{Object.values(p.fields).filter((v) => v !== '').join(' · ')}</td>
              <td>{builtIn ? t('profiles.builtIn') : t('profiles.added')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="toolbar">
        <label htmlFor={`${id}-import`} className="file-button secondary">
          {t('profiles.import')}
        </label>
        <input id={`${id}-import`} ref={input} type="file" accept=".csv,.txt,text/csv,text/plain" className="visually-hidden-file" onChange={(e) => void importFile(e.target.files?.[0])} />
        <button
          type="button"
          className="secondary"
          onClick={() =>
            attempt(async () => {
              const r = await api().call('profiles.export', { family });
              download(r.fileName, { text: r.text });
            })
          }
        >
          {t('profiles.export')}
        </button>
        <span role="status" className="hint">
          {message}
        </span>
      </div>
      <ErrorNote error={error} />
    </section>
  );
}
