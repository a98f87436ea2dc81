// Public face of the Panasonic driver.
export { PanasonicDriver, type PanasonicDriverOptions } from './panasonic-driver';
export { CstaLink, classifySocketError, normaliseFingerprint, type LinkOptions } from './csta-link';
export { deviceListRequest, readDeviceListSegment } from './kme';
