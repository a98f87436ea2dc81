// Public face of the SIP stack (RFC 3261 over TCP/TLS). Other components import only from here.
export { SipError, type SipErrorCode } from './errors';
export * from './uri';
export * from './message';
export { SipStreamParser, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_HEADER_BYTES, type ParsedItem, type ParserOptions } from './parser';
export { connect, SipConnection, SipListener, type ConnectOptions, type Endpoint, type KeepAliveOptions, type ListenOptions, type SipLogger, type SipTransportName, type TlsClientOptions, type TlsServerOptions } from './transport';
export { authorize, DigestServer, formatChallenge, parseChallenge, parseDigestParams, DEFAULT_ALGORITHMS, type DigestAlgorithm, type DigestChallenge, type DigestCheck, type DigestServerOptions } from './digest';
export { TransactionLayer, ClientTransaction, ServerTransaction, type SipTimers } from './transaction';
export { Dialog, type DialogState, type InDialogOptions } from './dialog';
export { IncomingRequest } from './incoming';
export { SipEndpoint, targetOf, newBranch, type RequestOptions, type SipEndpointOptions, type Target } from './endpoint';
export { Registrar, type Binding, type RegistrarOptions, type RemovalReason } from './registrar';
export { BindingProxy } from './proxy';
