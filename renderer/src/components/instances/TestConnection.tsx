import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TestConnectionResult } from '../../../../shared/api/drivers';
import { api } from '../../api';
import { useAttempt } from '../../util/useAttempt';
import { ErrorNote } from '../ErrorNote';
import { useCauseText } from '../../i18n/useCauseText';
import { useProblemText } from '../../i18n/useProblemText';
import type { Values } from './fields';

/** Tries the (possibly unsaved) connection settings, with a typed password if given, and says what happened and why it failed. */
export function TestConnection({ instanceId, values, password }: { instanceId: string; values: Values; password?: string }) {
  const { t } = useTranslation();
  const cause = useCauseText();
  const say = useProblemText();
  const [result, setResult] = useState<TestConnectionResult | null>(null);
  const [busy, setBusy] = useState(false);
  const { error, attempt } = useAttempt();
  // The common fields as overrides (a Panasonic mode only), and the whole unsaved section for the family's own fields.
  const mode = values.mode === 'direct' || values.mode === 'multiplexer' ? { mode: values.mode as 'direct' | 'multiplexer' } : {};
  const connection = { ...mode, host: String(values.host ?? ''), port: Number(values.port), tls: Boolean(values.tls), user: String(values.user ?? '') };
  const formValues = Object.fromEntries(Object.entries(values).filter((e): e is [string, string | number | boolean] => ['string', 'number', 'boolean'].includes(typeof e[1])));
  return (
    <div className="test-connection">
      <button
        type="button"
        className="secondary"
        disabled={busy || !connection.host}
        onClick={async () => {
          setBusy(true);
          setResult(null);
          await attempt(async () => setResult(await api().call('instances.testConnection', { instanceId, connection, values: formValues, ...(password !== undefined ? { password } : {}) })));
          setBusy(false);
        }}
      >
        {t('discover.test')}
      </button>
      <span role="status" className={result ? (result.ok ? 'hint ok' : 'problem') : 'hint'}>
        {busy
          ? t('discover.testing')
          : result
            ? result.ok
              ? t('discover.testOk', { host: result.host, port: result.port, transport: result.transport.toUpperCase(), ms: result.durationMs, reply: result.reply ?? '' })
              : t('discover.testFailed', { host: result.host, port: result.port, cause: cause(result.error?.code ?? '') })
            : ''}
      </span>
      {result && !result.ok && result.error && (
        <p className="facts" data-code={result.error.code}>
          {t('errors.details', { message: result.error.message })}
        </p>
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
