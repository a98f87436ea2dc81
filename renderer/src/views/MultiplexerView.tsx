import { useTranslation } from 'react-i18next';
import { Page } from '../components/Page';

export function MultiplexerView() {
  const { t } = useTranslation();
  return <Page title={t('multiplexer.title')} intro={t('multiplexer.intro')} />;
}
