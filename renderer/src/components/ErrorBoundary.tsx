import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';

function Fallback({ error }: { error: Error }) {
  const { t } = useTranslation();
  return (
    <section role="alert" className="card error-note" data-app-error="render">
      <h2>{t('errorBoundary.title')}</h2>
      <p>{t('errorBoundary.text')}</p>
      <p className="facts">{t('errors.details', { message: error.message })}</p>
      <button type="button" onClick={() => window.location.reload()}>
        {t('errorBoundary.reload')}
      </button>
    </section>
  );
}

/**
 * A render error in the part below shows "reload" instead of a blank window, and goes to main's log (with the
 * component stack) so support can see it in the log files and the support bundle.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    const e = error instanceof Error ? error : new Error(String(error));
    // Reporting must not throw again: a lost connection leaves the error on the screen only.
    void api()
      .call('log.reportError', { message: e.message.slice(0, 2000), stack: e.stack?.slice(0, 20_000), componentStack: info.componentStack?.slice(0, 20_000) ?? undefined })
      .catch(() => undefined);
  }

  override render() {
    return this.state.error ? <Fallback error={this.state.error} /> : this.props.children;
  }
}
