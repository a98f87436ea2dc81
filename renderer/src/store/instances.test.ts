import { beforeEach, describe, expect, it, vi } from 'vitest';

// The store talks to main only through api(); here it answers instances.get from memory.
vi.mock('../api', () => ({
  api: () => ({
    call: async (method: string, input: { id?: string; instanceId?: string }) => {
      if (method === 'instances.get') return { id: input.id, name: input.id, notes: '' };
      throw new Error(`unexpected ${method}`);
    },
    on: () => () => undefined,
  }),
}));

const { allDrafts, hasUnsaved, useInstances } = await import('./instances');

describe('drafts per instance', () => {
  beforeEach(() => useInstances.setState({ selectedId: null, details: null, drafts: {}, kept: {}, states: {}, tab: 'connection' }));

  it('keeps an instance\'s unsaved edits while another is open and gives them back when it is opened again', async () => {
    const s = useInstances.getState();
    await s.select('a');
    useInstances.getState().setDraft('connection', { host: 'pbx-a' });
    await useInstances.getState().select('b');
    expect(useInstances.getState().drafts).toEqual({});
    expect(allDrafts(useInstances.getState())).toEqual({ a: { connection: { host: 'pbx-a' } } });
    expect(hasUnsaved(useInstances.getState())).toBe(true);
    await useInstances.getState().select('a');
    expect(useInstances.getState().drafts).toEqual({ connection: { host: 'pbx-a' } });
    useInstances.getState().discard('connection');
    expect(hasUnsaved(useInstances.getState())).toBe(false);
  });

  it('opens an instance whose driver runs on its Status page', async () => {
    useInstances.setState({ states: { run: 'connected', idle: 'stopped' } });
    await useInstances.getState().select('idle');
    expect(useInstances.getState().tab).toBe('connection');
    await useInstances.getState().select('run');
    expect(useInstances.getState().tab).toBe('status');
  });
});
