import { useTranslation } from 'react-i18next';
import { problemText, type Problem } from './problems';
import type { Coded } from '../../../shared/problems';

/** Problem text in the current language; re-renders on a language change like any `t` user. */
export function useProblemText(): (p: Problem | Coded | string) => string {
  const { t, i18n } = useTranslation();
  return (p) => problemText((key, params) => t(key, params ?? {}) as string, (key) => i18n.exists(key), p);
}
