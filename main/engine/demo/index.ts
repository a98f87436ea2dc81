import { startPanasonicSim, type PanasonicSim } from '../../sim/panasonic/index';
import type { InstanceStore } from '../instances';
import type { DemoInfo } from '../../../shared/api/demo';

export const DEMO_INSTANCE_NAME = 'Demo PBX';

/** What the demo PBX holds: named desk phones, a few SIP phones to filter out, DECT handsets with Super-Twin pairs. */
export const DEMO_DEVICES = { extensions: '100-139', sip: '200-204', dect: '300-303', twins: '101:301,102:302', names: true };

export interface DemoDeps {
  instances: InstanceStore;
  logger: { info(m: string): void };
}

/**
 * The built-in demo: a Panasonic simulator on loopback plus a driver instance pointing at it, so a user without
 * a PBX can try every screen. The simulator's port is chosen freely each start and the instance follows it.
 */
export class DemoPbx {
  private sim: PanasonicSim | null = null;
  private starting: Promise<DemoInfo> | null = null;
  private instanceId = '';

  constructor(private readonly deps: DemoDeps) {}

  start(): Promise<DemoInfo> {
    this.starting ??= this.doStart().finally(() => (this.starting = null));
    return this.starting;
  }

  status(): DemoInfo | null {
    if (!this.sim) return null;
    return { running: true, host: '127.0.0.1', port: this.sim.tcpPort, controlUrl: this.sim.controlUrl, instanceId: this.instanceId, devices: this.sim.deviceCount };
  }

  /** A call between two demo extensions (or from an outside number), to see live events without a phone. */
  placeCall(from: string, to: string): string {
    if (!this.sim) throw new Error('the demo PBX is not running');
    return this.sim.placeCall(from, to);
  }

  async stop(): Promise<void> {
    const sim = this.sim;
    this.sim = null;
    if (sim) {
      await sim.close();
      this.deps.logger.info('demo PBX stopped');
    }
  }

  private async doStart(): Promise<DemoInfo> {
    if (!this.sim) {
      this.sim = await startPanasonicSim({ host: '127.0.0.1', port: 0, devices: DEMO_DEVICES });
      this.deps.logger.info(`demo PBX listening on 127.0.0.1:${this.sim.tcpPort} with ${this.sim.deviceCount} devices; control API ${this.sim.controlUrl}`);
    }
    const connection = { mode: 'direct' as const, host: '127.0.0.1', port: this.sim.tcpPort, tls: false };
    const existing = await this.deps.instances.findByName(DEMO_INSTANCE_NAME);
    if (existing) {
      await this.deps.instances.update(existing.id, { connection });
      this.instanceId = existing.id;
    } else {
      const created = await this.deps.instances.create({ family: 'panasonic', name: DEMO_INSTANCE_NAME, notes: 'Built-in demo PBX (simulator on this PC).' });
      await this.deps.instances.update(created.id, { connection, location: { ranges: '100-199, 300-399' } });
      this.instanceId = created.id;
    }
    return this.status()!;
  }
}
