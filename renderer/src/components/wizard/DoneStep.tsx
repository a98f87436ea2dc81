import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstanceDetails } from '../../../../shared/api/instances';
import { FAMILY_SPECS } from '../../../../shared/families';

/** The last step: a summary, the name once more, "start the driver now", and only then the instance is stored. */
export function DoneStep({ inst, created, startNow, setStartNow, onBack, onCreate }: { inst: InstanceDetails; created: boolean; startNow: boolean; setStartNow(v: boolean): void; onBack(): void; onCreate(name: string): Promise<unknown> }) {
  const { t } = useTranslation();
  const id = useId();
  const [name, setName] = useState(inst.name);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void onCreate(name.trim());
      }}
    >
      <p role="status">{created ? t('wizard.createdNotStarted', { name: inst.name }) : t('wizard.doneText', { name: inst.name, count: inst.lineCount })}</p>
      <dl className="summary" aria-label={t('wizard.summary')}>
        <dt>{t('wizard.steps.family')}</dt>
        <dd>{t(`families.${inst.family}`)}</dd>
        <dt>{t('wizard.steps.connection')}</dt>
        <dd>
          {String(inst.connection.host ?? '')}:{String((inst.connection as Record<string, unknown>)[FAMILY_SPECS[inst.family].portField] ?? '')}
        </dd>
        <dt>{t('wizard.steps.lines')}</dt>
        <dd>{t('instances.lineCount', { count: inst.lineCount })}</dd>
        <dt>{t('location.ranges')}</dt>
        <dd>{inst.location.ranges || t('wizard.noRanges')}</dd>
      </dl>
      <div className="field-row">
        <label htmlFor={`${id}-name`}>{t('wizard.name')}</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!name.trim() || undefined} readOnly={created} />
      </div>
      {FAMILY_SPECS[inst.family].capabilities.runtime && (
        <label className="check">
          <input type="checkbox" checked={startNow} onChange={(e) => setStartNow(e.target.checked)} /> {t('wizard.startNow')}
        </label>
      )}
      <div className="save-bar">
        {!created && (
          <button type="button" className="secondary" onClick={onBack}>
            {t('common.back')}
          </button>
        )}
        <button type="submit" disabled={!name.trim()}>
          {created ? t('wizard.startAgain') : t('wizard.open')}
        </button>
      </div>
    </form>
  );
}
