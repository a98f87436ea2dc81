import type { Handlers } from '../registry';
import type { Services } from '../../app/services';
import { ApiFailure, ErrorCodes } from '../../../shared/api/errors';
import { RULE_LISTS, type Location, type NumberRule, type RuleListName } from '../../../shared/model/rules';
import type { LocationStep, RuleIssue } from '../../../shared/api/rules';
import {
  checkBulkWithin,
  checkNumberWithin,
  exportRuleFile,
  parseBulkText,
  addPiece,
  emptyEstimate,
  enforceLimits,
  lintWithin,
  MAX_STEP_WORK,
  parseRuleFile,
  RulesWorkError,
  runRuleTestsWithin,
  validatePattern,
} from '../../engine/rules';
import { checkSipLine, compileSipFilter } from '../../engine/sip-filter';
import { CanonicalParseError, formatExtensions, LocationError, locationStep, parseCanonical, parseLocationPrefix, resolveLocation, validateLocation } from '../../engine/location';

/** The location's step before a rule list, as the runtime takes it (null when no location is in use). */
function locationStepOf(location: Location, list: RuleListName, number: string): LocationStep | null {
  try {
    return locationStep(resolveLocation(location), list, number);
  } catch (e) {
    if (e instanceof LocationError) throw new ApiFailure('LOCATION_INVALID', e.message, e.problems);
    if (e instanceof CanonicalParseError) throw new ApiFailure('NUMBER_NOT_CANONICAL', e.message, { text: number });
    throw e;
  }
}

type RulesHandlers = Pick<
  Handlers,
  | 'rules.check'
  | 'rules.checkBulk'
  | 'rules.runTests'
  | 'rules.lint'
  | 'rules.validatePattern'
  | 'rules.import'
  | 'rules.export'
  | 'sipfilter.check'
  | 'location.format'
  | 'location.parse'
  | 'location.validate'
>;

/** The rule list a check runs against: given directly, or one list of a whole number format. */
function pickRules(input: { rules?: NumberRule[]; format?: { incoming: NumberRule[]; outgoing: NumberRule[]; dialing: NumberRule[] }; list?: 'incoming' | 'outgoing' | 'dialing' }): NumberRule[] {
  if (input.rules) return input.rules;
  return input.format![input.list!];
}

/** A check refused for its size crosses the API as its code, with the work and the limit as details. */
async function withinLimits<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof RulesWorkError) throw new ApiFailure(e.code, e.message, e.params);
    throw e;
  }
}

/** Stateless: every call brings its rules, so the console can check what the admin is still typing. */
export function rulesHandlers(_s: Services): RulesHandlers {
  return {
    'rules.check': async (input) => {
      const step = input.location && input.list ? locationStepOf(input.location, input.list, input.input) : null;
      const trace = await withinLimits(() => checkNumberWithin(pickRules(input), step ? step.output : input.input, { normalise: input.normalise }));
      return step ? { ...trace, location: step } : trace;
    },
    'rules.checkBulk': (input) => {
      if (input.inputs === undefined && input.text === undefined) throw new ApiFailure(ErrorCodes.invalidInput, 'give the numbers to check as inputs or as pasted text');
      const rows = [...(input.inputs ?? []).map((n) => ({ input: n })), ...(input.text !== undefined ? parseBulkText(input.text) : [])];
      return withinLimits(() => checkBulkWithin(pickRules(input), rows, { normalise: input.normalise }));
    },
    'rules.runTests': ({ format, list, normalise }) => withinLimits(() => runRuleTestsWithin(format, { list, normalise })),
    'rules.lint': ({ rules, normalise }) => withinLimits(() => lintWithin(rules, { normalise })),
    'rules.validatePattern': ({ pattern }) => validatePattern(pattern),
    'rules.import': async ({ text }) => {
      const r = parseRuleFile(text);
      if (!r.ok) throw new ApiFailure('RULE_FILE_INVALID', r.errors.map((e) => e.message).join('; '), r.errors);
      const warnings: RuleIssue[] = [];
      for (const list of RULE_LISTS) warnings.push(...(await withinLimits(() => lintWithin(r.format[list]))).map((w) => ({ ...w, list })));
      return { format: r.format, warnings };
    },
    'rules.export': ({ format }) => ({ text: exportRuleFile(format) }),
    'sipfilter.check': ({ filter, name, number }) => {
      const compiled = compileSipFilter(filter);
      // One line is checked at once, without slices, so the whole call is held to what one piece may take.
      const estimate = emptyEstimate();
      for (const { index, rule, pattern } of compiled.rules) {
        const text = rule.kind === 'nameRegex' ? name : number;
        if (pattern) addPiece(estimate, pattern.program.op.length * (text.length + 1), index);
      }
      return withinLimits(async () => {
        enforceLimits(estimate, { maxWork: MAX_STEP_WORK, maxStep: MAX_STEP_WORK, slice: MAX_STEP_WORK });
        return checkSipLine(compiled, { name, number });
      });
    },
    'location.format': ({ location, extensions }) => {
      try {
        return formatExtensions(resolveLocation(location), extensions);
      } catch (e) {
        if (e instanceof LocationError) throw new ApiFailure('LOCATION_INVALID', e.message, e.problems);
        throw e;
      }
    },
    'location.parse': ({ text, location }) => {
      let prefix;
      if (location && location.location.trim()) {
        const p = parseLocationPrefix(location.location);
        if (!p.ok) throw new ApiFailure('LOCATION_INVALID', p.problem.message, [p.problem]);
        prefix = p.prefix;
      }
      try {
        return parseCanonical(text, prefix);
      } catch (e) {
        if (e instanceof CanonicalParseError) throw new ApiFailure('NUMBER_NOT_CANONICAL', e.message, { text });
        throw e;
      }
    },
    'location.validate': ({ location }) => validateLocation(location),
  };
}
