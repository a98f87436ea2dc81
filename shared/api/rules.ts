import { z } from 'zod';
import type { Coded } from '../problems';
import { event, method } from './define';
import { locationSchema, numberFormatSchema, numberRuleSchema, RULE_LISTS, sipFilterSchema, type NumberFormat, type RuleListName } from '../model/rules';

/** A lint finding or check warning, tied to a rule (1-based index in its list) when it concerns one. */
export interface RuleIssue {
  rule: number | null;
  list?: RuleListName;
  /** PATTERN_INVALID, GROUP_MISSING, UNANCHORED_START, UNANCHORED_END, SHADOWED, SUPPRESSES, MATCHES_EMPTY,
   *  DIALECT_ESCAPE, DIALECT_BRACE, BACKTRACKING, REPLACE_BACKSLASH, TEXT_LITERAL_GROUP, TEXT_NEVER_MATCHES, PARTIAL_MATCH, EMPTY_OUTPUT */
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Which field the offset refers to. */
  field?: 'search' | 'replace';
  /** 0-based offset and length in that field, for underlining. */
  offset?: number;
  length?: number;
  hint?: string;
  /** Facts of the finding where it is worded from a code of its own (`sip.invalidPattern`: rule, pattern, detail). */
  params?: Coded['params'];
}

export interface Span {
  start: number;
  end: number;
  text: string;
}

/** One rule as tried during a check. */
export interface RuleStep {
  rule: number;
  mode: 'regex' | 'text';
  search: string;
  replace: string;
  result: 'matched' | 'no-match' | 'disabled' | 'invalid' | 'not-tried';
  /** For a regex match: the span of the whole match in the normalised number. */
  match?: Span;
  /** Groups 1..n of a regex match; null for a group that took no part. */
  groups?: Array<Span | null>;
  output?: string;
}

export type CheckOutcome = 'rewritten' | 'suppressed' | 'unchanged';

/** The full answer to "what does this list make of this number", ready for the UI. */
export interface CheckTrace {
  input: string;
  /** The number after removing everything except + * # 0-9 (the rules see this). */
  normalised: string;
  output: string;
  outcome: CheckOutcome;
  /** A rule matched and produced an empty output: the number is suppressed (not the same as an empty input). */
  suppressed: boolean;
  emptyInput: boolean;
  /** 1-based index of the winning rule, or null. */
  rule: number | null;
  /** Group texts 1..n of the winning regex rule (null = group took no part). */
  groups: Array<string | null>;
  steps: RuleStep[];
  /** Lint of the list plus warnings about this particular check (PARTIAL_MATCH). */
  warnings: RuleIssue[];
  /**
   * The location's step before the rules, when a location in use was given: the reported number made canonical
   * (incoming, outgoing), or a canonical number made dialable (dialing). `input` above is then its output.
   */
  location?: LocationStep;
}

/** How the location read a number: an extension, an outside number of our area, country or abroad, a number already canonical, or a short code left alone. */
export const NUMBER_KINDS = ['internal', 'local', 'national', 'international', 'canonical', 'special'] as const;
export type NumberKind = (typeof NUMBER_KINDS)[number];
export interface LocationStep {
  input: string;
  output: string;
  kind: NumberKind;
}

export interface BulkRow {
  input: string;
  normalised: string;
  output: string;
  outcome: CheckOutcome;
  rule: number | null;
  expected?: string;
  pass?: boolean;
}

export interface BulkResult {
  rows: BulkRow[];
  counts: { rewritten: number; suppressed: number; unchanged: number; passed: number; failed: number };
  warnings: RuleIssue[];
}

export interface RuleTestResult {
  list: RuleListName;
  /** 1-based index of the test in its list. */
  test: number;
  input: string;
  expected: string;
  actual: string;
  outcome: CheckOutcome;
  rule: number | null;
  pass: boolean;
}

export interface RuleTestReport {
  passed: number;
  failed: number;
  results: RuleTestResult[];
  warnings: RuleIssue[];
}

export interface PatternErrorInfo {
  code: string;
  driverText: string;
  message: string;
  offset: number;
  length: number;
  hint?: string;
}

export interface PatternValidation {
  valid: boolean;
  groupCount: number;
  error?: PatternErrorInfo;
  warnings: RuleIssue[];
}

export interface SipCheckResult {
  sip: boolean;
  /** 1-based index of the first rule that matched, or null. */
  rule: number | null;
  kind?: string;
  pattern?: string;
  /** Which field matched and where (for regex and contains rules alike). */
  field?: 'name' | 'number';
  match?: Span;
  /** Rules skipped because their pattern is invalid. */
  errors: RuleIssue[];
}

export interface CanonicalParts {
  country: string;
  area: string;
  /** The subscriber part before the extension (the PBX base number), or the whole subscriber number. */
  local: string;
  extension: string | null;
  /** The one form we write: `+49(89)1234-100`, or `+49(89)1234100` without a known extension. */
  canonical: string;
}

export interface LocationFormatRow {
  extension: string;
  canonical: string | null;
  display: string;
  internal: boolean;
  error?: string;
}

export interface LocationProblem extends Coded {
  field: 'ranges' | 'location';
  offset: number;
  length: number;
}

/** Longest search pattern a check accepts. */
export const MAX_PATTERN = 2000;

const ruleSource = z
  .object({
    rules: z.array(numberRuleSchema).max(1000).optional(),
    format: numberFormatSchema.optional(),
    list: z.enum(RULE_LISTS).optional(),
    /** Strip everything except + * # 0-9 before the rules (the driver does); default true. */
    normalise: z.boolean().default(true),
  })
  .refine((v) => v.rules !== undefined || (v.format !== undefined && v.list !== undefined), {
    message: 'give either rules, or format and list',
  })
  // Matching costs pattern length × number length; real patterns are far shorter than this.
  .refine((v) => (v.rules ?? (v.format && v.list ? v.format[v.list] : [])).every((r) => r.search.length <= MAX_PATTERN), {
    message: `a search pattern is longer than ${MAX_PATTERN} characters`,
  });

const numberText = z.string().max(10_000);

export const rulesMethods = {
  /** With `location` (and `list`, or `format` and `list`): the location's canonical step runs before the rules, as on a live line. */
  'rules.check': method<CheckTrace>()(z.intersection(ruleSource, z.object({ input: numberText, location: locationSchema.optional() }))),
  'rules.checkBulk': method<BulkResult>()(
    z.intersection(
      ruleSource,
      z.object({
        inputs: z.array(numberText).max(100_000).optional(),
        /** Pasted text: one number per line, optionally `number,expected`. */
        text: z.string().max(2_000_000).optional(),
      }),
    ),
  ),
  'rules.runTests': method<RuleTestReport>()(
    z.object({ format: numberFormatSchema, list: z.enum(RULE_LISTS).optional(), normalise: z.boolean().default(true) }).strict(),
  ),
  'rules.lint': method<RuleIssue[]>()(z.object({ rules: z.array(numberRuleSchema).max(1000), normalise: z.boolean().default(true) }).strict()),
  'rules.validatePattern': method<PatternValidation>()(z.object({ pattern: z.string().max(MAX_PATTERN) }).strict()),
  'rules.import': method<{ format: NumberFormat; warnings: RuleIssue[] }>()(z.object({ text: z.string().max(5_000_000) }).strict()),
  'rules.export': method<{ text: string }>()(z.object({ format: numberFormatSchema }).strict()),
  'sipfilter.check': method<SipCheckResult>()(
    z
      .object({ filter: sipFilterSchema, name: z.string().max(10_000).default(''), number: z.string().max(10_000).default('') })
      .strict()
      .refine((v) => v.filter.rules.every((r) => r.pattern.length <= MAX_PATTERN), { message: `a filter pattern is longer than ${MAX_PATTERN} characters` }),
  ),
  'location.format': method<LocationFormatRow[]>()(
    z.object({ location: locationSchema, extensions: z.array(z.string().max(64)).max(100_000) }).strict(),
  ),
  'location.parse': method<CanonicalParts>()(z.object({ text: z.string().max(200), location: locationSchema.optional() }).strict()),
  'location.validate': method<LocationProblem[]>()(z.object({ location: locationSchema }).strict()),
};

export const rulesEvents = {} satisfies Record<string, ReturnType<typeof event>>;
