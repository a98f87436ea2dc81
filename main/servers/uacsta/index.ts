// Public face of the uaCSTA server for SIP phones: the phone interface, the client interface, and where their
// passwords live in the secret store.
import type { SecretStore } from '../../store';

export { ClientInterface, type ClientInterfaceOptions } from './client-interface';
export { checkCertificate } from './certificate';
export { FEATURE_TABLES, featuresOf, type FeatureRow } from './features';
export { CONNECTION_SETTINGS, DEFAULT_UACSTA_SETTINGS, UACSTA_LICENCE_INSTANCE, UacstaServer, type LicenceUsage, type PhoneView, type ServerState, type ServerStatus, type UacstaDiagnostics, type UacstaInterfaceSettings, type UacstaServerOptions, type UacstaSettings } from './server';
export { PhoneListFileError, readPhoneList, writePhoneList } from './phone-list-file';
export { PhoneInterface, UacstaError, userOf, vendorOf, type CstaErrorNote, type DialogState, type PhoneInterfaceOptions, type PhoneRecord, type WanInterface, type PhoneStatus, type PhoneVendorName } from './phone-interface';

import { UACSTA_CLIENT_PASSWORD_SECRET, UACSTA_CLIENT_USER_SECRET, UACSTA_PHONE_PASSWORD_SECRET } from './secrets';

export { UACSTA_CLIENT_PASSWORD_SECRET, UACSTA_CLIENT_USER_SECRET, UACSTA_PHONE_PASSWORD_SECRET } from './secrets';
export { UacstaService, UacstaServiceError, type UacstaServiceOptions } from './service';
export { ProvisioningError } from './provisioning/web-clients';

export interface UacstaLogins {
  phonePassword?: string;
  client?: { user: string; password: string };
}

/** Stores the passwords given (as the console would) and returns what the store holds afterwards. */
export async function uacstaLogins(secrets: SecretStore, given: UacstaLogins = {}): Promise<UacstaLogins> {
  if (given.phonePassword !== undefined) await secrets.set(UACSTA_PHONE_PASSWORD_SECRET, given.phonePassword);
  if (given.client) {
    await secrets.set(UACSTA_CLIENT_USER_SECRET, given.client.user);
    await secrets.set(UACSTA_CLIENT_PASSWORD_SECRET, given.client.password);
  }
  const phonePassword = await secrets.get(UACSTA_PHONE_PASSWORD_SECRET);
  const user = await secrets.get(UACSTA_CLIENT_USER_SECRET);
  const password = await secrets.get(UACSTA_CLIENT_PASSWORD_SECRET);
  return { phonePassword, client: user !== undefined && password !== undefined ? { user, password } : undefined };
}
