import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { methodNames } from '../shared/api/contract';
import { createClient } from '../shared/api/client';
import type { PreloadBridge } from '../shared/api/bridge';
import { createApi } from '../main/api';
import { createServices } from '../main/app/services';
import { forwardEvents, registerIpcHandlers } from '../main/electron/ipc';
import { createElectronTransport } from '../renderer/src/api/transport-electron';

// A stand-in for Electron's IPC: what the preload invokes lands in what main registered, with a sender frame.
const ipc = vi.hoisted(() => {
  const handlers = new Map<string, (e: unknown, input: unknown) => unknown>();
  const rendererListeners = new Map<string, Set<(e: unknown, msg: unknown) => void>>();
  const exposed: Record<string, unknown> = {};
  const frame = { url: 'app://console/index.html', parent: null as unknown };
  return { handlers, rendererListeners, exposed, frame };
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (ipc.exposed[key] = value) },
  ipcRenderer: {
    invoke: async (channel: string, input: unknown) => {
      const h = ipc.handlers.get(channel);
      if (!h) throw new Error(`No handler registered for '${channel}'`);
      return h({ senderFrame: ipc.frame }, input);
    },
    on: (channel: string, l: (e: unknown, msg: unknown) => void) => {
      if (!ipc.rendererListeners.has(channel)) ipc.rendererListeners.set(channel, new Set());
      ipc.rendererListeners.get(channel)!.add(l);
    },
    removeListener: (channel: string, l: (e: unknown, msg: unknown) => void) => ipc.rendererListeners.get(channel)?.delete(l),
  },
}));

const dataDir = mkdtempSync(join(tmpdir(), 'lk-electron-'));
const services = createServices({ dataDir, transport: 'electron' });
registerIpcHandlers({ handle: (channel: string, fn: never) => ipc.handlers.set(channel, fn) } as never, createApi(services));
const webContents = {
  isDestroyed: () => false,
  send: (channel: string, msg: unknown) => ipc.rendererListeners.get(channel)?.forEach((l) => l({ sender: 'hidden' }, msg)),
};
forwardEvents(services.bus, () => webContents as never);
await import('../main/electron/preload');
const bridge = ipc.exposed.linekeeper as PreloadBridge;

afterAll(async () => {
  await services.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Electron adapter', () => {
  it('the preload exposes exactly one function per contract method and no generic invoke', () => {
    expect(Object.keys(ipc.exposed)).toEqual(['linekeeper']);
    expect(Object.keys(bridge).sort()).toEqual(['api', 'on']);
    expect(Object.keys(bridge.api).sort()).toEqual([...methodNames].sort());
    for (const m of methodNames) expect(typeof bridge.api[m]).toBe('function');
    expect(Object.isFrozen(bridge.api)).toBe(true);
  });

  it('main registers one handler per contract method', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual([...methodNames].sort());
  });

  it('every method travels preload → main → handlers and answers in the envelope', async () => {
    for (const m of methodNames) {
      const reply = (await bridge.api[m]('\u0000 not an input object')) as { ok: boolean; error?: { code: string } };
      // Every method's schema refuses this probe: proof the call got through main's validation for that method.
      expect(reply.ok, m).toBe(false);
      expect(reply.error?.code, m).toBe('INVALID_INPUT');
    }
    const client = createClient(createElectronTransport(bridge));
    expect(await client.call('app.info', {})).toMatchObject({ product: 'Linekeeper', transport: 'electron', dataDir });
  });

  it('events reach the page without the IPC event object', async () => {
    const got = new Promise<unknown[]>((resolve) => bridge.on('log.entry', (...args) => resolve(args)));
    services.logger.log('warn', 'test', 'hello from main');
    const args = await got;
    expect(args).toHaveLength(1);
    expect(args[0]).toMatchObject({ level: 'warn', source: 'test', message: 'hello from main' });
    expect(() => bridge.on('no.such.event' as never, () => undefined)).toThrow(/unknown event/);
  });

  it('calls from a foreign origin or a subframe are refused', async () => {
    ipc.frame.url = 'https://evil.example/';
    expect(await bridge.api['app.info']({})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    ipc.frame.url = 'app://console/index.html';
    ipc.frame.parent = {};
    expect(await bridge.api['app.info']({})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    ipc.frame.parent = null;
    expect(await bridge.api['app.info']({})).toMatchObject({ ok: true });
  });
});
