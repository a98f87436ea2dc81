import { create } from 'zustand';

export const VIEWS = ['instances', 'licences', 'multiplexer', 'sipServer', 'services', 'settings'] as const;
export type View = (typeof VIEWS)[number];

interface UiState {
  view: View;
  setView(view: View): void;
}

function viewFromHash(): View {
  const h = window.location.hash.replace(/^#\/?/, '');
  return (VIEWS as readonly string[]).includes(h) ? (h as View) : 'instances';
}

/** Which screen is shown; mirrored in the URL hash so reloads and links keep the place. */
export const useUi = create<UiState>((set) => ({
  view: viewFromHash(),
  setView(view) {
    if (window.location.hash !== `#/${view}`) window.history.replaceState(null, '', `#/${view}`);
    set({ view });
  },
}));
