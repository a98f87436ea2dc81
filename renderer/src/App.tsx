import { useEffect, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from './store/session';
import { hasUnsaved, useInstances } from './store/instances';
import { useUi, type View } from './store/ui';
import { NavBar } from './components/NavBar';
import { LanguageSwitch } from './components/LanguageSwitch';
import { ErrorBoundary } from './components/ErrorBoundary';
import { PasswordPrompt } from './components/instances/PasswordPrompt';
import { InstancesView } from './views/InstancesView';
import { LicencesView } from './views/LicencesView';
import { MultiplexerView } from './views/MultiplexerView';
import { ServicesView } from './views/ServicesView';
import { SipServerView } from './views/SipServerView';
import { SettingsView } from './views/SettingsView';

const VIEW_COMPONENTS: Record<View, ComponentType> = {
  instances: InstancesView,
  licences: LicencesView,
  multiplexer: MultiplexerView,
  sipServer: SipServerView,
  services: ServicesView,
  settings: SettingsView,
};

export function App() {
  const { t } = useTranslation();
  const phase = useSession((s) => s.phase);
  const info = useSession((s) => s.info);
  const connect = useSession((s) => s.connect);
  const view = useUi((s) => s.view);

  useEffect(() => {
    void connect();
  }, [connect]);

  // Closing or reloading with unsaved edits asks first (Electron shows its own question for this).
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (!hasUnsaved(useInstances.getState())) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  if (phase !== 'ready' || !info) {
    const text = phase === 'connecting' ? t('app.loading') : phase === 'missing-token' ? t('app.missingToken') : t('app.connectFailed');
    return (
      <main className="splash" data-app-state={phase} role={phase === 'connecting' ? 'status' : 'alert'}>
        <p>{text}</p>
      </main>
    );
  }

  const Current = VIEW_COMPONENTS[view];
  return (
    <div className="shell" data-app-state="loaded">
      <header className="topbar">
        <div className="brand">
          <img src="./icon.svg" alt="" width={28} height={28} />
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tag">{t('app.tagline')}</span>
        </div>
        <LanguageSwitch />
      </header>
      <NavBar />
      <main className="content" id="content">
        {/* Keyed by view: another page in the navigation starts without the error. */}
        <ErrorBoundary key={view}>
          <Current />
        </ErrorBoundary>
      </main>
      <PasswordPrompt />
      <footer className="statusbar">
        <span>{t('app.version', { version: info.version })}</span>
        <span>{t(`app.transport_${info.transport}`)}</span>
      </footer>
    </div>
  );
}
