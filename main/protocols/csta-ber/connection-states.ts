// CSTA-connection-states {1 3 12 0 285 125}.
import { APPLICATION, UNIVERSAL } from './ber';
import { choice, enumerated, explicit, implicit, nullType, opt, sequence, sequenceOf, type ValueOf } from './codec';
import { ConnectionID } from './call-connection-identifiers';
import { DeviceID } from './device-identifiers';
import { rawTagged } from './raw';

export const LocalConnectionState = implicit(
  14,
  enumerated({ null: 0, initiated: 1, alerting: 2, connected: 3, hold: 4, queued: 5, fail: 6 }),
  APPLICATION,
);
export type LocalConnectionState = ValueOf<typeof LocalConnectionState>;

/** ConnectionInformation (CSTA-media-services) is passed through as raw BER. */
export const ConnectionInformationRaw = rawTagged(UNIVERSAL, true, 16);

export const ConnectionList = sequenceOf(
  sequence('ConnectionList.entry', {
    newConnection: opt(explicit(0, ConnectionID)),
    oldConnection: opt(explicit(1, ConnectionID)),
    endpoint: opt(explicit(2, choice('endpoint', { deviceID: DeviceID, notKnown: nullType, restricted: implicit(1, nullType) }))),
    associatedNID: opt(explicit(3, choice('associatedNID', { deviceID: DeviceID, notKnown: nullType }))),
    resultingConnectionInfo: opt(ConnectionInformationRaw),
  }),
);
export type ConnectionList = ValueOf<typeof ConnectionList>;
