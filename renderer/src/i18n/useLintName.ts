import { useTranslation } from 'react-i18next';

/** A lint code as a short word or two in the user's language ("Never fires", "Greift nie"), never the code. */
export function useLintName(): (code: string) => string {
  const { t, i18n } = useTranslation();
  return (code) => (i18n.exists(`rules.lintNames.${code}`) ? t(`rules.lintNames.${code}`) : t('rules.lintNames.other'));
}
