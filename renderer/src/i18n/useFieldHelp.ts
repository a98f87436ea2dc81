import { useTranslation } from 'react-i18next';

/**
 * The short help under a setting, from what the manuals say about it: the family's own text (`help.<family>.<key>`)
 * or the one all families share (`help.common.<key>`); null when there is none.
 */
export function useFieldHelp(family: string): (key: string) => string | null {
  const { t, i18n } = useTranslation();
  return (key) => {
    for (const k of [`help.${family}.${key}`, `help.common.${key}`]) if (i18n.exists(k)) return t(k);
    return null;
  };
}
