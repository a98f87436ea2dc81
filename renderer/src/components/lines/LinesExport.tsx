import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LINES_FORMATS, type LinesFormat } from '../../../../shared/api/lines-io';
import { api } from '../../api';
import { download } from '../../util/files';
import { ErrorNote } from '../ErrorNote';
import { useAttempt } from '../../util/useAttempt';

/** Export as a download in the chosen format. */
export function LinesExport({ instanceId }: { instanceId: string }) {
  const { t } = useTranslation();
  const [format, setFormat] = useState<LinesFormat>('csv');
  const [message, setMessage] = useState('');
  const { error, attempt } = useAttempt();
  return (
    <div className="lines-export">
      <label>
        <span>{t('lines.exportFormat')}</span>
        <select value={format} onChange={(e) => setFormat(e.target.value as LinesFormat)}>
          {LINES_FORMATS.map((f) => (
            <option key={f} value={f}>
              {t(`lines.formats.${f}`)}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="secondary"
        onClick={() =>
          attempt(async () => {
            const r = await api().call('lines.export', { instanceId, format });
            download(r.fileName, { base64: r.data ?? '' }, format === 'csv' ? 'text/csv' : 'text/plain');
            setMessage(t('lines.exported', { file: r.fileName, count: r.lineCount }));
          })
        }
      >
        {t('lines.export')}
      </button>
      <span role="status" className="hint">
        {message}
      </span>
      <ErrorNote error={error} />
    </div>
  );
}
