import { useTranslation } from 'react-i18next';
import type { StoredCertificate } from '../../../../shared/api/services';
import { certificateText } from '../../util/files';

export type CertificateFiles = { cert?: string; key?: string };

/**
 * What is stored and the two file pickers of a service's TLS certificate. The console reads the picked files and
 * sends their contents; main never gets a path. `onReading` counts files still being read.
 */
export function CertificateFields({ id, stored, problems, certLabel, setFiles, onReading }: { id: string; stored?: StoredCertificate; problems: Record<string, string>; certLabel: string; setFiles(update: (cur: CertificateFiles) => CertificateFiles): void; onReading(delta: number): void }) {
  const { t } = useTranslation();
  return (
    <>
      <p className="hint" data-certificate={stored?.format ?? 'none'}>
        {!stored ? t('services.certNone') : stored.subject ? t('services.certStored', { subject: stored.subject, validTo: stored.validTo?.slice(0, 10) }) : t('services.certStoredPfx')}
      </p>
      {(['cert', 'key'] as const).map((key) => (
        <div className="field-row" key={key}>
          <label htmlFor={`${id}-${key}`}>{key === 'cert' ? certLabel : t('services.key')}</label>
          <input
            id={`${id}-${key}`}
            type="file"
            aria-invalid={problems[key] ? true : undefined}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (!file) return setFiles(({ [key]: _, ...rest }) => rest);
              onReading(1);
              void certificateText(file)
                .then((text) => setFiles((cur) => ({ ...cur, [key]: text })))
                .finally(() => onReading(-1));
            }}
          />
          {problems[key] && <span className="problem">{problems[key]}</span>}
        </div>
      ))}
    </>
  );
}
