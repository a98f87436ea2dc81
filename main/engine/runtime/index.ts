// Public face of the driver runtime.
export { DriverRuntimes, type DriverRuntimesDeps, type TestConnectionInput } from './driver-runtimes';
export { InstanceRuntime, DEFAULT_TIMING, type RuntimeDeps, type RuntimeTiming, type RuntimeLogger } from './instance-runtime';
