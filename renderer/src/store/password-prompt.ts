import { create } from 'zustand';

/** Which instances' password prompts the admin put off ("Later"); the Status page can ask again. */
export const usePasswordPrompt = create<{ dismissed: Record<string, boolean>; dismiss(id: string, on: boolean): void }>((set, get) => ({
  dismissed: {},
  dismiss(id, on) {
    set({ dismissed: { ...get().dismissed, [id]: on } });
  },
}));
