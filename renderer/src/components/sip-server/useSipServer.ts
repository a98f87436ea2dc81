import { useCallback, useEffect, useState } from 'react';
import type { UacstaSettingsView, UacstaStatus } from '../../../../shared/api/uacsta';
import { api } from '../../api';

/** The server's settings (as the pages show them) and its live status, pushed by main on every change. */
export function useSipServer() {
  const [view, setView] = useState<UacstaSettingsView | null>(null);
  const [status, setStatus] = useState<UacstaStatus | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const reload = useCallback(async () => {
    try {
      const [v, s] = await Promise.all([api().call('uacsta.settings', {}), api().call('uacsta.status', {})]);
      setView(v);
      setStatus(s);
    } catch (e) {
      setLoadError(e);
    }
  }, []);
  useEffect(() => {
    void reload();
    return api().on('uacsta.status', (s) => {
      setStatus(s);
      // running or not decides what the settings pages allow
      setView((v) => (v && v.running !== s.running ? { ...v, running: s.running } : v));
    });
  }, [reload]);
  return { view, setView, status, setStatus, reload, loadError };
}
