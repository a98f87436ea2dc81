import { afterEach, describe, expect, it } from 'vitest';
import type { Services } from '../../app/services';
import { startPanasonicSim, type PanasonicSim } from '../../sim/panasonic';
import { apiHarness } from './api-harness';

let services: Services | undefined;
let sim: PanasonicSim | undefined;
afterEach(async () => {
  await services?.dispose();
  await sim?.close();
  services = undefined;
  sim = undefined;
});

describe('the console\'s own Panasonic instance through the console\'s own multiplexer', () => {
  for (const requireLogin of [false, true]) {
    it(`connects with both left at their defaults (applications ${requireLogin ? 'must' : 'need not'} log in), warning about the shipped login`, async () => {
      const h = apiHarness('lk-api-mux-instance-');
      services = h.services;
      sim = await startPanasonicSim({ port: 0, devices: { extensions: '100-102' } });
      const mux = await h.call('mux.start', { pbxHost: '127.0.0.1', pbxPort: sim.tcpPort, tcpPort: 0, requireLogin });
      const inst = await h.call('instances.create', { family: 'panasonic', name: 'Via the multiplexer' });
      await h.call('instances.update', { id: inst.id, patch: { connection: { mode: 'multiplexer', host: '127.0.0.1', port: mux.listening.tcpPort } } });
      await h.call('lines.add', { instanceId: inst.id, line: { number: '100', name: 'Desk' } });

      const test = await h.call('instances.testConnection', { instanceId: inst.id });
      expect(test).toMatchObject({ ok: true, error: null });
      expect(test.warnings.map((w: { code: string }) => w.code)).toContain('warnings.defaultLogin');
      const started = await h.call('driver.start', { instanceId: inst.id });
      expect(started).toMatchObject({ connection: { state: 'connected' } });
      await h.call('driver.stop', { instanceId: inst.id });
    });
  }
});
