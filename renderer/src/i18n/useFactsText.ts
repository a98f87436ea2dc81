import { useTranslation } from 'react-i18next';

type Facts = Record<string, unknown> | undefined;

/**
 * The facts of a driver failure (host, port, the low-level cause code) as a sentence in the user's language,
 * e.g. "At pbx.local:33333: the connection was refused." Without facts, main's English message is shown only
 * to an English console; a German one gets no English.
 */
export function useFactsText(): (failure: { message: string; params?: Facts }) => string {
  const { t, i18n } = useTranslation();
  return ({ message, params }) => {
    const host = typeof params?.host === 'string' ? params.host : null;
    const port = typeof params?.port === 'number' || typeof params?.port === 'string' ? params.port : null;
    const code = typeof params?.cause === 'string' && params.cause ? params.cause : null;
    // A cause the console has no words for (a vendor diagnostic) stays in the log rather than shown raw.
    const cause = code && i18n.exists(`problems.cause.${code}`) ? t(`problems.cause.${code}`) : null;
    const where = host ? (port !== null ? `${host}:${port}` : host) : null;
    // Every target of an SRV record failed: the record and the targets tried, before the last one's failure.
    const srv = typeof params?.srv === 'string' ? `${t('errors.factsSrv', { srv: params.srv, tried: String(params.tried ?? '') })} ` : '';
    if (where && cause) return srv + t('errors.factsAtCause', { where, cause });
    if (where) return srv + t('errors.factsAt', { where });
    if (cause) return srv + t('errors.factsCause', { cause });
    return srv + (i18n.language.startsWith('en') ? t('errors.details', { message }) : '');
  };
}
