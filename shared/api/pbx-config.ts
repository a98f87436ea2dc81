import { z } from 'zod';
import { method } from './define';

/** One thing a helper can configure on the PBX (an extension), and whether it is configured already. */
export interface ConfigChoice {
  id: string;
  label: string;
  on: boolean;
}

const ref = { instanceId: z.string().min(1), helper: z.string().min(1).max(40) };
/** The helper's options; its spec's schema (shared/families) checks them. */
const options = z.record(z.string(), z.unknown());

export const pbxConfigMethods = {
  /** What the helper can configure, read from the PBX with the instance's saved connection. */
  'pbxConfig.choices': method<{ choices: ConfigChoice[] }>()(z.object(ref).strict()),
  /** The configuration lines for the options, and the text to paste into the PBX's console. */
  'pbxConfig.commands': method<{ lines: string[]; text: string; applies: boolean }>()(z.object({ ...ref, options }).strict()),
  /**
   * Applies the lines to the PBX after the admin saw and confirmed them. A line the PBX refuses ends it with
   * PBX_CONFIG_LINE_FAILED (details: line, command, error; the lines before it stay applied).
   */
  'pbxConfig.apply': method<{ applied: number }>()(z.object({ ...ref, options, confirmed: z.literal(true) }).strict()),
};
