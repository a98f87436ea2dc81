import { useTranslation } from 'react-i18next';
import { Page } from '../components/Page';

export function InstancesView() {
  const { t } = useTranslation();
  return (
    <Page title={t('instances.title')} intro={t('instances.intro')}>
      <p className="empty">{t('instances.empty')}</p>
    </Page>
  );
}
