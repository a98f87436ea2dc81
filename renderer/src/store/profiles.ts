import { create } from 'zustand';
import type { AccessProfile } from '../../../shared/families';
import type { Family } from '../../../shared/model/instance';
import { api } from '../api';

/** The access profiles the admin added per family (BroadWorks providers), for the forms' profile choice. */
export const useProfiles = create<{ added: Partial<Record<Family, AccessProfile[]>>; load(family: Family): Promise<void>; set(family: Family, added: AccessProfile[]): void }>((set, get) => ({
  added: {},
  async load(family) {
    const { added } = await api().call('profiles.list', { family });
    get().set(family, added);
  },
  set(family, added) {
    set({ added: { ...get().added, [family]: added } });
  },
}));
