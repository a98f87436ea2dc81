import { useTranslation } from 'react-i18next';
import type { LogEntry } from '../../../shared/api/app';
import { codedProblem, type Problem } from './problems';
import { useCauseText } from './useCauseText';
import { useProblemText } from './useProblemText';

/**
 * A log entry in the admin's language: a coded entry by its code (the instance by name, a failure by its
 * cause's sentence); an entry main wrote only in English stays English. The source in words too.
 */
export function useLogText(): { text(e: LogEntry): string; source(e: LogEntry): string } {
  const { t, i18n } = useTranslation();
  const say = useProblemText();
  const cause = useCauseText();
  return {
    text(e) {
      if (!e.code || !i18n.exists(`problems.${e.code}`)) return e.message;
      const problem: Problem = codedProblem({ code: e.code, params: e.params, message: e.message });
      const failure = e.params?.failure;
      if (typeof failure === 'string') problem.params = { ...problem.params, failure: { key: '', text: cause(failure) } };
      return say(problem);
    },
    source: (e) => (i18n.exists(`logSources.${e.source}`) ? t(`logSources.${e.source}`) : e.source),
  };
}
