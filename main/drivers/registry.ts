// The only list of PBX families in main. The engine, the API, the CLI and the demo reach a family through here,
// never through its folder; adding a family is one folder plus one line below.
import { FAMILY_SPECS, type FamilyCatalogue } from '../../shared/families';
import type { DriverRegistry, FamilyDriver } from './family';
import { broadworksFamily } from './broadworks/family';
import { cmeFamily } from './cme/family';
import { panasonicFamily } from './panasonic/family';
import { sipPhonesFamily } from './sip-phones/family';

export const DRIVER_REGISTRY: DriverRegistry = {
  panasonic: panasonicFamily,
  cme: cmeFamily,
  broadworks: broadworksFamily,
  'sip-phones': sipPhonesFamily,
};

/** The specs of a registry's families, for the instance store and the API. */
export function catalogueOf(registry: DriverRegistry): FamilyCatalogue {
  if (registry === DRIVER_REGISTRY) return FAMILY_SPECS;
  return Object.fromEntries(Object.entries(registry).map(([id, f]) => [id, f.spec]));
}

/** The family of an instance; throws for one the registry does not know. */
export function familyOf(registry: DriverRegistry, id: string): FamilyDriver {
  const f = registry[id];
  if (!f) throw new Error(`unknown family "${id}"`);
  return f;
}

/** The families whose simulators back the built-in demo, in registry order (the first is the default). */
export function demoFamilies(registry: DriverRegistry): FamilyDriver[] {
  return Object.values(registry).filter((f) => f.demo);
}

/** The family whose simulated phones the SIP phone server's demo starts. */
export function phoneServerDemoFamily(registry: DriverRegistry): FamilyDriver | undefined {
  return Object.values(registry).find((f) => f.phoneServerDemo);
}

export type { DriverRegistry, FamilyDriver, DriverSettings, DemoSimulator, DemoPhoneFleet, SimulatorLogger } from './family';
