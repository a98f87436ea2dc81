import { PRODUCT_NAME, PRODUCT_VERSION } from '../version';

/** Protocol stacks this build speaks, for the About box and support bundles. */
export const PROTOCOL_STACKS: Record<string, string> = {
  'CSTA Phase III': 'ECMA-269 services over ECMA-285 ASN.1 BER (TCP, TLS)',
  'CSTA multiplexer': 'ACSE/ROSE, shared PBX link',
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
