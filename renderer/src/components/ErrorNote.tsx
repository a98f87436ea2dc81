import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../shared/api/errors';

/** An API failure as one sentence on what to do (by code, translated) and one with the facts from main. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  const code = isApiError(error) ? error.code : '';
  const message = isApiError(error) ? error.message : error instanceof Error ? error.message : String(error);
  const key = `errors.${code}`;
  const advice = code && i18n.exists(key) ? t(key) : t('errors.generic');
  return (
    <div role="alert" className="error-note" data-code={code || undefined}>
      <p>{advice}</p>
      {message && <p className="facts">{t('errors.details', { message })}</p>}
    </div>
  );
}
