import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Page } from '../components/Page';
import { InstanceList } from '../components/instances/InstanceList';
import { InstanceDetail } from '../components/instances/InstanceDetail';
import { AddInstanceWizard } from '../components/wizard/AddInstanceWizard';
import { DamagedInstances } from '../components/DamagedInstances';
import { useInstances } from '../store/instances';

export function InstancesView() {
  const { t } = useTranslation();
  const load = useInstances((s) => s.load);
  const details = useInstances((s) => s.details);
  const wizard = useInstances((s) => s.wizard);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <Page title={t('instances.title')} intro={t('instances.intro')}>
      <DamagedInstances />
      <div className="instances-layout">
        <InstanceList />
        <div className="instance-main">{wizard ? <AddInstanceWizard /> : details ? <InstanceDetail key={details.id} details={details} /> : <p className="empty">{t('instances.choose')}</p>}</div>
      </div>
    </Page>
  );
}
