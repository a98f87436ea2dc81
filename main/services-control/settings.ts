import { z } from 'zod';
import type { DocumentSpec, DocumentStore } from '../store';
import { muxServiceSettingsBase, uacstaServiceSettingsBase } from '../../shared/api/services';
import { MUX_TLS_FILES, servicesFilesDir, UACSTA_TLS_FILES } from './tls-files';
import { join } from 'node:path';

/**
 * The multiplexer service's settings as stored: a configuration document beside the others, so backups carry
 * it. The certificate is named only by the files main wrote (`tls-files.ts`), never by a path someone sent.
 */
export const storedMuxServiceSettingsSchema = muxServiceSettingsBase.extend({
  certFile: z.enum([MUX_TLS_FILES.cert, MUX_TLS_FILES.pfx]).optional(),
  keyFile: z.literal(MUX_TLS_FILES.key).optional(),
});
export type StoredMuxServiceSettings = z.output<typeof storedMuxServiceSettingsSchema>;

export const MUX_SERVICE_DOC = 'service-mux';
export const MUX_SERVICE_SPEC: DocumentSpec<StoredMuxServiceSettings> = {
  kind: 'service-mux',
  version: 2,
  schema: storedMuxServiceSettingsSchema,
  // Version 1 held certificate and key as paths the console sent; they are dropped, so the admin chooses the
  // certificate again (the TLS port stays, and `service run` says that TLS waits for a certificate).
  migrations: { 1: ({ cert: _cert, key: _key, ...rest }: Record<string, unknown>) => rest },
};

export function readMuxServiceSettings(docs: DocumentStore): Promise<StoredMuxServiceSettings | undefined> {
  return docs.read(MUX_SERVICE_DOC, MUX_SERVICE_SPEC);
}

export function saveMuxServiceSettings(docs: DocumentStore, settings: z.input<typeof storedMuxServiceSettingsSchema>): Promise<StoredMuxServiceSettings> {
  return docs.write(MUX_SERVICE_DOC, MUX_SERVICE_SPEC, storedMuxServiceSettingsSchema.parse(settings));
}

/** The `linekeeper mux` command line the service runs for these settings. */
export function muxArguments(settings: StoredMuxServiceSettings, dataDir: string): string[] {
  const pbxHost = settings.pbxHost.includes(':') ? `[${settings.pbxHost}]` : settings.pbxHost;
  const args = ['--pbx', `${pbxHost}:${settings.pbxPort}`, '--tcp-port', String(settings.tcpPort), '--bind', settings.bind, '--data-dir', dataDir];
  if (settings.requireLogin) args.push('--require-login');
  if (settings.tlsPort !== undefined && settings.certFile) {
    args.push('--tls-port', String(settings.tlsPort), '--cert', join(servicesFilesDir(dataDir), settings.certFile));
    if (settings.keyFile) args.push('--key', join(servicesFilesDir(dataDir), settings.keyFile));
  }
  return args;
}

/** The uaCSTA server service's settings as stored, beside the multiplexer's; certificate and key as main named them. */
export const storedUacstaServiceSettingsSchema = uacstaServiceSettingsBase.extend({
  certFile: z.literal(UACSTA_TLS_FILES.cert).optional(),
  keyFile: z.literal(UACSTA_TLS_FILES.key).optional(),
});
export type StoredUacstaServiceSettings = z.output<typeof storedUacstaServiceSettingsSchema>;

export const UACSTA_SERVICE_DOC = 'service-uacsta';
export const UACSTA_SERVICE_SPEC: DocumentSpec<StoredUacstaServiceSettings> = {
  kind: 'service-uacsta',
  version: 1,
  schema: storedUacstaServiceSettingsSchema,
  migrations: {},
};

export function readUacstaServiceSettings(docs: DocumentStore): Promise<StoredUacstaServiceSettings | undefined> {
  return docs.read(UACSTA_SERVICE_DOC, UACSTA_SERVICE_SPEC);
}

export function saveUacstaServiceSettings(docs: DocumentStore, settings: z.input<typeof storedUacstaServiceSettingsSchema>): Promise<StoredUacstaServiceSettings> {
  return docs.write(UACSTA_SERVICE_DOC, UACSTA_SERVICE_SPEC, storedUacstaServiceSettingsSchema.parse(settings));
}

/**
 * The `linekeeper uacsta` command line the service runs for these settings. The passwords are not on it: the
 * command reads them from the data directory's secret store, where the console saved them. TLS ports wait for a
 * certificate (the caller says so).
 */
export function uacstaArguments(settings: StoredUacstaServiceSettings, dataDir: string): string[] {
  const args = ['--phone-tcp', String(settings.phonePort), '--bind', settings.bind, '--data-dir', dataDir];
  if (settings.clientPort !== undefined) args.push('--client-tcp', String(settings.clientPort));
  const tls = settings.certFile && settings.keyFile && (settings.phoneTlsPort !== undefined || settings.clientTlsPort !== undefined);
  if (tls) {
    if (settings.phoneTlsPort !== undefined) args.push('--phone-tls', String(settings.phoneTlsPort));
    if (settings.clientTlsPort !== undefined && settings.clientPort !== undefined) args.push('--client-tls', String(settings.clientTlsPort));
    args.push('--cert', join(servicesFilesDir(dataDir), settings.certFile!), '--key', join(servicesFilesDir(dataDir), settings.keyFile!));
  }
  if (settings.autoActivate) args.push('--auto-activate');
  if (settings.notifyVendors.length > 0) args.push('--notify-vendors', settings.notifyVendors.join(','));
  return args;
}
