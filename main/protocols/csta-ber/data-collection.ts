// CSTA data collection: start-data-collection (347), stop-data-collection (348), data-collected (343).
import { choice, enumerated, ia5String, implicit, implicitRaw, integer, octetString, opt, req, sequence, sequenceOf, type ValueOf } from './codec';
import { ConnectionID } from './call-connection-identifiers';
import { DeviceID } from './device-identifiers';
import { CSTACommonArguments } from './extension-types';

export const DcollCrossRefID = octetString;
export const CallObject = choice('CallObject', { device: DeviceID, call: ConnectionID });

export const StartDataCollectionArgument = sequence('StartDataCollectionArgument', {
  object: req(CallObject),
  dataCollType: opt(enumerated({ digits: 0, telTones: 1 })),
  digitsReportingCriteria: opt(
    sequence('DigitsReportingCriteria', {
      numChars: opt(implicit(0, integer)),
      flushChar: opt(ia5String),
      timeout: opt(implicit(1, integer)),
    }),
  ),
  extensions: opt(CSTACommonArguments),
});
export type StartDataCollectionArgument = ValueOf<typeof StartDataCollectionArgument>;
export const StartDataCollectionResult = sequence('StartDataCollectionResult', {
  dcollCrossRefID: req(DcollCrossRefID),
  extensions: opt(CSTACommonArguments),
});
export type StartDataCollectionResult = ValueOf<typeof StartDataCollectionResult>;

export const StopDataCollectionArgument = sequence('StopDataCollectionArgument', {
  dcollCrossRefID: req(DcollCrossRefID),
  extensions: opt(CSTACommonArguments),
});
export type StopDataCollectionArgument = ValueOf<typeof StopDataCollectionArgument>;

export const DigitsData = sequence('DigitsData', {
  digitsDetected: req(ia5String),
  digitsDuration: opt(implicit(0, sequenceOf(integer))),
  digitsPauseDuration: opt(implicit(1, sequenceOf(integer))),
});

export const DataCollectedArgument = sequence('DataCollectedArgument', {
  dcollCrossRefID: req(DcollCrossRefID),
  digitsData: opt(implicit(0, DigitsData)),
  telTonesData: opt(implicitRaw(1, true)),
  connectionInformation: opt(implicitRaw(2, true)),
  dcollCause: opt(enumerated({ flushCharReceived: 0, charCountReached: 1, timeout: 2, sfTerminated: 3 })),
  extensions: opt(CSTACommonArguments),
});
export type DataCollectedArgument = ValueOf<typeof DataCollectedArgument>;
