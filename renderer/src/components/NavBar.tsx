import { useTranslation } from 'react-i18next';
import { useUi, VIEWS } from '../store/ui';

export function NavBar() {
  const { t } = useTranslation();
  const view = useUi((s) => s.view);
  const setView = useUi((s) => s.setView);
  return (
    <nav className="sidebar" aria-label={t('nav.label')}>
      <ul>
        {VIEWS.map((v) => (
          <li key={v}>
            <a
              href={`#/${v}`}
              aria-current={v === view ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                setView(v);
              }}
            >
              {t(`nav.${v}`)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
