import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../shared/api/errors';
import { detailProblem } from '../i18n/problems';
import { useProblemText } from '../i18n/useProblemText';
import { useFactsText } from '../i18n/useFactsText';
import { wordedParams } from '../i18n/error-params';

type Detail = Parameters<typeof detailProblem>[0] & {
  index?: number;
  field?: string;
};

/** The per-field details main attaches to input and settings failures, or null for other failures. */
function detailsOf(error: unknown): Detail[] | null {
  if (!isApiError(error) || !['INVALID_INPUT', 'SETTINGS_INVALID', 'LINES_INVALID', 'PROFILES_INVALID'].includes(error.code)) return null;
  const d = error.details as { issues?: unknown; problems?: unknown } | unknown[] | undefined;
  const list = Array.isArray(d) ? d : Array.isArray(d?.issues) ? d.issues : Array.isArray(d?.problems) ? d.problems : null;
  if (!list?.length || !list.every((x) => typeof (x as Detail)?.message === 'string')) return null;
  return list as Detail[];
}

/** An API failure as one sentence on what to do (by code, translated) and one with the facts from main. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation();
  const say = useProblemText();
  const factsText = useFactsText();
  if (!error) return null;
  const code = isApiError(error) ? error.code : '';
  const message = isApiError(error) ? error.message : error instanceof Error ? error.message : String(error);
  const key = `errors.${code}`;
  // A failure's details object (e.g. the size limit of LINES_FILE_TOO_LARGE) fills the advice's placeholders.
  const given = isApiError(error) && error.details && typeof error.details === 'object' && !Array.isArray(error.details) ? (error.details as Record<string, unknown>) : {};
  const placeholders = wordedParams(given, (k) => t(k), (k) => i18n.exists(k));
  // A driver's failure (a query, a start) reads as the connection test words the same cause.
  const driverCause = !!code && !i18n.exists(key) && i18n.exists(`causes.${code}`);
  const advice = code && i18n.exists(key) ? t(key, placeholders) : driverCause ? t(`causes.${code}`) : t('errors.generic');
  // Field problems are translated one by one (field label + sentence); main's English stays for unknown ones.
  const details = detailsOf(error);
  const where = (d: Detail) => {
    if (d.index !== undefined) return t('lines.errorAt', { line: d.index + 1, message: say(detailProblem(d)) });
    const field = d.path?.split('.').pop() ?? '';
    const label = field && i18n.exists(`fields.${field}`) ? t(`fields.${field}`) : d.path;
    return label ? `${label}: ${say(detailProblem(d))}` : say(detailProblem(d));
  };
  // Main's message is English: another language shows it only when there is no advice of its own for the code.
  const ownAdvice = (!!code && i18n.exists(key)) || driverCause;
  const english = !ownAdvice || i18n.language.startsWith('en') ? message : '';
  const facts = details ? details.slice(0, 5).map(where).join('; ') : driverCause ? factsText({ message, params: placeholders }) : english;
  return (
    <div role="alert" className="error-note" data-code={code || undefined}>
      <p>{advice}</p>
      {facts && <p className="facts">{driverCause ? facts : t('errors.details', { message: facts })}</p>}
    </div>
  );
}
