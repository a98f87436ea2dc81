import { z } from 'zod';
import type { AccessProfile } from '../families/spec';
import { FAMILIES } from '../model/instance';
import { method } from './define';

/** A family's access profiles: the built-in ones and those the admin added with a profile file. */
export interface ProfileList {
  builtIn: AccessProfile[];
  added: AccessProfile[];
}

const family = z.enum(FAMILIES);

export const profilesMethods = {
  'profiles.list': method<ProfileList>()(z.object({ family }).strict()),
  /**
   * Adds the profiles of a profile file (one with an added profile's ID replaces it), all or nothing: a file with
   * problems fails with PROFILES_INVALID, `details.problems` naming each problem's line, and nothing is stored.
   */
  'profiles.import': method<ProfileList & { imported: string[]; replaced: string[] }>()(z.object({ family, fileName: z.string().trim().min(1).max(260), text: z.string().max(1_000_000, 'a profile file is at most 1 MB') }).strict()),
  /** Every profile of the family as a profile file. */
  'profiles.export': method<{ fileName: string; text: string }>()(z.object({ family }).strict()),
};
