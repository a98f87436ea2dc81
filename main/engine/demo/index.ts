import type { DemoSimulator, FamilyDriver } from '../../drivers/registry';
import type { InstanceStore } from '../instances';
import type { DemoInfo } from '../../../shared/api/demo';
import type { Family, Instance } from '../../../shared/model/instance';
import { coded } from '../../../shared/problems';
import { simulatorLog, type DemoLogger } from './simulator-log';

export const DEMO_INSTANCE_NAME = 'Demo PBX';

export interface DemoDeps {
  instances: InstanceStore;
  /** The families that offer a demo system (the registry names them); the first is the default. */
  families: FamilyDriver[];
  logger: DemoLogger;
}

interface Running {
  sim: DemoSimulator;
  instanceId: string;
}

/**
 * The built-in demo: a simulator on loopback per family that offers one (a Panasonic PBX, a BroadWorks platform),
 * each with a driver instance pointing at it, so a user without a telephone system can try every screen. A
 * simulator's port is chosen freely each start and its instance follows it. Without a family named, the default
 * (first) one is meant.
 */
export class DemoPbx {
  private readonly running = new Map<string, Running>();
  private readonly starting = new Map<string, Promise<DemoInfo>>();
  /** The instance each family's demo points at, kept across stops so a restart finds it even renamed. */
  private readonly instanceIds = new Map<string, string>();
  /** Instances the wizard made for a family's demo (besides its own): they follow its port when it restarts. */
  private readonly followers = new Map<string, Set<string>>();

  constructor(private readonly deps: DemoDeps) {}

  /** The families with a demo, the default first. */
  families(): string[] {
    return this.deps.families.map((f) => f.spec.id);
  }

  start(family?: string): Promise<DemoInfo> {
    const f = this.familyOf(family);
    let p = this.starting.get(f.spec.id);
    if (!p) {
      p = this.doStart(f).finally(() => this.starting.delete(f.spec.id));
      this.starting.set(f.spec.id, p);
    }
    return p;
  }

  status(family?: string): DemoInfo | null {
    const f = this.familyOf(family, false);
    const r = f && this.running.get(f.spec.id);
    if (!f || !r) return null;
    return { running: true, family: f.spec.id as Family, host: r.sim.host, port: r.sim.port, controlUrl: r.sim.controlUrl, instanceId: r.instanceId, devices: r.sim.deviceCount };
  }

  /** A call between two demo extensions (or from an outside number), to see live events without a phone. */
  placeCall(from: string, to: string, family?: string): string {
    const r = this.running.get(this.familyOf(family).spec.id);
    if (!r) throw new Error('the demo system is not running');
    return r.sim.placeCall(from, to);
  }

  /** Stops one family's demo, or without a family every one. */
  async stop(family?: string): Promise<void> {
    const ids = family ? [this.familyOf(family).spec.id] : [...this.running.keys()];
    for (const id of ids) {
      const r = this.running.get(id);
      this.running.delete(id);
      if (r) {
        await r.sim.close();
        this.deps.logger.info(coded('logApp.demoStopped', { family: id }));
      }
    }
  }

  private familyOf(family: string | undefined, required = true): FamilyDriver {
    const f = family ? this.deps.families.find((x) => x.spec.id === family) : this.deps.families[0];
    if (!f?.demo && required) throw new Error(family ? `the family "${family}" offers no demo` : 'no family offers a demo PBX');
    return f!;
  }

  /**
   * A new instance pointing at the family's demo (started if needed), held unsaved like every wizard instance:
   * the wizard's "Try it with the demo" makes one each time, also while the demo and its own instance run.
   */
  async newInstance(family?: string): Promise<Instance> {
    const f = this.familyOf(family);
    const demo = f.demo!;
    const r = await this.ensureSim(f);
    const { connection, location, advanced, secrets } = demo.instancePatch(r.sim);
    const base = demo.instanceName ?? DEMO_INSTANCE_NAME;
    const taken = new Set((await this.deps.instances.list()).map((i) => i.name.toLowerCase()));
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base} ${n}`;
    const created = await this.deps.instances.createPending({ family: f.spec.id, name, notes: 'Built-in demo system (simulator on this PC).' });
    const inst = await this.deps.instances.update(created.id, { connection, ...(advanced ? { advanced } : {}), ...(location ? { location } : {}) });
    for (const [field, value] of Object.entries(secrets ?? {})) await this.deps.instances.setSecret(created.id, field, value);
    const set = this.followers.get(f.spec.id) ?? new Set<string>();
    set.add(created.id);
    this.followers.set(f.spec.id, set);
    return inst;
  }

  private async ensureSim(family: FamilyDriver): Promise<Running> {
    const demo = family.demo!;
    const id = family.spec.id;
    let r = this.running.get(id);
    if (!r) {
      const sim = await demo.start(simulatorLog(this.deps.logger, id));
      this.deps.logger.info(coded('logApp.demoListening', { family: id, host: sim.host, port: sim.port, devices: sim.deviceCount, controlUrl: sim.controlUrl }));
      r = { sim, instanceId: '' };
      this.running.set(id, r);
      const { connection } = demo.instancePatch(sim);
      for (const follower of this.followers.get(id) ?? []) await this.deps.instances.update(follower, { connection }).catch(() => this.followers.get(id)?.delete(follower));
    }
    return r;
  }

  private async doStart(family: FamilyDriver): Promise<DemoInfo> {
    const demo = family.demo!;
    const id = family.spec.id;
    const r = await this.ensureSim(family);
    const { connection, location, advanced, secrets } = demo.instancePatch(r.sim);
    const name = demo.instanceName ?? DEMO_INSTANCE_NAME;
    // The instance this demo already points at, even renamed, else the one by the demo's name: never a second one.
    const knownId = this.instanceIds.get(id);
    const known = knownId ? await this.deps.instances.get(knownId).catch(() => undefined) : undefined;
    const byName = await this.deps.instances.findByName(name);
    // Another family's instance under that name is left alone (a new one gets a name of its own).
    const existing = known ?? (byName?.family === id ? byName : undefined);
    if (existing) {
      await this.deps.instances.update(existing.id, { connection, ...(advanced ? { advanced } : {}) });
      r.instanceId = existing.id;
    } else {
      const created = await this.deps.instances.create({ family: id, name: byName ? `${name} (${id})` : name, notes: 'Built-in demo system (simulator on this PC).' });
      await this.deps.instances.update(created.id, { connection, ...(advanced ? { advanced } : {}), ...(location ? { location } : {}) });
      r.instanceId = created.id;
    }
    for (const [field, value] of Object.entries(secrets ?? {})) await this.deps.instances.setSecret(r.instanceId, field, value);
    this.instanceIds.set(id, r.instanceId);
    return this.status(id)!;
  }
}
