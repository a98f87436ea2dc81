import { useTranslation } from 'react-i18next';

/** A driver's failure code (CONNECT_REFUSED, LOGIN_REJECTED …) as one translated sentence on what to check. */
export function useCauseText(): (code: string) => string {
  const { t, i18n } = useTranslation();
  return (code) => (i18n.exists(`causes.${code}`) ? t(`causes.${code}`) : t('causes.other', { code }));
}
