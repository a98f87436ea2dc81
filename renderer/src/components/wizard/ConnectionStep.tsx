import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemText } from '../../i18n/useProblemText';
import type { z } from 'zod';
import type { Family } from '../../../../shared/model/instance';
import { FAMILY_SPECS } from '../../../../shared/families';
import { connectionExtra, useConnectionForm, validate, type Values } from '../instances/fields';
import { FieldGrid } from '../instances/FieldGrid';
import { TestConnection } from '../instances/TestConnection';

/**
 * The connection and, where it logs in, its password: "test connection" tries what is typed here, and Next keeps
 * the password in the secret store (empty keeps the one already stored).
 */
export function ConnectionStep({ instanceId, family, initial, passwordSet, schema, onNext }: { instanceId: string; family: Family; initial: Values; passwordSet: boolean; schema: z.ZodType; onNext(v: Values, password: string | null): Promise<unknown> }) {
  const { t } = useTranslation();
  const say = useProblemText();
  const id = useId();
  const [values, setValues] = useState(initial);
  const form = useConnectionForm(family);
  const [password, setPassword] = useState('');
  const spec = FAMILY_SPECS[family];
  const problems = validate(schema, values, connectionExtra(family), say);
  const asksPassword = spec.form.passwordShown?.(values) ?? true;
  const typed = asksPassword && password !== '' ? password : null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void onNext(values, typed);
      }}
    >
      <FieldGrid fields={form.fields} values={values} problems={problems} onChange={(k, v) => setValues(form.change(values, k, v))} />
      {asksPassword && (
        <div className="field-row secret">
          <label htmlFor={id}>{t(`fields.${spec.passwordSecret}`)}</label>
          <input id={id} type="password" autoComplete="new-password" value={password} aria-describedby={`${id}-hint`} onChange={(e) => setPassword(e.target.value)} />
          <span id={`${id}-hint`} className="hint">
            {passwordSet ? t('secret.isSet') : t('secret.notSet')}
          </span>
        </div>
      )}
      {spec.capabilities.testConnection && <TestConnection instanceId={instanceId} values={values} password={typed ?? undefined} />}
      <div className="save-bar">
        <button type="submit" disabled={Object.keys(problems).length > 0}>
          {t('common.next')}
        </button>
      </div>
    </form>
  );
}
