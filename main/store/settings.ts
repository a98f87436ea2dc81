import { globalSettingsSchema, type GlobalSettings } from '../../shared/model/settings';
import type { DocumentSpec, DocumentStore } from './document-store';

export const SETTINGS_DOC = 'settings';
export const SETTINGS_SPEC: DocumentSpec<GlobalSettings> = { kind: 'settings', version: 1, schema: globalSettingsSchema };

/** The global settings, defaults when never saved. */
export async function readSettings(docs: DocumentStore): Promise<GlobalSettings> {
  return (await docs.read(SETTINGS_DOC, SETTINGS_SPEC)) ?? globalSettingsSchema.parse({});
}

/** Merges the given fields into the saved settings; invalid values throw DOCUMENT_INVALID naming the field. */
export function updateSettings(docs: DocumentStore, patch: Partial<GlobalSettings>): Promise<GlobalSettings> {
  return docs.update(SETTINGS_DOC, SETTINGS_SPEC, (cur) => ({ ...(cur ?? globalSettingsSchema.parse({})), ...patch }));
}
