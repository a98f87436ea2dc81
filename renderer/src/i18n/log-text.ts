import type { LogEntry } from '../../../shared/api/app';
import { codedProblem, problemText, type Problem } from './problems';

type Translate = (key: string, params?: Record<string, unknown>) => string;

/**
 * A `failure` fact in the admin's language: a driver's failure (CONNECT_REFUSED …) as the sentence on what to
 * check; a protocol or socket cause (SIP_*, CSTA_*, ECONNRESET …) as its sentence from the causes catalogue.
 */
export function failureText(t: Translate, exists: (key: string) => boolean, code: string): string {
  if (exists(`causes.${code}`)) return t(`causes.${code}`);
  if (exists(`problems.cause.${code}`)) return t(`problems.cause.${code}`);
  return t('causes.other', { code });
}

/**
 * A log entry in the admin's language: a coded entry by its code (a failure by its cause's sentence); an entry
 * main wrote only in English stays English. Pure, so tests word entries exactly as the console does.
 */
export function logEntryText(t: Translate, exists: (key: string) => boolean, e: LogEntry): string {
  // A sentence with a count exists as its plural forms only (code_one, code_other).
  if (!e.code || !(exists(`problems.${e.code}`) || exists(`problems.${e.code}_other`))) return e.message;
  const problem: Problem = codedProblem({ code: e.code, params: e.params, message: e.message });
  const failure = e.params?.failure;
  if (typeof failure === 'string') problem.params = { ...problem.params, failure: { key: '', text: failureText(t, exists, failure) } };
  // An API error's code (NOT_FOUND, PBX_BUSY …): its cause sentence or the API's own words where there are some,
  // else the code as it is.
  const errorCode = e.params?.errorCode;
  if (typeof errorCode === 'string') {
    const key = [`causes.${errorCode}`, `problems.cause.${errorCode}`, `problems.apiErrors.${errorCode}`].find(exists);
    problem.params = { ...problem.params, errorCode: { key: '', text: key ? t(key) : errorCode } };
  }
  return problemText(t, exists, problem);
}
