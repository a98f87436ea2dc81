import { z } from 'zod';

/**
 * Number-format rules, SIP-line filter and location as stored with each driver instance and in rule files.
 * The rule engine (main/engine/rules) gives them meaning; these schemas are the stored/exchanged shape.
 */

export const RULE_LISTS = ['incoming', 'outgoing', 'dialing'] as const;
export type RuleListName = (typeof RULE_LISTS)[number];

export const numberRuleSchema = z.object({
  enabled: z.boolean().default(true),
  /** `regex`: the documented expression dialect; `text`: the whole number equals `search`. */
  mode: z.enum(['regex', 'text']).default('regex'),
  search: z.string(),
  replace: z.string(),
  note: z.string().optional(),
});
export type NumberRule = z.output<typeof numberRuleSchema>;

/** A stored test case: this input must produce this output (empty output = suppressed). */
export const ruleTestSchema = z.object({ input: z.string(), expected: z.string() });
export type RuleTest = z.output<typeof ruleTestSchema>;

export const ruleListSchema = z.array(numberRuleSchema);

export const numberFormatSchema = z.object({
  incoming: ruleListSchema.default([]),
  outgoing: ruleListSchema.default([]),
  dialing: ruleListSchema.default([]),
  tests: z
    .object({
      incoming: z.array(ruleTestSchema).default([]),
      outgoing: z.array(ruleTestSchema).default([]),
      dialing: z.array(ruleTestSchema).default([]),
    })
    .default({ incoming: [], outgoing: [], dialing: [] }),
});
export type NumberFormat = z.output<typeof numberFormatSchema>;

export const SIP_RULE_KINDS = ['nameContains', 'numberContains', 'nameRegex', 'numberRegex'] as const;
export const sipFilterRuleSchema = z.object({
  kind: z.enum(SIP_RULE_KINDS),
  pattern: z.string().min(1),
});
export const sipFilterSchema = z.object({
  /** `none`: every line is taken; `rules`: a line any rule matches is a SIP line and left out. */
  mode: z.enum(['none', 'rules']).default('none'),
  rules: z.array(sipFilterRuleSchema).default([]),
});
export type SipFilter = z.output<typeof sipFilterSchema>;
export type SipFilterRule = z.output<typeof sipFilterRuleSchema>;

/** A short prefix the PBX or the network wants dialed: digits, * and #, possibly none. */
const dialPrefix = z.string().trim().regex(/^[0-9*#]{0,6}$/, 'up to 6 digits, * or #');

export const locationSchema = z.object({
  /** Extension ranges as typed by the admin: `100-199, 2000-2099, 300`. */
  ranges: z.string().default(''),
  useLocation: z.boolean().default(false),
  /** Location as `country(area)local`, e.g. `49(89)1234`. */
  location: z.string().default(''),
  /** How line numbers are shown: as the internal extension or as the canonical number. */
  display: z.enum(['internal', 'canonical']).default('internal'),
  /** Dialed before an outside number (the PBX's trunk access code, `0` on most Panasonic systems). */
  accessCode: dialPrefix.default('0'),
  /** Dialed before an area code of the own country, and before a country code (German `0` and `00`). */
  nationalPrefix: dialPrefix.default('0'),
  internationalPrefix: dialPrefix.default('00'),
});
export type Location = z.output<typeof locationSchema>;
