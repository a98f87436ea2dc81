import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DiscoverProgress, DiscoveryPreview } from '../../../../shared/api/drivers';
import { api } from '../../api';
import { formatNumber } from '../../i18n';
import { useAttempt } from '../../util/useAttempt';
import { ErrorNote } from '../ErrorNote';
import { useProblemText } from '../../i18n/useProblemText';

function newRequestId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `r${Date.now()}${Math.random().toString(16).slice(2)}`;
}

/** Reads the lines from the PBX with progress and cancel, previews added/removed/renamed/SIP-filtered, then applies. */
export function DiscoverLines({ instanceId, onApplied, showResult = true }: { instanceId: string; onApplied(lineCount: number): void; showResult?: boolean }) {
  const { t } = useTranslation();
  const say = useProblemText();
  const id = useId();
  const [requestId, setRequestId] = useState<string | null>(null);
  const [progress, setProgress] = useState<DiscoverProgress | null>(null);
  const [preview, setPreview] = useState<DiscoveryPreview | null>(null);
  const [done, setDone] = useState('');
  const [keepUnlisted, setKeepUnlisted] = useState(false);
  const [keepNames, setKeepNames] = useState(false);
  const [asking, setAsking] = useState(false);
  const [backupFile, setBackupFile] = useState<string | null>(null);
  const [undoable, setUndoable] = useState(false);
  const { error, attempt, clear } = useAttempt();
  const current = useRef<string | null>(null);

  useEffect(() => api().on('lines.discoverProgress', (p) => p.requestId === current.current && setProgress(p)), []);

  async function start() {
    const rid = newRequestId();
    current.current = rid;
    setRequestId(rid);
    setPreview(null);
    setProgress(null);
    setDone('');
    setAsking(false);
    setUndoable(false);
    await attempt(async () => {
      try {
        const p = await api().call('lines.discover', { instanceId, requestId: rid });
        if (current.current === rid) setPreview(p);
      } catch (e) {
        // Cancelled by the admin (or replaced by a newer query): that is no failure to report.
        if (current.current !== rid) return;
        throw e;
      }
    });
    if (current.current === rid) setRequestId(null);
  }

  async function cancel() {
    const rid = current.current;
    current.current = null;
    setRequestId(null);
    setProgress(null);
    clear();
    if (rid) await api().call('lines.discoverCancel', { requestId: rid }).catch(() => undefined);
  }

  // What the apply would lose with the choices made: lines removed, names the lines have now overwritten.
  const removing = preview ? preview.removed.length - (keepUnlisted ? preview.unlisted : 0) : 0;
  const overwriting = preview ? preview.renamed.filter((r) => r.from !== '' && !keepNames).length : 0;

  function apply(p: DiscoveryPreview) {
    return attempt(async () => {
      const r = await api().call('lines.applyDiscovery', { instanceId, requestId: p.requestId, keepUnlisted, keepNames });
      setPreview(null);
      setAsking(false);
      setBackupFile(r.backupFile);
      setUndoable(true);
      setDone(t('lines.imported', { count: r.lineCount }));
      onApplied(r.lineCount);
    });
  }

  function undo() {
    return attempt(async () => {
      const r = await api().call('lines.undoApply', { instanceId });
      setUndoable(false);
      setDone(t('discover.undone', { count: r.lineCount, n: formatNumber(r.lineCount) }));
      onApplied(r.lineCount);
    });
  }

  return (
    <div className="discover">
      <button type="button" className="secondary" disabled={Boolean(requestId)} onClick={() => void start()}>
        {t('discover.start')}
      </button>
      {requestId && (
        <div role="status" className="discover-progress">
          <progress aria-label={t('discover.progress')} max={progress?.total || undefined} value={progress?.total ? progress.probed : undefined} />{' '}
          {progress ? t(`discover.phases.${progress.phase}`, { found: formatNumber(progress.found), probed: formatNumber(progress.probed), total: formatNumber(progress.total) }) : t('common.loading')}
          <button type="button" className="link" onClick={() => void cancel()}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      {done && showResult && (
        <p role="status" className="hint ok">
          {done}
          {undoable && backupFile && <> {t('discover.backupKept', { file: backupFile })}</>}
          {undoable && (
            <>
              {' '}
              <button type="button" className="link" onClick={() => void undo()}>
                {t('discover.undo')}
              </button>
            </>
          )}
        </p>
      )}
      <ErrorNote error={error} />
      {preview && (
        <section className="card" aria-labelledby={`${id}-title`}>
          <h3 id={`${id}-title`}>{t('discover.previewTitle')}</h3>
          <p>
            {t('discover.summary', {
              discovered: formatNumber(preview.discovered),
              added: formatNumber(preview.added.length),
              removed: formatNumber(preview.removed.length),
              renamed: formatNumber(preview.renamed.length),
              unchanged: formatNumber(preview.unchanged),
              filtered: formatNumber(preview.filtered.length),
            })}
          </p>
          {preview.warnings.map((w) => (
            <p key={w.message} className="hint warn">
              {say(w)}
            </p>
          ))}
          {preview.outOfRange > 0 && (
            <>
              <p className="hint warn">{t('discover.outside', { count: preview.outOfRange, n: formatNumber(preview.outOfRange) })}</p>
              <ul aria-label={t('discover.outsideList')} className="preview-list">
                {preview.outside.slice(0, 100).map((d) => (
                  <li key={`o${d.number}`}>
                    {d.number} {d.name}
                  </li>
                ))}
                {preview.outOfRange > Math.min(100, preview.outside.length) && <li>{t('discover.more', { n: formatNumber(preview.outOfRange - Math.min(100, preview.outside.length)) })}</li>}
              </ul>
            </>
          )}
          {preview.filtered.length > 0 && (
            <ul aria-label={t('discover.filteredList')} className="preview-list">
              {preview.filtered.map((f) => (
                <li key={f.line.number}>
                  <span className="badge warn">{t('discover.sip')}</span> {f.line.number} {f.line.name} — {t('discover.byRule', { rule: f.rule, pattern: f.pattern })}
                </li>
              ))}
            </ul>
          )}
          <ul aria-label={t('discover.addedList')} className="preview-list">
            {preview.added.slice(0, 100).map((l) => (
              <li key={l.number}>
                <span className="badge ok">{t('lines.added')}</span> {l.number} {l.name}
              </li>
            ))}
            {preview.removed.slice(0, 100).map((l) => (
              <li key={`r${l.number}`}>
                <span className="badge bad">{t('discover.removed')}</span> {l.number} {l.name}
              </li>
            ))}
          </ul>
          {(preview.unlisted > 0 || preview.renamed.some((r) => r.from !== '')) && (
            <fieldset className="choices">
              <legend>{t('discover.choices')}</legend>
              {preview.unlisted > 0 && (
                <label>
                  <input type="checkbox" checked={keepUnlisted} onChange={(e) => setKeepUnlisted(e.target.checked)} /> {t('discover.keepUnlisted', { count: preview.unlisted, n: formatNumber(preview.unlisted) })}
                </label>
              )}
              {preview.renamed.some((r) => r.from !== '') && (
                <label>
                  <input type="checkbox" checked={keepNames} onChange={(e) => setKeepNames(e.target.checked)} /> {t('discover.keepNames')}
                </label>
              )}
            </fieldset>
          )}
          {asking ? (
            <div role="alertdialog" aria-labelledby={`${id}-ask`} className="confirm">
              <p id={`${id}-ask`}>
                {t('discover.confirm', {
                  removing: t('discover.removing', { count: removing, n: formatNumber(removing) }),
                  overwriting: t('discover.overwriting', { count: overwriting, n: formatNumber(overwriting) }),
                })}
              </p>
              <div className="save-bar">
                <button type="button" className="danger" onClick={() => void apply(preview)}>
                  {t('discover.confirmApply')}
                </button>
                <button type="button" className="secondary" onClick={() => setAsking(false)}>
                  {t('discover.goBack')}
                </button>
              </div>
            </div>
          ) : (
            <div className="save-bar">
              <button type="button" onClick={() => (removing > 0 || overwriting > 0 ? setAsking(true) : void apply(preview))}>
                {t('discover.apply')}
              </button>
              <button type="button" className="secondary" onClick={() => setPreview(null)}>
                {t('common.cancel')}
              </button>
            </div>
          )}
        </section>
      )}
    </div>
  );
}
