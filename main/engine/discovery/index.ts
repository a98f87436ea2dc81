// Public face of line discovery.
export { DiscoveryService, type DiscoveryDeps } from './discovery-service';
export { applySipFilter, buildPreview, diffLines, expand, rangeTools, type LineDiff, type SipSplit } from './preview';
