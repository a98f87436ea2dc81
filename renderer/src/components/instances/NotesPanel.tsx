import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstanceDetails } from '../../../../shared/api/instances';
import { sectionValue, useInstances } from '../../store/instances';
import { SectionFrame } from './SectionFrame';

const MAX = 20_000;

export function NotesPanel({ details }: { details: InstanceDetails }) {
  const { t } = useTranslation();
  const id = useId();
  const drafts = useInstances((s) => s.drafts);
  const setDraft = useInstances((s) => s.setDraft);
  const value = sectionValue<string>(details, drafts, 'notes');
  return (
    <SectionFrame section="notes" valid={value.length <= MAX}>
      <label htmlFor={id} className="block-label">
        {t('fields.notes')}
      </label>
      <textarea id={id} rows={12} className="wide" value={value} maxLength={MAX} onChange={(e) => setDraft('notes', e.target.value)} />
    </SectionFrame>
  );
}
