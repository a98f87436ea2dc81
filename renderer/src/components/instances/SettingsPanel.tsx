import { useInstances, sectionValue } from '../../store/instances';
import { FAMILY_SPECS } from '../../../../shared/families';
import type { InstanceDetails } from '../../../../shared/api/instances';
import { ADVANCED_FIELDS, ADVANCED_SCHEMAS, CONNECTION_SCHEMAS, connectionExtra, useConnectionForm, validate, type Values } from './fields';
import { FieldGrid } from './FieldGrid';
import { SectionFrame } from './SectionFrame';
import { SecretField } from './SecretField';
import { TestConnection } from './TestConnection';
import { ConfigHelper } from './ConfigHelper';
import { useProblemText } from '../../i18n/useProblemText';

/** The connection or advanced settings of an instance, per family, validated as typed and saved explicitly. */
export function SettingsPanel({ details, section }: { details: InstanceDetails; section: 'connection' | 'advanced' }) {
  const say = useProblemText();
  const drafts = useInstances((s) => s.drafts);
  const setDraft = useInstances((s) => s.setDraft);
  const values = sectionValue<Values>(details, drafts, section);
  const family = details.family;
  const form = useConnectionForm(family);
  const fields = section === 'connection' ? form.fields : ADVANCED_FIELDS[family];
  const schema = section === 'connection' ? CONNECTION_SCHEMAS[family] : ADVANCED_SCHEMAS[family];
  const problems = validate(schema, values, section === 'connection' ? connectionExtra(family) : undefined, say);
  const spec = FAMILY_SPECS[family];
  const secrets = section === 'connection' ? spec.secrets : [];
  return (
    <>
      <SectionFrame section={section} valid={Object.keys(problems).length === 0}>
        <FieldGrid fields={fields} values={values} problems={problems} onChange={(k, v) => setDraft(section, section === 'connection' ? form.change(values, k, v) : { ...values, [k]: v })} />
      </SectionFrame>
      {section === 'connection' && spec.capabilities.testConnection && <TestConnection instanceId={details.id} values={values} />}
      {secrets.map((f) => (
        <SecretField key={f} instanceId={details.id} field={f} isSet={Boolean(details.secrets[f])} />
      ))}
      {section === 'connection' && spec.configHelpers?.map((h) => <ConfigHelper key={h.id} instanceId={details.id} spec={h} connection={values} />)}
    </>
  );
}
