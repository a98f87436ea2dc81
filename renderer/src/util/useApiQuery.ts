import { useEffect, useState } from 'react';

/**
 * Runs an API call whenever `key` changes and keeps the latest answer; an answer to an older key is dropped,
 * so a slow reply can never overwrite a newer one while the admin types.
 */
export function useApiQuery<T>(key: string, run: () => Promise<T>, enabled = true): { data: T | null; error: unknown } {
  const [state, setState] = useState<{ data: T | null; error: unknown }>({ data: null, error: null });
  useEffect(() => {
    if (!enabled) return;
    let current = true;
    run().then(
      (data) => current && setState({ data, error: null }),
      (error: unknown) => current && setState({ data: null, error }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, enabled]);
  return state;
}
