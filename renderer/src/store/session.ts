import { create } from 'zustand';
import type { AppInfo } from '../../../shared/api/app';
import { connectApi } from '../api';

type Phase = 'connecting' | 'ready' | 'missing-token' | 'failed';

interface SessionState {
  phase: Phase;
  info: AppInfo | null;
  connect(): Promise<void>;
}

/** The connection to main: set up once; views render only when it is ready. */
export const useSession = create<SessionState>((set, get) => ({
  phase: 'connecting',
  info: null,
  async connect() {
    if (get().info) return;
    try {
      const client = await connectApi();
      const info = await client.call('app.info', {});
      set({ phase: 'ready', info });
    } catch (e) {
      set({ phase: (e as Error).message === 'missing-token' ? 'missing-token' : 'failed' });
    }
  },
}));
