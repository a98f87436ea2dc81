// Public face of the drivers: the interface every family implements and the registry that lists the families.
export * from './driver';
export { DRIVER_REGISTRY, catalogueOf, demoFamilies, familyOf, type DemoSimulator, type DriverRegistry, type DriverSettings, type FamilyDriver } from './registry';
export { configurationOnly, type FamilyDemo } from './family';
export { normaliseFingerprint } from './shared/network-errors';
