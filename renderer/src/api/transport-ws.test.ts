import { describe, expect, it } from 'vitest';
import { apiUrl, takeToken } from './transport-ws';

/** A tab: its address (as replaceState leaves it) and its sessionStorage, which a reload keeps. */
function tab(address: string, storage: Map<string, string> | null = new Map()) {
  const url = new URL(address);
  const history = {
    state: { from: 'router' } as unknown,
    replaceState(state: unknown, _title: string, next?: string | URL | null) {
      this.state = state;
      const moved = new URL(String(next), url);
      url.search = moved.search;
      url.pathname = moved.pathname;
      url.hash = moved.hash;
    },
  };
  const session = storage && { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) };
  return { url, history, session, take: () => takeToken(url, history, session) };
}

describe('the console access token', () => {
  it('is moved out of the address after load, keeping the rest of the address and the history state', () => {
    const t = tab('http://127.0.0.1:4000/?lang=de&token=s3cr%2Bt#/instances/a');
    expect(t.take()).toBe('s3cr+t');
    expect(t.url.href).toBe('http://127.0.0.1:4000/?lang=de#/instances/a');
    expect(t.history.state).toEqual({ from: 'router' });
    expect(apiUrl(t.url, 's3cr+t')).toBe('ws://127.0.0.1:4000/api?token=s3cr%2Bt');
  });

  it('is found again after a reload of the same tab', () => {
    const storage = new Map<string, string>();
    expect(tab('http://127.0.0.1:4000/?token=abc', storage).take()).toBe('abc');
    const reloaded = tab('http://127.0.0.1:4000/', storage);
    expect(reloaded.take()).toBe('abc');
    expect(reloaded.url.href).toBe('http://127.0.0.1:4000/');
  });

  it('stays in the address when the tab has no usable sessionStorage, so a reload still works', () => {
    const t = tab('http://127.0.0.1:4000/?token=abc', null);
    expect(t.take()).toBe('abc');
    expect(t.url.search).toBe('?token=abc');
    const refusing = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    const url = new URL('http://127.0.0.1:4000/?token=abc');
    expect(takeToken(url, { state: null, replaceState: () => { throw new Error('must not move it'); } }, refusing)).toBe('abc');
  });

  it('is missing when neither the address nor the tab has one', () => {
    expect(tab('http://127.0.0.1:4000/').take()).toBeNull();
  });

  it('uses wss on an https page', () => {
    expect(apiUrl({ protocol: 'https:', host: 'pc.example:8443' }, 't')).toBe('wss://pc.example:8443/api?token=t');
  });
});
