import { useCallback, useState } from 'react';

/** Runs a user action and keeps its failure for an ErrorNote; resolves to whether it succeeded. */
export function useAttempt(): { error: unknown; attempt(action: () => Promise<unknown>): Promise<boolean>; clear(): void } {
  const [error, setError] = useState<unknown>(null);
  const attempt = useCallback(async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  }, []);
  return { error, attempt, clear: () => setError(null) };
}
