import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConfigHelperSpec } from '../../../../shared/families/spec';
import type { ConfigChoice } from '../../../../shared/api/pbx-config';
import { api } from '../../api';
import { useAttempt } from '../../util/useAttempt';
import { useProblemText } from '../../i18n/useProblemText';
import { ErrorNote } from '../ErrorNote';
import { FieldGrid } from './FieldGrid';
import { validate, type Values } from './fields';

/**
 * One of the family's configuration helpers: options filled in from the connection, the extensions to configure
 * read from the PBX, the commands to copy, and (where the PBX takes them) applying them after a confirmation that
 * says what they do.
 */
export function ConfigHelper({ instanceId, spec, connection }: { instanceId: string; spec: ConfigHelperSpec; connection: Values }) {
  const { t } = useTranslation();
  const say = useProblemText();
  const [values, setValues] = useState<Values>(() => spec.defaults(connection));
  const [choices, setChoices] = useState<ConfigChoice[] | null>(null);
  const [shown, setShown] = useState<{ lines: string[]; text: string; applies: boolean } | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const { error, attempt } = useAttempt();
  const problems = validate(spec.options, values, undefined, say);
  const chosen = (values.choices as string[] | undefined) ?? [];
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setStatus('');
    await attempt(action);
    setBusy(false);
  };
  const change = (next: Values) => {
    setValues(next);
    setShown(null);
  };
  return (
    <section className="config-helper" data-helper={spec.id}>
      <h3>{t(`helpers.${spec.id}.title`)}</h3>
      <p className="hint">{t(`helpers.${spec.id}.intro`)}</p>
      <FieldGrid fields={spec.fields} values={values} problems={problems} onChange={(k, v) => change({ ...values, [k]: v })} />
      {spec.choices && (
        <div className="helper-choices">
          <button type="button" className="secondary" disabled={busy} onClick={() => run(async () => setChoices((await api().call('pbxConfig.choices', { instanceId, helper: spec.id })).choices))}>
            {t('helpers.readChoices')}
          </button>
          {choices?.length === 0 && <span className="hint">{t('helpers.noChoices')}</span>}
          {choices && choices.length > 0 && (
            <ul className="choice-list">
              {choices.map((c) => (
                <li key={c.id}>
                  <label>
                    <input type="checkbox" checked={chosen.includes(c.id)} onChange={(e) => change({ ...values, choices: e.target.checked ? [...chosen, c.id] : chosen.filter((x) => x !== c.id) })} />
                    {c.label}
                    {c.on && <span className="badge ok">{t('helpers.configured')}</span>}
                  </label>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="save-bar">
        <button type="button" className="secondary" disabled={busy || Object.keys(problems).length > 0} onClick={() => run(async () => setShown(await api().call('pbxConfig.commands', { instanceId, helper: spec.id, options: values })))}>
          {t('helpers.show')}
        </button>
        {shown && (
          <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(shown.text).then(() => setStatus(t('helpers.copied')), () => undefined)}>
            {t('helpers.copy')}
          </button>
        )}
        {shown?.applies && (
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              if (!window.confirm(t('helpers.confirmApply', { count: shown.lines.length }))) return;
              void run(async () => {
                const r = await api().call('pbxConfig.apply', { instanceId, helper: spec.id, options: values, confirmed: true });
                setStatus(t('helpers.applied', { count: r.applied }));
              });
            }}
          >
            {t('helpers.apply')}
          </button>
        )}
        <span role="status" className="hint ok">
          {busy ? t('helpers.working') : status}
        </span>
      </div>
      {shown && <pre className="helper-commands">{shown.text}</pre>}
      <ErrorNote error={error} />
    </section>
  );
}
