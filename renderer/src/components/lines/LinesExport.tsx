import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LINES_FORMATS, type LinesFormat } from '../../../../shared/api/lines-io';
import { api } from '../../api';
import { download } from '../../util/files';
import { ErrorNote } from '../ErrorNote';
import { useAttempt } from '../../util/useAttempt';

type Phase = 'idle' | 'exporting' | 'preparing';

/** Export as a download in the chosen format (main returns the bytes; the browser or Electron asks where to save), with a busy state and a Cancel. */
export function LinesExport({ instanceId, lineCount }: { instanceId: string; lineCount: number }) {
  const { t } = useTranslation();
  const [format, setFormat] = useState<LinesFormat>('csv');
  const [message, setMessage] = useState('');
  const [phase, setPhase] = useState<Phase>('idle');
  // Each export gets a number; Cancel moves the number on, so the answer of the cancelled run is dropped.
  const run = useRef(0);
  const { error, attempt, clear } = useAttempt();
  const busy = phase !== 'idle';

  const start = () =>
    attempt(async () => {
      const mine = ++run.current;
      setMessage('');
      setPhase('exporting');
      try {
        // `lines.export` has no cancel method and one call builds the whole file in main, so it cannot be
        // aborted there; Cancel stops it for the user: the answer is discarded and nothing is downloaded.
        const r = await api().call('lines.export', { instanceId, format });
        if (run.current !== mine) return;
        setPhase('preparing');
        // Let the "preparing" state paint before decoding a large file.
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (run.current !== mine) return;
        download(r.fileName, { base64: r.data }, format === 'csv' ? 'text/csv' : 'text/plain');
        setMessage(t('lines.exported', { file: r.fileName, count: r.lineCount }));
      } catch (e) {
        if (run.current === mine) throw e;
      } finally {
        if (run.current === mine) setPhase('idle');
      }
    });

  const cancel = () => {
    run.current++;
    setPhase('idle');
    clear();
    setMessage(t('lines.exportCancelled'));
  };

  return (
    <div className="lines-export" aria-busy={busy || undefined}>
      <label>
        <span>{t('lines.exportFormat')}</span>
        <select value={format} disabled={busy} onChange={(e) => setFormat(e.target.value as LinesFormat)}>
          {LINES_FORMATS.map((f) => (
            <option key={f} value={f}>
              {t(`lines.formats.${f}`)}
            </option>
          ))}
        </select>
      </label>
      {busy ? (
        <>
          <progress aria-label={t('lines.exportProgress')} />
          <button type="button" className="secondary" onClick={cancel}>
            {t('lines.exportCancel')}
          </button>
        </>
      ) : (
        <button type="button" className="secondary" onClick={start}>
          {t('lines.export')}
        </button>
      )}
      <span role="status" className="hint">
        {phase === 'exporting' ? t('lines.exporting', { count: lineCount }) : phase === 'preparing' ? t('lines.exportPreparing') : message}
      </span>
      <ErrorNote error={error} />
    </div>
  );
}
