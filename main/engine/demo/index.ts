import type { DemoSimulator, FamilyDriver } from '../../drivers/registry';
import type { InstanceStore } from '../instances';
import type { DemoInfo } from '../../../shared/api/demo';
import type { Instance } from '../../../shared/model/instance';

export const DEMO_INSTANCE_NAME = 'Demo PBX';
const DEMO_NOTES = 'Built-in demo PBX (simulator on this PC).';

export interface DemoDeps {
  instances: InstanceStore;
  /** The family whose simulator is the demo PBX (the registry names it). */
  family: FamilyDriver | undefined;
  logger: { info(m: string): void; warn(m: string): void; error(m: string): void };
}

/**
 * The built-in demo: a simulator on loopback plus a driver instance pointing at it, so a user without
 * a PBX can try every screen. The simulator's port is chosen freely each start and the instance follows it.
 */
export class DemoPbx {
  private sim: DemoSimulator | null = null;
  private starting: Promise<DemoInfo> | null = null;
  private instanceId = '';
  /** Instances the wizard made for the demo (besides its own): they follow its port when it restarts. */
  private readonly followers = new Set<string>();

  constructor(private readonly deps: DemoDeps) {}

  start(): Promise<DemoInfo> {
    this.starting ??= this.doStart().finally(() => (this.starting = null));
    return this.starting;
  }

  status(): DemoInfo | null {
    if (!this.sim) return null;
    return { running: true, host: this.sim.host, port: this.sim.port, controlUrl: this.sim.controlUrl, instanceId: this.instanceId, devices: this.sim.deviceCount };
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

  /**
   * A new instance pointing at the demo PBX (started if needed), held unsaved like every wizard instance: the
   * wizard's "Try it with the demo PBX" makes one each time, also while the demo and its own instance run.
   */
  async newInstance(): Promise<Instance> {
    const { family, sim } = await this.ensureSim();
    const { connection, location } = family.demo.instancePatch(sim);
    const taken = new Set((await this.deps.instances.list()).map((i) => i.name.toLowerCase()));
    let name = DEMO_INSTANCE_NAME;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${DEMO_INSTANCE_NAME} ${n}`;
    const created = await this.deps.instances.createPending({ family: family.spec.id, name, notes: DEMO_NOTES });
    this.followers.add(created.id);
    return this.deps.instances.update(created.id, { connection, ...(location ? { location } : {}) });
  }

  private async ensureSim(): Promise<{ family: FamilyDriver & { demo: NonNullable<FamilyDriver['demo']> }; sim: DemoSimulator }> {
    const family = this.deps.family?.demo ? this.deps.family : undefined;
    if (!family?.demo) throw new Error('no family offers a demo PBX');
    if (!this.sim) {
      this.sim = await family.demo.start(this.deps.logger);
      this.deps.logger.info(`demo PBX listening on ${this.sim.host}:${this.sim.port} with ${this.sim.deviceCount} devices; control API ${this.sim.controlUrl}`);
      const { connection } = family.demo.instancePatch(this.sim);
      for (const id of this.followers) await this.deps.instances.update(id, { connection }).catch(() => this.followers.delete(id));
    }
    return { family: family as FamilyDriver & { demo: NonNullable<FamilyDriver['demo']> }, sim: this.sim };
  }

  private async doStart(): Promise<DemoInfo> {
    const { family, sim } = await this.ensureSim();
    const { connection, location } = family.demo.instancePatch(sim);
    // The instance this demo already points at, even renamed, else the one by the demo's name: never a second one.
    const known = this.instanceId ? await this.deps.instances.get(this.instanceId).catch(() => undefined) : undefined;
    const existing = known ?? (await this.deps.instances.findByName(DEMO_INSTANCE_NAME));
    if (existing) {
      await this.deps.instances.update(existing.id, { connection });
      this.instanceId = existing.id;
    } else {
      const created = await this.deps.instances.create({ family: family.spec.id, name: DEMO_INSTANCE_NAME, notes: DEMO_NOTES });
      await this.deps.instances.update(created.id, { connection, ...(location ? { location } : {}) });
      this.instanceId = created.id;
    }
    return this.status()!;
  }
}
