import type { DocumentSpec, DocumentStore } from '../store';
import { muxServiceSettingsSchema, type MuxServiceSettings } from '../../shared/api/services';

/** The multiplexer service's settings: a configuration document beside the others, so backups carry it. */
export const MUX_SERVICE_DOC = 'service-mux';
export const MUX_SERVICE_SPEC: DocumentSpec<MuxServiceSettings> = { kind: 'service-mux', version: 1, schema: muxServiceSettingsSchema };

export function readMuxServiceSettings(docs: DocumentStore): Promise<MuxServiceSettings | undefined> {
  return docs.read(MUX_SERVICE_DOC, MUX_SERVICE_SPEC);
}

export function saveMuxServiceSettings(docs: DocumentStore, settings: MuxServiceSettings): Promise<MuxServiceSettings> {
  return docs.write(MUX_SERVICE_DOC, MUX_SERVICE_SPEC, settings);
}

/** The `linekeeper mux` command line the service runs for these settings. */
export function muxArguments(settings: MuxServiceSettings, dataDir: string): string[] {
  const pbxHost = settings.pbxHost.includes(':') ? `[${settings.pbxHost}]` : settings.pbxHost;
  const args = ['--pbx', `${pbxHost}:${settings.pbxPort}`, '--tcp-port', String(settings.tcpPort), '--bind', settings.bind, '--data-dir', dataDir];
  if (settings.requireLogin) args.push('--require-login');
  if (settings.tlsPort !== undefined && settings.cert) {
    args.push('--tls-port', String(settings.tlsPort), '--cert', settings.cert);
    if (settings.key) args.push('--key', settings.key);
  }
  return args;
}
