// ECMA-269 enumerations by name. The numbers an encoding gives them (ECMA-285) live in that encoding's module,
// checked against these lists at compile time; XML (ECMA-323) writes the names themselves.

/** Values the switch sends may name members this model does not list: they arrive as text, kept, not dropped. */
export type Open<T extends string> = T | (string & {});

/** ECMA-269 §6.4: the state of one device's connection to a call. */
export const LOCAL_CONNECTION_STATES = ['null', 'initiated', 'alerting', 'connected', 'hold', 'queued', 'fail'] as const;
export type LocalConnectionState = (typeof LOCAL_CONNECTION_STATES)[number];

/** ECMA-269 §6.4: the state of a whole call as SnapshotDevice may report it. */
export const SIMPLE_CALL_STATES = [
  'callNull', 'callPending', 'callOriginated', 'callDelivered', 'callDeliveredHeld', 'callReceived', 'callEstablished',
  'callEstablishedHeld', 'callReceivedOnHold', 'callEstablishedOnHold', 'callQueued', 'callQueuedHeld', 'callFailed',
  'callFailedHeld', 'callBlocked',
] as const;
export type SimpleCallState = (typeof SIMPLE_CALL_STATES)[number];

/** ECMA-269 §12.2.8 (EventCause). */
export const EVENT_CAUSES = [
  'aCDBusy', 'aCDForward', 'aCDSaturated', 'activation', 'activeParticipation', 'alertTimeExpired', 'alternate',
  'autoWork', 'babble', 'badAttribute', 'badGrammar', 'badVoice', 'badUri', 'blocked', 'busy', 'busyOverflow',
  'calendarOverflow', 'callBack', 'callCancelled', 'callForward', 'callForwardImmediate', 'callForwardBusy',
  'callForwardNoAnswer', 'callInterception', 'callInterceptionBusy', 'callInterceptionForwarded',
  'callInterceptionNoAnswer', 'callInterceptionResourcesNotAvailable', 'callNotAnswered', 'callPickup', 'campOn',
  'campOnTrunks', 'capacityOverflow', 'characterCountReached', 'conference', 'consultation', 'destDetected',
  'destNotObtainable', 'destOutOfOrder', 'distributed', 'distributionDelay', 'doNotDisturb', 'dTMFDigitDetected',
  'duplicateDTMF', 'durationExceeded', 'earlyStop', 'emptyQueue', 'endOfMessageDetected', 'enteringDistribution',
  'forcedPause', 'forcedTransition', 'incompatibleDestination', 'interDigitTimeout', 'intrude', 'invalidAccountCode',
  'invalidConnection', 'invalidConnectionState', 'invalidNumberFormat', 'joinCall', 'keyOperation',
  'keyOperationInUse', 'lawfulInterception', 'lockout', 'maintenance', 'makeCall', 'makeConnection',
  'makePredictiveCall', 'maxTimeout', 'messageDurationExceeded', 'messageSizeExceeded', 'multipleAlerting',
  'multipleQueuing', 'networkCongestion', 'networkDialling', 'networkNotObtainable', 'networkOutOfOrder',
  'networkSignal', 'newCall', 'nextMessage', 'noAudioSaved', 'noAvailableAgents', 'noQueue', 'normal',
  'normalClearing', 'noRule', 'noSpeechDetected', 'notAvaliableBearerService', 'notSupportedBearerService',
  'numberChanged', 'numberUnallocated', 'outOfGrammar', 'overflow', 'override', 'park', 'pathReplacement',
  'queueCleared', 'queueTimeOverflow', 'recall', 'recallBusy', 'recallForwarded', 'recallNoAnswer',
  'recallResourcesNotAvailable', 'redirected', 'remainsInQueue', 'reorderTone', 'reserved', 'resourcesNotAvailable',
  'selectedTrunkBusy', 'silentParticipation', 'singleStepConference', 'singleStepTransfer', 'speechDetected',
  'suspend', 'switchingFunctionTerminated', 'terminationCharacterReceived', 'timeout', 'transfer', 'trunksBusy',
  'unauthorisedBearerService', 'unknownOverflow',
] as const;
export type EventCause = (typeof EVENT_CAUSES)[number];

/** ECMA-269 §13.2 (ForwardingType). */
export const FORWARDING_TYPES = [
  'forwardImmediate', 'forwardBusy', 'forwardNoAns', 'forwardBusyInt', 'forwardBusyExt', 'forwardNoAnsInt',
  'forwardNoAnsExt', 'forwardImmInt', 'forwardImmExt', 'forwardDND', 'forwardDNDInt', 'forwardDNDExt',
] as const;
export type ForwardingType = (typeof FORWARDING_TYPES)[number];

export type ForwardDefault = 'forwardingTypeAndForwardDN' | 'forwardingType' | 'forwardDN';
/** Calls a do-not-disturb applies to (a set: both, one, or neither named). */
export type CallOrigination = 'internal' | 'external';

/** The device categories a device list reports (ECMA-269 §12.2.11). */
export const DEVICE_CATEGORIES = [
  'acd', 'group', 'networkInterface', 'park', 'routeingDevice', 'station', 'voiceUnit', 'other',
  'genericInteractiveVoice', 'listenerInteractiveVoice', 'dtmfInteractiveVoice', 'promptInteractiveVoice',
  'promptQueueInteractiveVoice', 'messageInteractiveVoice', 'conference',
] as const;
export type DeviceCategory = (typeof DEVICE_CATEGORIES)[number];

/** The categories a GetSwitchingFunctionDevices request may ask for. */
export const REQ_DEVICE_CATEGORIES = [
  'acd', 'groupACD', 'groupHunt', 'groupPick', 'groupOther', 'networkInterface', 'park', 'routeingDevice', 'station',
  'voiceUnit', 'other', 'conference', 'dtmfIV', 'genericIV', 'groupUser', 'listenerIV', 'messageIV', 'promptIV',
  'promptQueue',
] as const;
export type ReqDeviceCategory = (typeof REQ_DEVICE_CATEGORIES)[number];

export const NAMED_DEVICE_TYPES = [
  'acd', 'acdGroup', 'button', 'buttonGroup', 'conferenceBridge', 'line', 'lineGroup', 'operator', 'operatorGroup',
  'parkingDevice', 'station', 'stationGroup', 'trunk', 'trunkGroup', 'other', 'otherGroup',
] as const;
export type NamedDeviceType = (typeof NAMED_DEVICE_TYPES)[number];

export type DeviceAttribute = 'mediaAccessDevice' | 'routeingDevice' | 'groupACD' | 'groupHunt' | 'groupPick';

export type MonitorType = 'call' | 'device';
export type ConsultOptions = 'unrestricted' | 'consultOnly' | 'transferOnly' | 'conferenceOnly';
export type AutoOriginate = 'prompt' | 'doNotPrompt';
export type DigitMode = 'rotaryPulse' | 'dTMF';

/** ECMA-269 §12.2.20 (SystemStatus). */
export type SystemStatus =
  | 'initializing'
  | 'enabled'
  | 'normal'
  | 'messagesLost'
  | 'disabled'
  | 'overloadImminent'
  | 'overloadReached'
  | 'overloadRelieved'
  | 'partiallyDisabled';
