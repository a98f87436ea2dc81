// CSTA-call-connection-identifiers {1 3 12 0 285 124}.
import { APPLICATION } from './ber';
import { choice, explicit, implicit, octetString, req, sequence, type ValueOf } from './codec';
import { DeviceID } from './device-identifiers';

/** CallID ::= OCTET STRING (hex here). */
export const CallID = octetString;

export const LocalDeviceID = choice('LocalDeviceID', {
  staticID: DeviceID,
  dynamicID: implicit(3, octetString),
});
export type LocalDeviceID = ValueOf<typeof LocalDeviceID>;

export const ConnectionID = explicit(
  11,
  choice('ConnectionID', {
    callID: implicit(0, CallID),
    deviceID: explicit(1, LocalDeviceID),
    both: sequence('ConnectionID.both', { callID: req(implicit(0, CallID)), deviceID: req(explicit(1, LocalDeviceID)) }),
  }),
  APPLICATION,
);
export type ConnectionID = ValueOf<typeof ConnectionID>;

/** The `both` form Panasonic uses: call ID plus the static device. */
export function connectionId(callID: string, device: DeviceID): ConnectionID {
  return { both: { callID, deviceID: { staticID: device } } };
}

/** Call ID of a ConnectionID, whichever form it has. */
export function callIdOf(c: ConnectionID): string | undefined {
  if ('callID' in c) return c.callID;
  if ('both' in c) return c.both.callID;
  return undefined;
}

/** Static device of a ConnectionID, if it names one. */
export function deviceOf(c: ConnectionID): DeviceID | undefined {
  const local = 'deviceID' in c ? c.deviceID : 'both' in c ? c.both.deviceID : undefined;
  return local && 'staticID' in local ? local.staticID : undefined;
}
