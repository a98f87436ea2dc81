import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, type Language } from '../i18n';
import { api } from '../api';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language-switch">
      <span>{t('settings.language')}</span>
      <select
        value={i18n.language}
        onChange={(e) => {
          const lang = e.target.value as Language;
          void setLanguage(lang);
          // Also stored in main, so the desktop app and the CLI start in the chosen language.
          api().call('settings.update', { language: lang }).catch(() => undefined);
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l}>
            {t(`languages.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
