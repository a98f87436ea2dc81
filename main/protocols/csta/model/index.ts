// Public face of the CSTA model: ECMA-269 services, events, enumerations, errors and the CstaSession interface,
// free of any encoding. BER (main/protocols/csta-ber) and XML adapters convert to and from it.
export * from './identifiers';
export * from './enumerations';
export * from './private-data';
export * from './errors';
export * from './services';
export * from './events';
export * from './session';
