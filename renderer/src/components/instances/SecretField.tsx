import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useInstances } from '../../store/instances';
import { ErrorNote } from '../ErrorNote';
import { useAttempt } from '../../util/useAttempt';
import { useFieldHelp } from '../../i18n/useFieldHelp';

/** A password: stored on its own in main's secret store, never shown back; only whether one is set. */
export function SecretField({ family, instanceId, field, isSet }: { family: string; instanceId: string; field: string; isSet: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const help = useFieldHelp(family)(field);
  const [value, setValue] = useState('');
  const { error, attempt } = useAttempt();
  const refresh = useInstances((s) => s.refresh);

  const store = (v: string | null) =>
    attempt(async () => {
      await api().call('instances.setSecret', { id: instanceId, field, value: v });
      setValue('');
      await refresh();
    });

  return (
    <div className="field-row secret">
      <label htmlFor={id}>{t(`fields.${field}`)}</label>
      <input id={id} type="password" autoComplete="new-password" value={value} onChange={(e) => setValue(e.target.value)} aria-describedby={help ? `${id}-help` : undefined} />
      <button type="button" className="secondary" disabled={!value} onClick={() => void store(value)}>
        {t('secret.set')}
      </button>
      {isSet && (
        <button type="button" className="secondary" onClick={() => void store(null)}>
          {t('secret.clear')}
        </button>
      )}
      <span className="hint">{isSet ? t('secret.isSet') : t('secret.notSet')}</span>
      {help && (
        <span id={`${id}-help`} className="field-help">
          {help}
        </span>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
