import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useProblemText } from '../../i18n/useProblemText';
import type { z } from 'zod';
import type { Family } from '../../../../shared/model/instance';
import { FAMILY_SPECS } from '../../../../shared/families';
import { CONNECTION_FIELDS, applyChange, connectionExtra, validate, type Values } from '../instances/fields';
import { FieldGrid } from '../instances/FieldGrid';
import { TestConnection } from '../instances/TestConnection';

export function ConnectionStep({ instanceId, family, initial, schema, onNext }: { instanceId: string; family: Family; initial: Values; schema: z.ZodType; onNext(v: Values): Promise<unknown> }) {
  const { t } = useTranslation();
  const say = useProblemText();
  const [values, setValues] = useState(initial);
  const problems = validate(schema, values, connectionExtra(family), say);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void onNext(values);
      }}
    >
      <FieldGrid family={family} fields={CONNECTION_FIELDS[family]} values={values} problems={problems} onChange={(k, v) => setValues(applyChange(family, values, k, v))} />
      {FAMILY_SPECS[family].capabilities.testConnection && <TestConnection instanceId={instanceId} values={values} />}
      <div className="save-bar">
        <button type="submit" disabled={Object.keys(problems).length > 0}>
          {t('common.next')}
        </button>
      </div>
    </form>
  );
}
