import { PRODUCT_NAME, PRODUCT_VERSION } from '../version';
import { EDITIONS } from '../protocols/csta-xml/editions';
import { CME_XML_PATH } from '../protocols/cme-xml/xml';

/** Protocol stacks this build speaks, for the About box and support bundles (docs/architecture.md, "Inside main/"). */
export const PROTOCOL_STACKS: Record<string, string> = {
  'CSTA Phase III': 'ECMA-269 services over ECMA-285 ASN.1 BER (TCP, TLS)',
  'CSTA multiplexer': 'ACSE/ROSE, shared PBX link',
  'CSTA XML': `ECMA-323 ${EDITIONS.join(', ')}, in SIP INFO or NOTIFY`,
  uaCSTA: 'server for SIP phones: registrar with digest, a CSTA XML dialog per phone, CTI clients over SIP',
  SIP: 'RFC 3261 over TCP and TLS, digest MD5 and SHA-256, connection reuse (RFC 5923)',
  'BroadWorks Xsi': 'Xsi-Actions and Xsi-Events over HTTP(S) and the CTI socket',
  'Cisco CME XML API': `AXL/SOAP at ${CME_XML_PATH} over HTTP(S), CSTA XML over SIP for the session server`,
};

/** Versions of everything that runs: the app, its runtime (Electron and Chromium when present) and the stacks. */
export function runtimeVersions(versions: NodeJS.ProcessVersions = process.versions): Record<string, string> {
  const v = versions as NodeJS.ProcessVersions & { electron?: string; chrome?: string };
  return {
    [PRODUCT_NAME]: PRODUCT_VERSION,
    ...(v.electron ? { Electron: v.electron } : {}),
    ...(v.chrome ? { Chromium: v.chrome } : {}),
    Node: v.node,
    ...PROTOCOL_STACKS,
  };
}
