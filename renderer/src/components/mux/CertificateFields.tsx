import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { certificateText } from '../../util/files';

export interface CertificateValue {
  cert?: string;
  key?: string;
  passphrase?: string;
}

/**
 * Certificate and key for the TLS port: a file picked (the system's file dialog in Electron, the browser's own in
 * a browser) or PEM text pasted. The console reads the file; main gets the contents, never a path.
 */
export function CertificateFields({ value, problems, onChange, onReading }: { value: CertificateValue; problems: Record<string, string>; onChange(v: CertificateValue): void; onReading(delta: number): void }) {
  const { t } = useTranslation();
  const id = useId();
  const pfx = value.cert !== undefined && !value.cert.includes('-----BEGIN');
  const set = (k: keyof CertificateValue, text: string) => {
    const { [k]: _, ...rest } = value;
    onChange(text === '' ? rest : { ...rest, [k]: text });
  };
  return (
    <>
      {(['cert', 'key'] as const).map((k) => (
        <div className="field-row" key={k}>
          <label htmlFor={`${id}-${k}`}>{t(`mux.${k}File`)}</label>
          <input
            id={`${id}-${k}`}
            type="file"
            aria-invalid={problems[k] ? true : undefined}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              onReading(1);
              void certificateText(file)
                .then((text) => set(k, text))
                .finally(() => onReading(-1));
            }}
          />
          <label htmlFor={`${id}-${k}-pem`} className="hint">
            {t(`mux.${k}Pem`)}
          </label>
          <textarea id={`${id}-${k}-pem`} rows={2} spellCheck={false} value={value[k]?.includes('-----BEGIN') ? value[k] : ''} placeholder="-----BEGIN …" onChange={(e) => set(k, e.target.value)} />
          <span className={problems[k] ? 'problem' : 'hint'}>{problems[k] ?? (value[k] === undefined ? t('mux.certMissing') : k === 'cert' && pfx ? t('mux.pfxLoaded') : t('mux.pemLoaded', { count: value[k]!.length }))}</span>
        </div>
      ))}
      {pfx && (
        <div className="field-row">
          <label htmlFor={`${id}-pass`}>{t('mux.passphrase')}</label>
          <input id={`${id}-pass`} type="password" autoComplete="off" value={value.passphrase ?? ''} onChange={(e) => set('passphrase', e.target.value)} />
        </div>
      )}
    </>
  );
}
