// Public face of the driver runtime.
export { DriverRuntimes, type DriverRuntimesDeps, type TestConnectionInput } from './driver-runtimes';
export { InstanceRuntime, DEFAULT_TIMING, type RuntimeDeps, type RuntimeTiming, type RuntimeLogger } from './instance-runtime';
export { storeCertificatePins, memoryCertificatePins, pendingAwarePins, CERTIFICATE_PINS_DOCUMENT, type CertificatePins } from './certificate-pins';
