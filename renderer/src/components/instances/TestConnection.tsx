import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TestConnectionResult } from '../../../../shared/api/drivers';
import { api } from '../../api';
import { formatNumber } from '../../i18n';
import { useAttempt } from '../../util/useAttempt';
import { ErrorNote } from '../ErrorNote';
import { useCauseText } from '../../i18n/useCauseText';
import { useFactsText } from '../../i18n/useFactsText';
import { useProblemText } from '../../i18n/useProblemText';
import type { Values } from './fields';

/** Tries the (possibly unsaved) connection settings, with a typed password if given, and says what happened and why it failed. */
export function TestConnection({ instanceId, values, password }: { instanceId: string; values: Values; password?: string }) {
  const { t, i18n } = useTranslation();
  const cause = useCauseText();
  const facts = useFactsText();
  const say = useProblemText();
  // A result belongs to the settings it was tested with: changing them takes it away.
  const [tested, setTested] = useState<{ key: string; result: TestConnectionResult } | null>(null);
  const [busy, setBusy] = useState(false);
  const { error, attempt } = useAttempt();
  // The common fields as overrides (a Panasonic mode only), and the whole unsaved section for the family's own fields.
  const mode = values.mode === 'direct' || values.mode === 'multiplexer' ? { mode: values.mode as 'direct' | 'multiplexer' } : {};
  // Only the fields this family's form has: CME's port, protocol and user are axlPort, axlProtocol and axlUser (in
  // `values`), and an empty user or a missing port here would override them.
  const has = (k: string) => values[k] !== undefined;
  const connection = {
    ...mode,
    host: String(values.host ?? ''),
    ...(has('port') ? { port: Number(values.port) } : {}),
    ...(has('tls') ? { tls: Boolean(values.tls) } : {}),
    ...(has('user') ? { user: String(values.user) } : {}),
  };
  const formValues = Object.fromEntries(Object.entries(values).filter((e): e is [string, string | number | boolean] => ['string', 'number', 'boolean'].includes(typeof e[1])));
  const key = JSON.stringify([instanceId, formValues, password ?? null]);
  const result = tested?.key === key ? tested.result : null;
  // The PBX's reply is main's English; an English console shows it, a German one does not.
  const reply = (r: TestConnectionResult) => (i18n.language.startsWith('en') ? (r.reply ?? '') : '');
  const run = async () => {
    setBusy(true);
    setTested(null);
    await attempt(async () => setTested({ key, result: await api().call('instances.testConnection', { instanceId, connection, values: formValues, ...(password !== undefined ? { password } : {}) }) }));
    setBusy(false);
  };
  // A family that connects in two halves (CME: XML API and SIP) says which one failed; the other one worked.
  const failed = (r: TestConnectionResult) => {
    const half = r.error?.params?.half;
    const why = cause(r.error?.code ?? '');
    return half === 'axl' || half === 'sip' ? t('discover.testFailedHalf', { half: t(`discover.halves.${half}`), cause: why }) : t('discover.testFailed', { host: r.host, port: r.port, cause: why });
  };
  return (
    <div className="test-connection">
      <button
        type="button"
        className="secondary"
        disabled={busy || !connection.host}
        onClick={run}
      >
        {t('discover.test')}
      </button>
      <span role="status" className={result ? (result.ok ? 'hint ok' : 'problem') : 'hint'}>
        {busy
          ? t('discover.testing')
          : result
            ? result.ok
              ? t('discover.testOk', { host: result.host, port: result.port, transport: result.transport.toUpperCase(), ms: formatNumber(result.durationMs), reply: reply(result) })
              : failed(result)
            : ''}
      </span>
      {result?.ok && result.target?.via === 'srv' && (
        <p className="hint" data-testid="test-target">
          {t('discover.testTarget', { record: result.target.record ?? '', host: result.target.host, port: result.target.port })}
        </p>
      )}
      {result && !result.ok && result.error && (
        <p className="facts" data-code={result.error.code}>
          {facts(result.error)}
        </p>
      )}
      {/* A certificate no authority vouches for (a provider's own, a test platform's) can be pinned by its fingerprint. */}
      {result && !result.ok && result.error?.code === 'TLS_FAILED' && result.fingerprint && (
        <div className="hint warn">
          <p>{t('discover.certUntrusted', { fingerprint: result.fingerprint })}</p>
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() =>
              attempt(async () => {
                await api().call('instances.acceptCertificate', { instanceId, fingerprint: result.fingerprint });
                await run();
              })
            }
          >
            {t('discover.certTrust')}
          </button>
        </div>
      )}
      {result?.warnings.map((w) => (
        <p key={w.message} className="hint warn">
          {say(w)}
        </p>
      ))}
      <ErrorNote error={error} />
    </div>
  );
}
