import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApi } from '../main/api';
import { createServices } from '../main/app/services';
import { startDemoWithLines } from '../main/engine/demo/first-start';
import { TRIAL_LINES } from '../main/engine/licences/trial';
import { demoFamilies, DRIVER_REGISTRY } from '../main/drivers/registry';
import { FAMILY_SPECS } from '../shared/families';
import { FAMILIES } from '../shared/model/instance';

const dataDir = mkdtempSync(join(tmpdir(), 'lk-demo-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function call(dispatch: ReturnType<typeof createApi>, method: string, input: unknown = {}) {
  const reply = await dispatch(method, input);
  if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
  return reply.result as Record<string, unknown>;
}

function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

describe('the built-in demo PBX', () => {
  it('starts a simulator on loopback and a "Demo PBX" instance that points at it, and follows its port across restarts', async () => {
    const first = createServices({ dataDir, transport: 'websocket' });
    const api1 = createApi(first);
    expect(await call(api1, 'demo.status')).toEqual({ running: false });
    const info = await call(api1, 'demo.start');
    expect(info).toMatchObject({ running: true, host: '127.0.0.1', devices: 49 });
    expect(await tcpAccepts(info.port as number)).toBe(true);
    expect(await call(api1, 'demo.start')).toEqual(info);
    const inst = await first.instances.get(info.instanceId as string);
    expect(inst).toMatchObject({ family: 'panasonic', name: 'Demo PBX', connection: { host: '127.0.0.1', port: info.port } });
    expect((await call(api1, 'demo.placeCall', { from: '100', to: '101' })).callId).toEqual(expect.any(String));
    await first.dispose();
    expect(await tcpAccepts(info.port as number)).toBe(false);

    const second = createServices({ dataDir, transport: 'websocket' });
    const again = await call(createApi(second), 'demo.start');
    expect(again.instanceId).toBe(info.instanceId);
    const moved = await second.instances.get(again.instanceId as string);
    expect(moved.connection).toMatchObject({ port: again.port });
    expect((await second.instances.list()).filter((i) => i.name === 'Demo PBX')).toHaveLength(1);
    await second.dispose();
  });

  it('trying the demo again while it runs uses its instance, even renamed, and creates no second one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-demo-again-'));
    const s = createServices({ dataDir: dir, transport: 'websocket' });
    try {
      const api = createApi(s);
      const first = await call(api, 'demo.start');
      await call(api, 'instances.update', { id: first.instanceId, patch: { name: 'My demo' } });
      const again = await call(api, 'demo.start');
      expect(again.instanceId).toBe(first.instanceId);
      expect((await s.instances.list()).map((i) => i.name)).toEqual(['My demo']);
    } finally {
      await s.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a demo call while the demo PBX is stopped, saying so', async () => {
    const s = createServices({ dataDir, transport: 'websocket' });
    const reply = await createApi(s)('demo.placeCall', { from: '100', to: '101' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'DEMO_NOT_RUNNING' } });
    await s.dispose();
  });

  it('on its first start the demo instance gets the demo PBX\'s lines; later starts keep the list as the user left it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-demo-lines-'));
    const s = createServices({ dataDir: dir, transport: 'websocket' });
    const first = await startDemoWithLines(s);
    expect(first.linesRead).toBe(24);
    const lines = (await s.instances.get(first.instanceId)).lines;
    expect(lines.map((l) => l.number)).toContain('100');
    expect(lines.map((l) => l.number)).not.toContain('200'); // the demo's SIP phones lie outside its extension ranges
    await s.instances.updateLines(first.instanceId, (ls) => ls.filter((l) => l.number !== '100'));
    await s.demo.stop();
    const again = await startDemoWithLines(s);
    expect(again.linesRead).toBe(0);
    expect((await s.instances.get(first.instanceId)).lines).toHaveLength(23);
    await s.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts running within the trial: every line of the demo instance opens with a licence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-demo-trial-'));
    const s = createServices({ dataDir: dir, transport: 'websocket' });
    try {
      const demo = await startDemoWithLines(s);
      expect(demo.linesRead).toBeLessThanOrEqual(TRIAL_LINES);
      expect(demo.driverStarted).toBe(true);
      let status = await s.drivers.status(demo.instanceId);
      for (let i = 0; i < 250 && status.lines.open < status.lines.total; i++) {
        await new Promise((r) => setTimeout(r, 40));
        status = await s.drivers.status(demo.instanceId);
      }
      expect(status.lines).toEqual({ total: demo.linesRead, open: demo.linesRead, retrying: 0, noLicence: 0 });
    } finally {
      await s.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is not started when its lines need more licences than are free (widened ranges): exhaustion is not the first sight', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-demo-over-'));
    const s = createServices({ dataDir: dir, transport: 'websocket' });
    try {
      const info = await s.demo.start();
      const many = Array.from({ length: TRIAL_LINES + 1 }, (_, i) => ({ number: String(1000 + i), name: `Line ${i}` }));
      await s.instances.updateLines(info.instanceId, () => many);
      const demo = await startDemoWithLines(s);
      expect(demo.driverStarted).toBe(false);
      expect((await s.drivers.status(demo.instanceId)).running).toBe(false);
    } finally {
      await s.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the demo BroadWorks platform beside the demo PBX', () => {
  it('starts its own simulator and "Demo BroadWorks" instance (server mode over the CTI socket), which finds its group and sees a demo call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-demo-bw-'));
    const s = createServices({ dataDir: dir, transport: 'websocket' });
    const api = createApi(s);
    const events: Array<{ event: string; line: string; instanceId: string }> = [];
    s.bus.on('line.event', (e) => events.push(e as (typeof events)[number]));
    try {
      const pbx = await call(api, 'demo.start');
      const bw = await call(api, 'demo.start', { family: 'broadworks' });
      expect(bw).toMatchObject({ running: true, family: 'broadworks', host: '127.0.0.1', devices: 20 });
      expect(bw.instanceId).not.toBe(pbx.instanceId);
      expect(await call(api, 'demo.status', { family: 'broadworks' })).toEqual(bw);
      expect((await call(api, 'demo.status')).family).toBe('panasonic');
      const inst = await s.instances.get(bw.instanceId as string);
      expect(inst).toMatchObject({ family: 'broadworks', name: 'Demo BroadWorks', connection: { mode: 'server', connectionType: 'cti', port: bw.port } });

      const tested = await call(api, 'instances.testConnection', { instanceId: bw.instanceId });
      expect(tested).toMatchObject({ ok: true });
      expect(tested.reply).toContain('CTI at cti://127.0.0.1');
      const preview = await call(api, 'lines.discover', { instanceId: bw.instanceId, requestId: 'bw-demo' });
      expect(preview.added).toHaveLength(20);
      await call(api, 'lines.applyDiscovery', { instanceId: bw.instanceId, requestId: 'bw-demo' });
      await call(api, 'driver.start', { instanceId: bw.instanceId });
      for (let i = 0; i < 200 && (await s.drivers.status(bw.instanceId as string)).lines.open < 20; i++) await new Promise((r) => setTimeout(r, 40));
      expect((await s.drivers.status(bw.instanceId as string)).lines.open).toBe(20);
      expect((await call(api, 'demo.placeCall', { from: '0301234', to: '2003', family: 'broadworks' })).callId).toEqual(expect.any(String));
      for (let i = 0; i < 100 && !events.some((e) => e.event === 'delivered'); i++) await new Promise((r) => setTimeout(r, 40));
      expect(events.find((e) => e.event === 'delivered')).toMatchObject({ instanceId: bw.instanceId, line: '2003@sim.test' });

      expect(await createApi(s)('demo.start', { family: 'sip-phones' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      // Stopping without a family stops both.
      await call(api, 'driver.stop', { instanceId: bw.instanceId });
      await call(api, 'demo.stop');
      expect(await call(api, 'demo.status', { family: 'broadworks' })).toEqual({ running: false });
      expect(await call(api, 'demo.status')).toEqual({ running: false });
    } finally {
      await s.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('demo instances by name', () => {
  it("leaves another family's instance that carries the demo's name alone and makes its own", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lk-demo-name-'));
    const s = createServices({ dataDir: dir, transport: 'websocket' });
    try {
      const api = createApi(s);
      const mine = await call(api, 'instances.create', { family: 'panasonic', name: 'Demo BroadWorks' });
      const bw = await call(api, 'demo.start', { family: 'broadworks' });
      expect(bw.instanceId).not.toBe(mine.id);
      expect((await s.instances.get(bw.instanceId as string)).name).toBe('Demo BroadWorks (broadworks)');
      expect((await s.instances.get(mine.id as string)).family).toBe('panasonic');
    } finally {
      await s.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('demo systems in the console', () => {
  it('the wizard offers a demo for exactly the families whose registry entry has one', () => {
    expect(FAMILIES.filter((f) => FAMILY_SPECS[f].capabilities.demo)).toEqual(demoFamilies(DRIVER_REGISTRY).map((f) => f.spec.id).sort((a, b) => FAMILIES.indexOf(a as never) - FAMILIES.indexOf(b as never)));
  });
});
