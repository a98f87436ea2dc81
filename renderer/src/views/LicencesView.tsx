import { useTranslation } from 'react-i18next';
import { Page } from '../components/Page';

export function LicencesView() {
  const { t } = useTranslation();
  return <Page title={t('licences.title')} intro={t('licences.intro')} />;
}
