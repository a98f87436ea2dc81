// Public face of the Panasonic driver.
export { PanasonicDriver, panasonicDialect, type PanasonicDriverOptions } from './panasonic-driver';
export { openLink, type LinkOptions } from './csta-link';
export { deviceListRequest, readDeviceListSegment, kmeDeviceList } from './kme';
export { normaliseFingerprint } from '../shared/network-errors';
