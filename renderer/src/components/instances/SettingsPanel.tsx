import { useInstances, sectionValue } from '../../store/instances';
import { SECRET_FIELDS } from '../../../../shared/model/instance';
import type { InstanceDetails } from '../../../../shared/api/instances';
import { ADVANCED_FIELDS, ADVANCED_SCHEMAS, CONNECTION_FIELDS, CONNECTION_SCHEMAS, applyChange, connectionExtra, validate, type Values } from './fields';
import { FieldGrid } from './FieldGrid';
import { SectionFrame } from './SectionFrame';
import { SecretField } from './SecretField';
import { TestConnection } from './TestConnection';
import { useProblemText } from '../../i18n/useProblemText';

/** The connection or advanced settings of an instance, per family, validated as typed and saved explicitly. */
export function SettingsPanel({ details, section }: { details: InstanceDetails; section: 'connection' | 'advanced' }) {
  const say = useProblemText();
  const drafts = useInstances((s) => s.drafts);
  const setDraft = useInstances((s) => s.setDraft);
  const values = sectionValue<Values>(details, drafts, section);
  const family = details.family;
  const fields = section === 'connection' ? CONNECTION_FIELDS[family] : ADVANCED_FIELDS[family];
  const schema = section === 'connection' ? CONNECTION_SCHEMAS[family] : ADVANCED_SCHEMAS[family];
  const problems = validate(schema, values, section === 'connection' ? connectionExtra(family) : undefined, say);
  const secrets = section === 'connection' ? (SECRET_FIELDS[family] as readonly string[]) : [];
  return (
    <>
      <SectionFrame section={section} valid={Object.keys(problems).length === 0}>
        <FieldGrid fields={fields} values={values} problems={problems} onChange={(k, v) => setDraft(section, applyChange(family, values, k, v))} />
      </SectionFrame>
      {section === 'connection' && family === 'panasonic' && <TestConnection instanceId={details.id} values={values} />}
      {secrets.map((f) => (
        <SecretField key={f} instanceId={details.id} field={f} isSet={Boolean(details.secrets[f])} />
      ))}
    </>
  );
}
