import { afterEach, describe, expect, it } from 'vitest';
import { rawHttp as raw } from '../../web/testing';
import { startControlApi } from './control-api';
import { buildDevices } from './devices';
import { PanasonicPbx } from './pbx';

let close: (() => void) | undefined;
afterEach(() => close?.());

async function api() {
  const pbx = new PanasonicPbx(buildDevices({ extensions: '100-104', names: true }));
  const logged: string[] = [];
  const { server, url, port } = await startControlApi(pbx, '127.0.0.1', 0, { warn: (m) => logged.push(`warn ${m}`), error: (m) => logged.push(`error ${m}`) });
  close = () => server.close();
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as any };
  };
  return { pbx, call, url, port, logged };
}

describe('simulator control API', () => {
  it('places, answers, holds, retrieves and clears a call over HTTP', async () => {
    const { call } = await api();
    const placed = await call('POST', '/calls', { from: '100', to: '101' });
    expect(placed.status).toBe(200);
    const id = placed.json.callID;
    expect(placed.json.events.map((e: any) => e.name)).toEqual(['serviceInitiated', 'originated', 'delivered']);
    expect((await call('POST', `/calls/${id}/answer`, { device: '101' })).json.events[0].name).toBe('established');
    expect((await call('POST', `/calls/${id}/hold`, { device: '100' })).json.events[0].name).toBe('held');
    expect((await call('POST', `/calls/${id}/retrieve`, { device: '100' })).json.events[0].name).toBe('retrieved');
    expect((await call('GET', '/calls')).json.calls).toHaveLength(1);
    expect((await call('POST', `/calls/${id}/clear`, {})).status).toBe(200);
    expect((await call('GET', '/cdr')).json.records[0]).toMatchObject({ callingDevice: '100', answeredBy: '101' });
  });

  it('answers mistakes with a status and an error code', async () => {
    const { call, url } = await api();
    expect(await call('POST', '/calls', { from: '100' })).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT' } } });
    expect(await call('POST', '/calls/77/answer', {})).toMatchObject({ status: 404, json: { error: { code: 'invalidCall' } } });
    expect((await call('DELETE', '/calls')).status).toBe(405);
    expect((await call('GET', '/nothing')).status).toBe(404);
    const bad = await fetch(url + '/calls', { method: 'POST', body: '{oops' });
    expect(bad.status).toBe(400);
  });

  it('toggles faults and rejects unknown ones', async () => {
    const { call, pbx } = await api();
    expect((await call('POST', '/faults', { refuseLogin: true, answerDelayMs: 250 })).json).toMatchObject({ refuseLogin: true, answerDelayMs: 250 });
    expect(pbx.faults.refuseLogin).toBe(true);
    expect((await call('POST', '/faults', { explode: true })).status).toBe(400);
    expect((await call('POST', '/faults/drop-link')).json).toEqual({ dropped: false });
  });

  it('lists devices in pages and shows one device with its features', async () => {
    const { call } = await api();
    const page = await call('GET', '/devices?offset=1&limit=2');
    expect(page.json.total).toBe(5);
    expect(page.json.devices.map((d: any) => d.number)).toEqual(['101', '102']);
    await call('POST', '/devices/102/dnd', { on: true });
    await call('POST', '/devices/102/forwarding', { type: 'forwardBusy', on: true, to: '103' });
    expect((await call('GET', '/devices/102')).json).toMatchObject({ doNotDisturb: true, forwarding: [{ type: 'forwardBusy', to: '103' }] });
    expect((await call('GET', '/counters')).json).toMatchObject({ associations: { total: 0, active: 0 }, invokesReceived: {} });
  });

  it('lifts a handset: a call with dial tone at the device, refused for an unknown device', async () => {
    const { call } = await api();
    const { json } = await call('POST', '/devices/101/off-hook');
    expect((await call('GET', '/calls')).json.calls).toEqual([expect.objectContaining({ callID: json.callID, connections: [{ device: '101', state: 'initiated' }] })]);
    expect((await call('POST', '/devices/999/off-hook')).status).toBe(404);
  });

  it('answers 400 to a malformed percent-encoding or request line, logs it, and keeps serving', async () => {
    const { call, port, logged } = await api();
    expect(await call('GET', '/devices/%E0%A4%A')).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT', message: 'the path has a malformed percent-encoding' } } });
    expect(await raw(port, 'GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    expect(await raw(port, 'GET /status\x01 HTTP/1.1\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    expect(logged.some((l) => l.startsWith('warn malformed HTTP request from 127.0.0.1'))).toBe(true);
    expect((await call('GET', '/status')).json).toMatchObject({ devices: 5 });
  });
});
