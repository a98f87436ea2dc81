// The CME XML API ("AXL/SOAP" at /ios_xml_app/cme): documents, the HTTP(S) client and the inventory reader.
export { CmeHttpError, CmeXmlClient, CmeXmlTimeout, IsError, MAX_ANSWER_BYTES, NotXmlApiError, PinMismatchError, type CmeXmlEndpoint } from './client';
export { readExtensions, readInventory, readRegistered, readSessionServers, type SessionServerConfig, type ButtonAppearance, type Extension, type Inventory, type SccpPhone, type SipPhone, type UserProfile } from './inventory';
export { axlPart, child, children, CME_XML_PATH, elements, esc, isErrorOf, operationOf, parseDocument, requestDocument, responseDocument, text, XmlError, type Selectors, type XmlNode } from './xml';
