import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemText } from '../../i18n/useProblemText';
import { LINES_IMPORT_MAX_BYTES, type LinesImportPreview } from '../../../../shared/api/lines-io';
import { ApiFailure } from '../../../../shared/api/errors';
import { linesRowProblem } from '../../i18n/problems';
import { api } from '../../api';
import { fileToBase64 } from '../../util/files';
import { formatNumber } from '../../i18n';
import { ErrorNote } from '../ErrorNote';

/**
 * Import with the file picker (the browser's, or Electron's own dialog): the console reads the chosen file and
 * sends its bytes, so main never opens a path the page names. Preview of added/changed/unchanged and errors
 * by file line, then apply.
 */
export function LinesImport({ instanceId, onImported, showResult = true }: { instanceId: string; onImported(): void; showResult?: boolean }) {
  const { t } = useTranslation();
  const say = useProblemText();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<{ name: string; data: string } | null>(null);
  const [preview, setPreview] = useState<LinesImportPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  // A newer pick or Cancel makes an answer still on its way stale.
  const generation = useRef(0);

  function reset() {
    generation.current++;
    setFile(null);
    setPreview(null);
    setBusy(false);
    if (input.current) input.current.value = '';
  }

  async function pick(f: File | undefined) {
    if (!f) return;
    const gen = ++generation.current;
    setError(null);
    setDone('');
    // Refused by its size before a byte is read; main checks the same limit.
    if (f.size > LINES_IMPORT_MAX_BYTES) {
      setError(new ApiFailure('LINES_FILE_TOO_LARGE', `${f.name}: ${f.size} bytes, at most ${LINES_IMPORT_MAX_BYTES}`, { size: f.size, limit: LINES_IMPORT_MAX_BYTES, limitMB: LINES_IMPORT_MAX_BYTES / 1024 / 1024 }));
      if (input.current) input.current.value = '';
      return;
    }
    setBusy(true);
    try {
      const data = await fileToBase64(f);
      const p = await api().call('lines.importPreview', { instanceId, data, fileName: f.name });
      if (gen !== generation.current) return;
      setFile({ name: f.name, data });
      setPreview(p);
    } catch (e) {
      if (gen === generation.current) setError(e);
    } finally {
      if (gen === generation.current) setBusy(false);
    }
  }

  async function apply(skipBad: boolean) {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api().call('lines.importApply', { instanceId, data: file.data, fileName: file.name, skipBad });
      setDone(r.applied ? t('lines.imported', { count: r.lineCount }) : t('lines.nothingToDo'));
      reset();
      onImported();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <div className="lines-import">
      <label htmlFor={id} className="file-button secondary">
        {t('lines.import')}
      </label>
      <input id={id} ref={input} type="file" accept=".csv,.txt,text/csv,text/plain" className="visually-hidden-file" onChange={(e) => void pick(e.target.files?.[0])} />
      {busy && (
        <span role="status" className="hint">
          <progress aria-label={t('common.loading')} /> {t('common.loading')}
          <button type="button" className="link" onClick={reset}>
            {t('common.cancel')}
          </button>
        </span>
      )}
      {done && showResult && (
        <span role="status" className="hint ok">
          {done}
        </span>
      )}
      <ErrorNote error={error} />
      {preview && file && (
        <section className="card import-preview" aria-labelledby={`${id}-title`}>
          <h3 id={`${id}-title`}>{t('lines.previewTitle', { file: file.name })}</h3>
          <p>
            {t('lines.previewSummary', {
              added: formatNumber(preview.counts.added),
              changed: formatNumber(preview.counts.changed),
              unchanged: formatNumber(preview.counts.unchanged),
              errors: formatNumber(preview.counts.errors),
            })}
          </p>
          <p className="hint">{t('lines.encoding', { encoding: preview.encoding, format: preview.format })}</p>
          {preview.errors.length > 0 && (
            <ul className="problems" aria-label={t('errors.generic')}>
              {preview.errors.slice(0, 200).map((e, i) => (
                <li key={i} className="problem">
                  {t('lines.errorAt', { line: e.line, message: say(linesRowProblem(e)) })}
                </li>
              ))}
            </ul>
          )}
          {preview.warnings.slice(0, 50).map((w, i) => (
            <p key={i} className="hint warn">
              {t('lines.warningAt', { line: w.line, message: say(linesRowProblem(w)) })}
            </p>
          ))}
          <ul className="preview-list">
            {preview.added.slice(0, 50).map((a) => (
              <li key={`a${a.line}`}>
                <span className="badge ok">{t('lines.added')}</span> {a.after.number} {a.after.name}
              </li>
            ))}
            {preview.changed.slice(0, 50).map((c) => (
              <li key={`c${c.line}`}>
                <span className="badge warn">{t('lines.changed')}</span> {c.after.number}: {c.before.name} → {c.after.name}
              </li>
            ))}
          </ul>
          <div className="save-bar">
            {preview.counts.errors === 0 ? (
              <button type="button" disabled={busy} onClick={() => void apply(false)}>
                {t('lines.apply')}
              </button>
            ) : (
              <button type="button" disabled={busy} onClick={() => void apply(true)}>
                {t('lines.applySkip')}
              </button>
            )}
            <button type="button" className="secondary" onClick={reset}>
              {t('common.cancel')}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
