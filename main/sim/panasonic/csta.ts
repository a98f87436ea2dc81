// The simulator's one door to the CSTA codec: its public face, plus the declarative ASN.1 building blocks that the
// Panasonic escape data (panasonic-escape.ts) needs and the codec's index does not export yet.
export * from '../../protocols/csta';
export { boolean, enumerated, explicit, ia5String, integer, octetString, req, sequence, sequenceOf } from '../../protocols/csta/codec';
export { leanDecode, leanEncode } from '../../protocols/csta/ber';
