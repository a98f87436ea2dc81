import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LogSettings } from '../../../shared/api/app';
import { api } from '../api';
import { useLog } from '../store/log';
import { useSession } from '../store/session';
import { useAttempt } from '../util/useAttempt';
import { ErrorNote } from './ErrorNote';

/**
 * The folder of the daily log files: chosen by path (checked writable by main before it is used), back to the
 * default, and opened in the file manager by the desktop app; a browser shows the path to copy instead.
 */
export function LogFolder({ settings }: { settings: LogSettings | null }) {
  const { t } = useTranslation();
  const id = useId();
  const configure = useLog((s) => s.configure);
  const desktop = useSession((s) => s.info?.transport) === 'electron';
  const [path, setPath] = useState(settings?.directory ?? '');
  const [saved, setSaved] = useState('');
  const { error, attempt } = useAttempt();
  useEffect(() => setPath(settings?.directory ?? ''), [settings?.directory]);
  const change = (directory: string) =>
    attempt(async () => {
      setSaved('');
      await configure({ directory });
      setSaved(t('settings.logFolderSaved'));
    });
  return (
    <div className="field log-folder">
      <label htmlFor={id}>{t('settings.logDirectory')}</label>
      <input id={id} value={path} spellCheck={false} onChange={(e) => setPath(e.target.value)} />
      <div className="toolbar">
        <button type="button" className="secondary" disabled={!path.trim() || path.trim() === settings?.directory} onClick={() => void change(path.trim())}>
          {t('settings.logFolderUse')}
        </button>
        {settings && settings.directory !== settings.defaultDirectory && (
          <button type="button" className="secondary" onClick={() => void change('')}>
            {t('settings.logFolderDefault')}
          </button>
        )}
        {desktop ? (
          <button type="button" className="secondary" onClick={() => void attempt(() => api().call('log.openFolder', {}))}>
            {t('settings.logFolderOpen')}
          </button>
        ) : (
          <span className="hint">{t('settings.logFolderBrowser', { path: settings?.directory ?? '' })}</span>
        )}
      </div>
      <span role="status" className="hint">
        {saved}
      </span>
      <ErrorNote error={error} />
    </div>
  );
}
