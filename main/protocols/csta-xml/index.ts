// Public face of the CSTA XML stack (ECMA-323): the codec between documents and the CSTA model, the session and
// switch sides over a carrier, and the SIP carriers (INFO in an INVITE dialog, out-of-dialog NOTIFY Event: uaCSTA).
export { decodeCsta, encodeCsta, encodeError, encodeEvent, encodeRequest, encodeResponse, type CstaXmlMessage, type CstaXmlRequest, type CstaXmlResponse, type DecodedCsta, type XmlArgs, type XmlResult, type XmlServiceName } from './codec';
export { EDITIONS, editionOf, namespaceOf, type CstaXmlEdition } from './editions';
export { CstaXmlError, type CstaXmlErrorCode } from './errors';
export { DEFAULT_MAX_XML_BYTES, DEFAULT_MAX_XML_DEPTH, type XmlLimits } from './xml';
export { CSTA_CONTENT_TYPE, SipDialogCarrier, SipNotifyCarrier, type CstaCarrier, type CstaInbound, type NotifyCarrierOptions } from './carrier';
export { XmlCstaSession, type XmlCstaSessionOptions, type XmlLogger } from './session';
export { XmlCstaSwitch, type CstaRequestHandler, type XmlCstaSwitchOptions } from './switch';
export { acceptCstaDialog, openCstaDialog, openCstaSession, type AcceptCstaDialogOptions, type CstaSipMode, type OpenCstaDialogOptions } from './sip-dialog';
