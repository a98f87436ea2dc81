// Access profiles the admin added to a family's built-in ones (BroadWorks providers) with a profile file: one
// small config document for all families. A file is taken whole or not at all; the family's spec reads and writes
// its format, so nothing here names a family.
import { z } from 'zod';
import { ApiFailure, ErrorCodes } from '../../../shared/api/errors';
import { familySpec, type AccessProfile, type FamilyCatalogue, type ProfilesSpec } from '../../../shared/families';
import type { DocumentSpec, DocumentStore } from '../../store';

const profileSchema = z.object({ id: z.string(), label: z.string(), fields: z.record(z.string(), z.union([z.string(), z.number()])) });
const documentSchema = z.object({ families: z.record(z.string(), z.array(profileSchema)).default({}) });
type ProfilesDocument = z.output<typeof documentSchema>;
export const PROFILES_DOCUMENT = 'access-profiles';
const SPEC: DocumentSpec<ProfilesDocument> = { kind: 'access-profiles', version: 1, schema: documentSchema };

/** The profiles added for a family (none when the document does not exist yet). */
export async function addedProfiles(docs: DocumentStore, family: string): Promise<AccessProfile[]> {
  return (await docs.read(PROFILES_DOCUMENT, SPEC))?.families[family] ?? [];
}

export interface ProfileList {
  builtIn: AccessProfile[];
  added: AccessProfile[];
}

export class ProfileStore {
  constructor(
    private readonly docs: DocumentStore,
    private readonly families: FamilyCatalogue,
  ) {}

  private specOf(family: string): ProfilesSpec {
    const p = familySpec(family, this.families).profiles;
    if (!p) throw new ApiFailure(ErrorCodes.invalidInput, `the family "${family}" has no access profiles`, { family });
    return p;
  }

  async list(family: string): Promise<ProfileList> {
    const spec = this.specOf(family);
    return { builtIn: [...spec.builtIn], added: await addedProfiles(this.docs, family) };
  }

  /**
   * Reads a profile file and adds its profiles (one with the ID of an added profile replaces it). Any problem in
   * the file refuses all of it, naming each problem's line; nothing is stored then.
   */
  async import(family: string, fileName: string, text: string): Promise<ProfileList & { imported: string[]; replaced: string[] }> {
    const spec = this.specOf(family);
    const { profiles, problems } = spec.parse(text);
    if (problems.length) {
      throw new ApiFailure('PROFILES_INVALID', `${fileName} was not imported: ${problems.length === 1 ? problems[0].message : `${problems.length} problems, the first: ${problems[0].message}`}`, { fileName, problems: problems.slice(0, 100) });
    }
    const replaced: string[] = [];
    const saved = await this.docs.update(PROFILES_DOCUMENT, SPEC, (cur) => {
      const all = { ...(cur?.families ?? {}) };
      const list = [...(all[family] ?? [])];
      for (const p of profiles) {
        const at = list.findIndex((x) => x.id === p.id);
        if (at >= 0) (list[at] = p), replaced.push(p.id);
        else list.push(p);
      }
      all[family] = list;
      return { families: all };
    });
    return { builtIn: [...spec.builtIn], added: saved.families[family] ?? [], imported: profiles.map((p) => p.id), replaced };
  }

  /** Every profile of the family, built in and added, as a profile file (which imports again unchanged). */
  async export(family: string): Promise<{ fileName: string; text: string }> {
    const spec = this.specOf(family);
    return { fileName: spec.fileName, text: spec.format([...spec.builtIn, ...(await addedProfiles(this.docs, family))]) };
  }
}
