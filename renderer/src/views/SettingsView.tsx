import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LogLevelSelect } from '../components/LogLevelSelect';
import { Page } from '../components/Page';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { LogList } from '../components/LogList';
import { BackupCard } from '../components/BackupCard';
import { ProfilesCards } from '../components/ProfilesCard';
import { LogFolder } from '../components/LogFolder';
import { DamagedInstances } from '../components/DamagedInstances';
import { useLog } from '../store/log';
import { useSession } from '../store/session';

export function SettingsView() {
  const { t } = useTranslation();
  const settings = useLog((s) => s.settings);
  const load = useLog((s) => s.load);
  const configure = useLog((s) => s.configure);
  const deleteOld = useLog((s) => s.deleteOld);
  const dataDir = useSession((s) => s.info?.dataDir);
  const [message, setMessage] = useState('');

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Page title={t('settings.title')}>
      <div className="card form-grid">
        <LanguageSwitch />
        <LogLevelSelect value={settings?.level ?? 'info'} onChange={(level) => void configure({ level })} />
        <label>
          <span>{t('settings.keepDays')}</span>
          <input
            type="number"
            min={0}
            max={3650}
            value={settings?.keepDays ?? 30}
            onChange={(e) => {
              const n = Number(e.target.value);
              if (Number.isInteger(n) && n >= 0 && n <= 3650) void configure({ keepDays: n });
            }}
          />
        </label>
        <LogFolder settings={settings} />
        <div className="field">
          <span>{t('settings.theme')}</span>
          <span>{t('settings.themeOs')}</span>
        </div>
        <div className="field">
          <span>{t('settings.dataDir')}</span>
          <code>{dataDir}</code>
        </div>
        <div>
          <button type="button" onClick={async () => setMessage(t('settings.deleted', { count: await deleteOld() }))}>
            {t('settings.deleteOld')}
          </button>
          <span role="status" className="hint">
            {message}
          </span>
        </div>
      </div>
      <BackupCard />
      <ProfilesCards />
      <DamagedInstances />
      <LogList />
    </Page>
  );
}
